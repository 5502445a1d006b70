-- Q7. Where do the reports contradict themselves (or miss what their template expects)?
-- Each flag names both values and the page to open; errors first.
-- Run: gewh query --file dbt_project/analyses/07_quality_flags.sql
select
    severity,
    report_id,
    "check",
    subject,
    expected,
    found,
    source_page,
    source_page_last
from marts.fct_quality_flags
order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, report_id, "check", flag_id;
