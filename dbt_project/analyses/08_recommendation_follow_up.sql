-- Q8. How far has each recommendation got: its own latest status and how many of its actions are completed?
-- Statuses come from later reports and recommendation-status CSVs; 'not reported' until one says otherwise.
-- Run: gewh query --file dbt_project/analyses/08_recommendation_follow_up.sql
select
    r.report_id,
    r.rec_no,
    r.priority,
    r.timeframe,
    any_value(s.status) filter (where s.action_no is null) as recommendation_status,
    count(s.action_no) as actions,
    count(s.action_no) filter (where s.status = 'completed') as actions_completed,
    count(s.action_no) filter (where s.status = 'not reported') as actions_not_reported,
    max(s.status_date) as latest_status_date
from marts.fct_recommendations as r
left join marts.fct_recommendation_status as s on r.report_id = s.report_id and r.rec_no = s.rec_no
group by r.report_id, r.rec_no, r.priority, r.timeframe
order by r.report_id, r.rec_no;
