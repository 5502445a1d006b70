-- Q1. Which reports are in the warehouse, and where do they come from?
-- One row per current report; every fact table joins to it on report_id.
-- Run: gewh query --file dbt_project/analyses/01_reports_loaded.sql
select
    report_id,
    report_type,
    country,
    report_year,
    period_start,
    period_end,
    page_count,
    source_file
from marts.dim_reports
order by report_type, country, report_year, report_id;
