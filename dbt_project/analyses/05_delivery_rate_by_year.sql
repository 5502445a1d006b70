-- Q5. What was the budget, what was delivered, and what was the delivery rate, per period and per year?
-- delivery_rate is computed (delivered / budget); stated_delivery_rate is what the report prints.
-- Run: gewh query --file dbt_project/analyses/05_delivery_rate_by_year.sql
select
    report_id,
    office,
    scope,
    period_start,
    period_end,
    budget_usd,
    delivered_usd,
    round(100 * delivery_rate, 2) as delivery_rate_pct,
    round(100 * stated_delivery_rate, 2) as stated_delivery_rate_pct,
    stated_rate_differs
from marts.fct_budget_delivery
order by report_id, scope, period_start, period_end;
