{#
  Structural gaps in what was read from each candidate document, in the columns every area's checks model has:
  a template part read only in part (overview rows, action-plan cells), a portfolio row without its years or
  amount, an evidence section that lists no document, an evaluation whose body was not read (written in a
  language the parser does not read: it loads with its cover's facts only).  "Not found" is never a disagreement: these are `info`
  flags, published with the report, so a loss is visible instead of silent.
#}
with completeness as (
    select * from {{ ref('int_extraction__completeness') }}
),

candidates as (
    select * from {{ ref('int_report_candidates') }}
),

portfolio as (
    select * from {{ ref('int_evaluation__portfolio') }}
),

rating_statements as (
    select * from {{ ref('stg_scorecard__rating_statements') }}
),

evidence_documents as (
    select * from {{ ref('stg_scorecard__evidence_documents') }}
),

evaluations as (
    select * from {{ ref('int_evaluation__documents') }}
),

findings as (
    select * from {{ ref('stg_evaluation__findings') }}
),

recommendations as (
    select * from {{ ref('stg_evaluation__recommendations') }}
),

scorecards as (
    select * from {{ ref('int_scorecard__documents') }}
),

-- Overview rows and action-plan cells: one check per document (which row is missing is not known).
part_checks as (
    select
        completeness.document_id,
        candidates.report_id,
        case completeness.part
            when 'overview rows' then 'overview_rows_missing'
            when 'action-plan cells' then 'action_plan_cells_missing'
        end as "check",
        completeness.part as subject,
        completeness.expected::varchar || ' ' || completeness.part as expected,
        completeness.found::varchar || ' read' as found,
        completeness.found >= completeness.expected as agrees,
        null::integer as source_page,
        null::integer as source_page_last
    from completeness
    inner join candidates on completeness.document_id = candidates.document_id
    where completeness.part in ('overview rows', 'action-plan cells')
),

portfolio_row_checks as (
    select
        document_id,
        report_id,
        'portfolio_row_incomplete' as "check",
        coalesce(project_name, 'project ' || project_no::varchar) as subject,
        'start year, end year and an amount' as expected,
        'missing: ' || concat_ws(
            ', ',
            case when start_year is null then 'start year' end,
            case when end_year is null then 'end year' end,
            case when coalesce(entity_share_usd, total_budget_usd) is null then 'amount' end
        ) as found,
        start_year is not null
        and end_year is not null
        and coalesce(entity_share_usd, total_budget_usd) is not null as agrees,
        source_page,
        source_page_last
    from portfolio
),

evidence_checks as (
    select
        rating_statements.document_id,
        candidates.report_id,
        'evidence_without_documents' as "check",
        'PI ' || rating_statements.pi_code as subject,
        'at least one supporting document' as expected,
        count(distinct evidence_documents.item_no)::varchar || ' documents' as found,
        count(distinct evidence_documents.item_no) > 0 as agrees,
        min(rating_statements.source_page) as source_page,
        min(rating_statements.source_page) as source_page_last
    from rating_statements
    inner join candidates on rating_statements.document_id = candidates.document_id
    left join evidence_documents
        on
            rating_statements.document_id = evidence_documents.document_id
            and rating_statements.pi_code = evidence_documents.pi_code
    where rating_statements.section = 'evidence'
    group by rating_statements.document_id, candidates.report_id, rating_statements.pi_code
),

-- An English evaluation without numbered items fails to load; one in another language loads with its cover's
-- facts, and its unread findings and recommendations are this gap.
items as (
    select document_id from findings
    union all
    select document_id from recommendations
),

items_read as (
    select
        document_id,
        count(*) as items
    from items
    group by document_id
),

body_checks as (
    select
        evaluations.document_id,
        evaluations.report_id,
        'body_not_read' as "check",
        'findings and recommendations' as subject,
        'numbered findings or recommendations' as expected,
        coalesce(items_read.items, 0)::varchar || ' read'
        || coalesce(' (written in ' || candidates.language || ')', '') as found,
        coalesce(items_read.items, 0) > 0 as agrees,
        evaluations.source_page,
        evaluations.source_page as source_page_last
    from evaluations
    inner join candidates on evaluations.document_id = candidates.document_id
    left join items_read on evaluations.document_id = items_read.document_id
),

-- What a report states about itself and nothing else: a title, a year and, for a known template, a country.
-- A value the report does not state stays NULL in dim_reports (never a guess), and says so here.
candidate_metadata as (
    select
        document_id,
        report_id,
        report_type,
        title,
        report_year::varchar as report_year,
        country
    from candidates
),

-- One row per report and field; a field the report does not state is kept, with a NULL value.
stated_metadata as (
    select * from candidate_metadata
    unpivot include nulls (stated_value for field in (title, report_year, country))
),

metadata_checks as (
    select
        document_id,
        report_id,
        'metadata_not_stated' as "check",
        replace(field, '_', ' ') as subject,
        'stated by the report' as expected,
        coalesce(stated_value, 'not stated') as found,
        stated_value is not null as agrees,
        null::integer as source_page,
        null::integer as source_page_last
    from stated_metadata
    -- Reports of no known type are about anything: most name no country, and that is no gap.
    where field != 'country' or report_type != 'unknown'
),

-- A scorecard's framework edition is stated by a phrase only that edition prints, or follows from the assessment
-- year it states; a report that gives neither is read under its family's first edition, which is a guess.
edition_checks as (
    select
        document_id,
        report_id,
        'metadata_not_stated' as "check",
        'framework edition' as subject,
        'stated by the report' as expected,
        case
            when framework_edition_basis = 'default' then 'not stated: read as ' || framework_edition
            else framework_edition || ' (' || replace(framework_edition_basis, '_', ' ') || ')'
        end as found,
        framework_edition_basis != 'default' as agrees,
        source_page,
        null::integer as source_page_last
    from scorecards
),

checks as (
    select * from part_checks
    union all
    select * from metadata_checks
    union all
    select * from edition_checks
    union all
    select * from portfolio_row_checks
    union all
    select * from evidence_checks
    union all
    select * from body_checks
),

-- Extraction gaps never stop a publish: they are information for the analyst.
graded_checks as (
    select
        *,
        'info' as severity
    from checks
),

final as (
    {{ check_rows('extraction', 'graded_checks') }}
)

select * from final
