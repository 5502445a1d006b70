{# The evaluation checks that disagree: one flag each, in the columns every branch of marts.fct_quality_flags has. #}
select
    'evaluation' as area,
    report_id,
    "check",
    subject,
    expected,
    found,
    severity,
    source_page,
    source_page_last
from {{ ref('int_evaluation__checks') }}
where not agrees
