select
    document_id,
    pi_code,
    row_number() over (partition by document_id, pi_code order by rowid)::integer as metric_no,
    metric,
    value::double as value,
    unit,
    numerator::double as numerator,
    denominator::double as denominator,
    quoted_text,
    sentence,
    source_page::integer as source_page
from {{ source('scorecard', 'scorecard_stated_metrics') }}
