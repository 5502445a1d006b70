{#
  Every consistency check on the candidate evaluation documents, one row per check and subject, passing or not, in the
  columns every area's checks model has (see the YAML).  `expected` is the value the check holds the report to
  (the portfolio table, the computed rate, the statement of record); `found` is what the report states
  elsewhere.  Rows that do not agree are flags in marts.fct_quality_flags; `severity` says what a
  disagreement means for the publish.
#}
with documents as (
    select
        *,
        -- Provenance of a text rendition is a line number, of a PDF a page.
        case source_kind when 'text' then 'line' else 'page' end as place
    from {{ ref('int_evaluation__documents') }}
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

programme_statements as (
    select * from {{ ref('stg_evaluation__programme_statements') }}
),

key_figures as (
    select * from {{ ref('stg_evaluation__key_figures') }}
),

stated_recommendations as (
    select * from {{ ref('stg_evaluation__recommendations') }}
),

numbering as (
    select * from {{ ref('int_evaluation__numbering') }}
),

programmes as (
    select
        documents.report_id,
        programme_statements.*
    from programme_statements
    inner join documents on programme_statements.document_id = documents.document_id
),

figures as (
    select
        documents.report_id,
        key_figures.*
    from key_figures
    inner join documents on key_figures.document_id = documents.document_id
),

recommendations as (
    select
        documents.report_id,
        stated_recommendations.*
    from stated_recommendations
    inner join documents on stated_recommendations.document_id = documents.document_id
),

stated_project_counts as (
    select
        document_id,
        report_id,
        value,
        count(*) as statements,
        min(source_page) as source_page,
        max(source_page_last) as source_page_last
    from figures
    where figure = 'projects in portfolio'
    group by document_id, report_id, value
),

portfolio_project_counts as (
    select
        document_id,
        count(*) as projects
    from portfolio
    group by document_id
),

-- The delivery rate the report states agrees, within its rounding, with delivered / budget.
delivery_rate_checks as (
    select
        document_id,
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
),

-- A budget stated again (summary, figure caption) agrees with the statement of record, within rounding.
budget_restated_checks as (
    select
        statements.document_id,
        statements.report_id,
        'budget_restated' as "check",
        statements.scope || ' ' || statements.period_label as subject,
        format('US${:,.0f} ({} {})', delivery.budget_usd, documents.place, delivery.source_page) as expected,
        format('US${:,.0f}', statements.budget_usd) as found,
        abs(statements.budget_usd - delivery.budget_usd)
        <= greatest(statements.budget_tolerance_usd, delivery.budget_tolerance_usd) as agrees,
        'warning' as severity,
        statements.source_page,
        statements.source_page_last
    from statements
    inner join delivery
        on
            statements.document_id = delivery.document_id
            and statements.scope = delivery.scope
            and statements.period_start = delivery.period_start
            and statements.period_end = delivery.period_end
    inner join documents on statements.document_id = documents.document_id
    where
        not statements.is_statement_of_record
        and statements.budget_usd is not null
        and delivery.budget_usd is not null
),

-- A project starts no later than it ends.
portfolio_year_order_checks as (
    select
        document_id,
        report_id,
        'portfolio_year_order' as "check",
        project_name as subject,
        'start_year <= end_year' as expected,
        format('{} – {}', start_year, end_year) as found,
        start_year <= end_year as agrees,
        'error' as severity,
        source_page,
        source_page_last
    from portfolio
    where start_year is not null and end_year is not null
),

-- The entity's share of a programme is no more than the programme's total.
portfolio_share_checks as (
    select
        document_id,
        report_id,
        'portfolio_share_exceeds_total' as "check",
        project_name as subject,
        format('entity share <= total (US${:,.0f})', total_budget_usd) as expected,
        format('US${:,.0f}', entity_share_usd) as found,
        entity_share_usd <= total_budget_usd as agrees,
        'error' as severity,
        source_page,
        source_page_last
    from portfolio
    where entity_share_usd is not null and total_budget_usd is not null
),

-- The number of projects the text names agrees with the rows of the portfolio table.
portfolio_project_count_checks as (
    select
        stated.document_id,
        stated.report_id,
        'portfolio_project_count' as "check",
        'projects in the portfolio' as subject,
        format('{} rows in the portfolio table', coalesce(counted.projects, 0)) as expected,
        format(
            '{:g} projects, as the text states {}',
            stated.value,
            case when stated.statements = 1 then 'once' else format('{} times', stated.statements) end
        ) as found,
        stated.value = coalesce(counted.projects, 0) as agrees,
        'warning' as severity,
        stated.source_page,
        stated.source_page_last
    from stated_project_counts as stated
    left join portfolio_project_counts as counted on stated.document_id = counted.document_id
),

-- Each programme total and entity share the text states, once per value however often it is repeated (a
-- summary and a chapter stating the same figure are one claim, on the pages where it is made).
programme_totals as (
    select
        document_id,
        report_id,
        project_name,
        total_usd,
        max(total_tolerance_usd) as total_tolerance_usd,
        min(source_page) as source_page,
        max(source_page_last) as source_page_last
    from programmes
    where total_usd is not null
    group by document_id, report_id, project_name, total_usd
),

programme_shares as (
    select
        document_id,
        report_id,
        project_name,
        entity_share_usd,
        max(entity_share_tolerance_usd) as entity_share_tolerance_usd,
        min(source_page) as source_page,
        max(source_page_last) as source_page_last
    from programmes
    where entity_share_usd is not null
    group by document_id, report_id, project_name, entity_share_usd
),

-- A programme budget stated in the text agrees, within its rounding, with the portfolio table.
programme_total_checks as (
    select
        programmes.document_id,
        programmes.report_id,
        'programme_total_mismatch' as "check",
        programmes.project_name as subject,
        format(
            'US${:,.0f} (portfolio table, {} {})', portfolio.total_budget_usd, documents.place, portfolio.source_page
        ) as expected,
        format('US${:,.0f}', programmes.total_usd) as found,
        abs(programmes.total_usd - portfolio.total_budget_usd) <= programmes.total_tolerance_usd as agrees,
        'warning' as severity,
        programmes.source_page,
        programmes.source_page_last
    from programme_totals as programmes
    inner join portfolio
        on
            programmes.document_id = portfolio.document_id
            and programmes.project_name = portfolio.project_name
    inner join documents on programmes.document_id = documents.document_id
    where portfolio.total_budget_usd is not null
),

programme_share_checks as (
    select
        programmes.document_id,
        programmes.report_id,
        'programme_share_mismatch' as "check",
        programmes.project_name as subject,
        format(
            'US${:,.0f} (portfolio table, {} {})', portfolio.entity_share_usd, documents.place, portfolio.source_page
        ) as expected,
        format('US${:,.0f}', programmes.entity_share_usd) as found,
        abs(programmes.entity_share_usd - portfolio.entity_share_usd)
        <= programmes.entity_share_tolerance_usd as agrees,
        'warning' as severity,
        programmes.source_page,
        programmes.source_page_last
    from programme_shares as programmes
    inner join portfolio
        on
            programmes.document_id = portfolio.document_id
            and programmes.project_name = portfolio.project_name
    inner join documents on programmes.document_id = documents.document_id
    where portfolio.entity_share_usd is not null
),

-- A programme whose budget the text states is one of the portfolio's projects.
programme_in_portfolio_checks as (
    select
        document_id,
        report_id,
        'programme_not_in_portfolio' as "check",
        left(sentence, 120) as subject,
        'a project of the portfolio table' as expected,
        coalesce(project_name, 'no project of the table named') as found,
        project_name is not null as agrees,
        'info' as severity,
        source_page,
        source_page_last
    from programmes
),

-- A figure stated more than once (same figure, same year) has one value.
key_figure_checks as (
    select
        figures.document_id,
        figures.report_id,
        'key_figure_conflict' as "check",
        figures.figure || coalesce(' (' || figures.year::varchar || ')', '') as subject,
        format(
            '{:,.10g} {} ({} {})',
            arg_min(figures.value, figures.figure_no),
            figures.unit,
            documents.place,
            min(figures.source_page)
        ) as expected,
        string_agg(
            distinct format('{:,.10g}', figures.value), ' / ' order by format('{:,.10g}', figures.value)
        ) as found,
        count(distinct figures.value) = 1 as agrees,
        'warning' as severity,
        min(figures.source_page) as source_page,
        max(figures.source_page_last) as source_page_last
    from figures
    inner join documents on figures.document_id = documents.document_id
    group by figures.document_id, figures.report_id, figures.figure, figures.year, figures.unit, documents.place
),

-- A recommendation states its priority, impact, difficulty and timeframe, and lists actions.
recommendation_attribute_checks as (
    select
        document_id,
        report_id,
        'recommendation_attributes_missing' as "check",
        'recommendation ' || rec_no::varchar as subject,
        'priority, impact, difficulty and timeframe' as expected,
        'missing: ' || concat_ws(
            ', ',
            case when priority is null then 'priority' end,
            case when impact is null then 'impact' end,
            case when difficulty is null then 'difficulty' end,
            case when timeframe is null then 'timeframe' end
        ) as found,
        priority is not null and impact is not null and difficulty is not null and timeframe is not null as agrees,
        'info' as severity,
        source_page,
        source_page_last
    from recommendations
),

recommendation_action_checks as (
    select
        document_id,
        report_id,
        'recommendation_without_actions' as "check",
        'recommendation ' || rec_no::varchar as subject,
        'at least one action' as expected,
        n_actions::varchar || ' actions' as found,
        n_actions > 0 as agrees,
        'info' as severity,
        source_page,
        source_page_last
    from recommendations
),

-- Each part numbers its items 1 … n: a number missing or repeated is an item not read, or read twice.
numbering_checks as (
    select
        document_id,
        report_id,
        'numbering_in_sequence' as "check",
        part as subject,
        'numbered 1 to ' || items::varchar || ', each number once' as expected,
        'numbers ' || first_no::varchar || ' to ' || last_no::varchar || ', ' || distinct_numbers::varchar
        || ' different, on ' || items::varchar || ' items' as found,
        in_sequence as agrees,
        'warning' as severity,
        source_page,
        source_page_last
    from numbering
),

checks as (
    select * from delivery_rate_checks
    union all
    select * from budget_restated_checks
    union all
    select * from portfolio_year_order_checks
    union all
    select * from portfolio_share_checks
    union all
    select * from portfolio_project_count_checks
    union all
    select * from programme_total_checks
    union all
    select * from programme_share_checks
    union all
    select * from programme_in_portfolio_checks
    union all
    select * from key_figure_checks
    union all
    select * from recommendation_attribute_checks
    union all
    select * from recommendation_action_checks
    union all
    select * from numbering_checks
),

final as (
    {{ check_rows('evaluation', 'checks') }}
)

select * from final
