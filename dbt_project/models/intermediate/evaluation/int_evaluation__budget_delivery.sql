{#
  One row per candidate document and budget subject (the evaluated period, or one year), from its statement
  of record.
#}
with statements as (
    select * from {{ ref('int_evaluation__budget_statements') }}
),

restatements as (
    select
        document_id,
        scope,
        period_start,
        period_end,
        count(*) as statements
    from statements
    group by document_id, scope, period_start, period_end
),

statements_of_record as (
    select * from statements
    where is_statement_of_record
),

final as (
    select
        record.document_id,
        record.report_id,
        record.country,
        record.office,
        record.scope,
        record.period_start,
        record.period_end,
        record.period_label,
        record.budget_usd,
        record.budget_tolerance_usd,
        record.delivered_usd,
        record.delivered_usd / nullif(record.budget_usd, 0) as delivery_rate,
        record.stated_delivery_rate,
        record.stated_delivery_rate_tolerance,
        abs(record.delivered_usd / nullif(record.budget_usd, 0) - record.stated_delivery_rate)
        > record.stated_delivery_rate_tolerance as stated_rate_differs,
        restatements.statements,
        record.sentence,
        record.source_page,
        record.source_page_last
    from statements_of_record as record
    inner join restatements
        on
            record.document_id = restatements.document_id
            and record.scope = restatements.scope
            and record.period_start = restatements.period_start
            and record.period_end = restatements.period_end
)

select * from final
