-- Q4. Which evaluation recommendations are high priority and to be acted on immediately?
-- Run: gewh query --file dbt_project/analyses/04_high_priority_immediate_recommendations.sql
select
    report_id,
    rec_no,
    priority,
    timeframe,
    management_response,
    n_actions,
    text,
    source_page
from marts.fct_recommendations
where priority = 'high'
    and lower(timeframe) like 'immediate%'
order by report_id, rec_no;
