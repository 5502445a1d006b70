{#
  Every budget statement of a candidate document, ranked within its subject (the period, or one year): the
  statement of record is the most complete one (with delivery and a stated rate), then the first printed.
  The others are restatements, compared with it in int_evaluation__checks.
#}
with budget_statements as (
    select * from {{ ref('stg_evaluation__budget_statements') }}
),

documents as (
    select * from {{ ref('int_evaluation__documents') }}
),

statements as (
    select
        documents.report_id,
        documents.country,
        documents.office,
        budget_statements.document_id,
        budget_statements.statement_no,
        budget_statements.scope,
        budget_statements.period_start,
        budget_statements.period_end,
        budget_statements.budget_usd,
        budget_statements.budget_tolerance_usd,
        budget_statements.delivered_usd,
        budget_statements.delivered_tolerance_usd,
        budget_statements.stated_delivery_rate,
        budget_statements.stated_delivery_rate_tolerance,
        budget_statements.sentence,
        budget_statements.source_page,
        budget_statements.source_page_last
    from budget_statements
    inner join documents on budget_statements.document_id = documents.document_id
),

final as (
    select
        *,
        row_number() over (
            partition by document_id, scope, period_start, period_end
            order by delivered_usd is null, stated_delivery_rate is null, budget_usd is null, statement_no
        ) = 1 as is_statement_of_record,
        case scope
            when 'year' then period_start::varchar
            else coalesce(period_start::varchar || '–' || period_end::varchar, 'whole period')
        end as period_label
    from statements
)

select * from final
