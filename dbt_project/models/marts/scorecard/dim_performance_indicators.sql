select
    pi_code,
    pi_name,
    pi_statement,
    dimension_no,
    dimension_name
from {{ ref('performance_indicators') }}
order by pi_code
