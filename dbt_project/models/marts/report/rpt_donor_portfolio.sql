{#
  Who funds each evaluated office: one row per evaluation report × donor, summing the portfolio projects the donor
  funds.  Amounts are summed as the portfolio table states them (entity share and whole-programme total).
#}
with portfolio as (
    select * from {{ ref('fct_project_portfolio') }}
),

reports as (
    select * from {{ ref('dim_reports') }}
),

final as (
    select
        portfolio.report_id || '/' || portfolio.donor as donor_portfolio_id,
        portfolio.report_id,
        reports.country,
        portfolio.donor,
        min(portfolio.donor_type) as donor_type,
        count(*) as n_projects,
        sum(portfolio.entity_share_usd) as entity_share_usd,
        sum(portfolio.total_budget_usd) as total_budget_usd,
        min(portfolio.start_year) as first_start_year,
        max(portfolio.end_year) as last_end_year
    from portfolio
    inner join reports on portfolio.report_id = reports.report_id
    where portfolio.donor is not null
    group by portfolio.report_id, reports.country, portfolio.donor
    order by portfolio.report_id asc, entity_share_usd desc nulls last, portfolio.donor asc
)

select * from final
