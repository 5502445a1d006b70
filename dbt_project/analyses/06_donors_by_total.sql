-- Q6. Which donors fund the evaluated offices most (the entity's share of the portfolio), and with how many projects?
-- Run: gewh query --file dbt_project/analyses/06_donors_by_total.sql
select
    donor,
    any_value(donor_type) as donor_type,
    count(distinct report_id) as evaluations,
    sum(n_projects) as projects,
    sum(entity_share_usd) as entity_share_usd,
    sum(total_budget_usd) as total_budget_usd,
    round(100 * sum(entity_share_usd) / sum(sum(entity_share_usd)) over (), 1) as share_of_all_pct
from marts.rpt_donor_portfolio
group by donor
order by entity_share_usd desc nulls last, donor asc;
