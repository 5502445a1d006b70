{#
  Who funds each evaluated office: one row per evaluation report × donor, summing the portfolio projects the donor
  funds.  Amounts are summed as the portfolio table states them (entity share and whole-programme total).
#}
select
    p.report_id || '/' || p.donor as donor_portfolio_id,
    p.report_id,
    r.country,
    p.donor,
    min(p.donor_type) as donor_type,
    count(*) as n_projects,
    sum(p.entity_share_usd) as entity_share_usd,
    sum(p.total_budget_usd) as total_budget_usd,
    min(p.start_year) as first_start_year,
    max(p.end_year) as last_end_year
from {{ ref('fct_project_portfolio') }} as p
inner join {{ ref('dim_reports') }} as r using (report_id)
where p.donor is not null
group by p.report_id, r.country, p.donor
order by p.report_id, entity_share_usd desc nulls last, p.donor
