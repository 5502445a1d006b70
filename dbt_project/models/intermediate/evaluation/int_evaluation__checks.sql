{#
  Every consistency check on the current evaluations, one row per check and subject, passing or not.
  `expected` is the value the check holds the report to (the portfolio table, the computed rate, the
  statement of record); `found` is what the report states elsewhere.  Rows that do not agree become
  flags in int_evaluation__quality_flags (and marts.fct_quality_flags).
#}
with reports as (
    select
        *,
        -- Provenance of a text rendition is a line number, of a PDF a page.
        case source_kind when 'text' then 'line' else 'page' end as place
    from {{ ref('int_evaluation__reports') }}
),

statements as (
    select * from {{ ref('int_evaluation__budget_statements') }}
),

delivery as (
    select * from {{ ref('int_evaluation__budget_delivery') }}
),

portfolio as (
    select * from {{ ref('int_evaluation__portfolio') }}
),

programmes as (
    select reports.report_id, programmes.*
    from {{ ref('stg_evaluation__programme_statements') }} as programmes
    inner join reports using (document_id)
),

figures as (
    select reports.report_id, figures.*
    from {{ ref('stg_evaluation__key_figures') }} as figures
    inner join reports using (document_id)
),

recommendations as (
    select reports.report_id, recommendations.*
    from {{ ref('stg_evaluation__recommendations') }} as recommendations
    inner join reports using (document_id)
),

actions as (
    select reports.report_id, actions.*
    from {{ ref('stg_evaluation__recommendation_actions') }} as actions
    inner join reports using (document_id)
),

checks as (
    -- The delivery rate the report states agrees, within its rounding, with delivered / budget.
    select
        report_id,
        'delivery_rate_mismatch' as "check",
        scope || ' ' || period_label as subject,
        format('{:.2f}% (US${:,.0f} of US${:,.0f})', 100 * delivery_rate, delivered_usd, budget_usd) as expected,
        format('{:g}%', 100 * stated_delivery_rate) as found,
        not stated_rate_differs as agrees,
        'warning' as severity,
        source_page,
        source_page_last
    from delivery
    where delivery_rate is not null and stated_delivery_rate is not null

    union all

    -- A budget stated again (summary, figure caption) agrees with the statement of record, within rounding.
    select
        statements.report_id,
        'budget_restated',
        statements.scope || ' ' || statements.period_label,
        format('US${:,.0f} ({} {})', delivery.budget_usd, reports.place, delivery.source_page),
        format('US${:,.0f}', statements.budget_usd),
        abs(statements.budget_usd - delivery.budget_usd)
            <= greatest(statements.budget_tolerance_usd, delivery.budget_tolerance_usd),
        'warning',
        statements.source_page,
        statements.source_page_last
    from statements
    inner join delivery using (report_id, scope, period_start, period_end)
    inner join reports using (report_id)
    where not statements.is_statement_of_record
      and statements.budget_usd is not null
      and delivery.budget_usd is not null

    union all

    -- A project starts no later than it ends.
    select
        report_id,
        'portfolio_year_order',
        project_name,
        'start_year <= end_year',
        format('{} – {}', start_year, end_year),
        start_year <= end_year,
        'error',
        source_page,
        source_page_last
    from portfolio
    where start_year is not null and end_year is not null

    union all

    -- The entity's share of a programme is no more than the programme's total.
    select
        report_id,
        'portfolio_share_exceeds_total',
        project_name,
        format('entity share <= total (US${:,.0f})', total_budget_usd),
        format('US${:,.0f}', entity_share_usd),
        entity_share_usd <= total_budget_usd,
        'error',
        source_page,
        source_page_last
    from portfolio
    where entity_share_usd is not null and total_budget_usd is not null

    union all

    -- The number of projects the text names agrees with the rows of the portfolio table.
    select
        stated.report_id,
        'portfolio_project_count',
        'projects in the portfolio',
        format('{} rows in the portfolio table', coalesce(counted.projects, 0)),
        format('{:g} (stated {} time(s))', stated.value, stated.statements),
        stated.value = coalesce(counted.projects, 0),
        'warning',
        stated.source_page,
        stated.source_page_last
    from (
        select report_id, value, count(*) as statements, min(source_page) as source_page, max(source_page_last) as source_page_last
        from figures
        where figure = 'projects in portfolio'
        group by all
    ) as stated
    left join (select report_id, count(*) as projects from portfolio group by all) as counted using (report_id)

    union all

    -- A programme budget stated in the text agrees, within its rounding, with the portfolio table.
    select
        programmes.report_id,
        'programme_total_mismatch',
        programmes.project_name,
        format('US${:,.0f} (portfolio table, {} {})', portfolio.total_budget_usd, reports.place, portfolio.source_page),
        format('US${:,.0f}', programmes.total_usd),
        abs(programmes.total_usd - portfolio.total_budget_usd) <= programmes.total_tolerance_usd,
        'warning',
        programmes.source_page,
        programmes.source_page_last
    from programmes
    inner join portfolio using (report_id, project_name)
    inner join reports using (report_id)
    where programmes.total_usd is not null and portfolio.total_budget_usd is not null

    union all

    select
        programmes.report_id,
        'programme_share_mismatch',
        programmes.project_name,
        format('US${:,.0f} (portfolio table, {} {})', portfolio.entity_share_usd, reports.place, portfolio.source_page),
        format('US${:,.0f}', programmes.entity_share_usd),
        abs(programmes.entity_share_usd - portfolio.entity_share_usd) <= programmes.entity_share_tolerance_usd,
        'warning',
        programmes.source_page,
        programmes.source_page_last
    from programmes
    inner join portfolio using (report_id, project_name)
    inner join reports using (report_id)
    where programmes.entity_share_usd is not null and portfolio.entity_share_usd is not null

    union all

    -- A programme whose budget the text states is one of the portfolio's projects.
    select
        report_id,
        'programme_not_in_portfolio',
        left(sentence, 120),
        'a project of the portfolio table',
        coalesce(project_name, 'no project of the table named'),
        project_name is not null,
        'info',
        source_page,
        source_page_last
    from programmes

    union all

    -- A figure stated more than once (same figure, same year) has one value.
    select
        figures.report_id,
        'key_figure_conflict',
        figures.figure || coalesce(' (' || figures.year::varchar || ')', ''),
        format('{:,.10g} {} ({} {})', arg_min(figures.value, figures.figure_no), figures.unit, reports.place, min(figures.source_page)),
        string_agg(distinct format('{:,.10g}', figures.value), ' / ' order by format('{:,.10g}', figures.value)),
        count(distinct figures.value) = 1,
        'warning',
        min(figures.source_page),
        max(figures.source_page_last)
    from figures
    inner join reports using (report_id)
    group by figures.report_id, figures.figure, figures.year, figures.unit, reports.place

    union all

    -- A recommendation states its priority, impact, difficulty and timeframe, and lists actions.
    select
        report_id,
        'recommendation_attributes_missing',
        'recommendation ' || rec_no::varchar,
        'priority, impact, difficulty and timeframe',
        'missing: ' || concat_ws(', ',
            case when priority is null then 'priority' end,
            case when impact is null then 'impact' end,
            case when difficulty is null then 'difficulty' end,
            case when timeframe is null then 'timeframe' end),
        priority is not null and impact is not null and difficulty is not null and timeframe is not null,
        'info',
        source_page,
        source_page_last
    from recommendations

    union all

    select
        report_id,
        'recommendation_without_actions',
        'recommendation ' || rec_no::varchar,
        'at least one action',
        n_actions::varchar || ' actions',
        n_actions > 0,
        'info',
        source_page,
        source_page_last
    from recommendations

    union all

    -- A status update names a recommendation (and action) that is in the marts.
    select
        updates.report_id,
        'status_for_unknown_recommendation',
        updates.subject_id,
        'a recommendation' || case when updates.action_no is not null then ' action' else '' end || ' of a current report',
        coalesce(updates.source_file, updates.source) || ' line ' || updates.source_page::varchar,
        case
            when updates.action_no is null then recommendations.rec_no is not null
            else actions.action_no is not null
        end,
        'error',
        updates.source_page,
        updates.source_page
    from {{ ref('int_evaluation__recommendation_status_updates') }} as updates
    left join recommendations using (report_id, rec_no)
    left join actions
        on actions.report_id = updates.report_id
        and actions.rec_no = updates.rec_no
        and actions.action_no = updates.action_no
)

select * from checks
