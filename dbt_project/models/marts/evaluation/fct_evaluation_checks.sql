{# Every evaluation consistency check, passing or not (the failing ones are also in fct_quality_flags). #}
select
    report_id || '/' || "check" || '/' || row_number() over (
        partition by report_id, "check" order by source_page, subject, found
    )::varchar as check_id,
    *
from {{ ref('int_evaluation__checks') }}
