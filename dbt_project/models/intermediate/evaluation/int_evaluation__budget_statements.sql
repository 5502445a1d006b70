{#
  Every budget statement of a current report, ranked within its subject (the period, or one year): the
  statement of record is the most complete one (with delivery and a stated rate), then the first printed.
  The others are restatements, compared with it in int_evaluation__checks.
#}
with statements as (
    select
        reports.report_id,
        reports.country,
        reports.office,
        statements.*
    from {{ ref('stg_evaluation__budget_statements') }} as statements
    inner join {{ ref('int_evaluation__reports') }} as reports using (document_id)
)

select
    *,
    row_number() over (
        partition by report_id, scope, period_start, period_end
        order by delivered_usd is null, stated_delivery_rate is null, budget_usd is null, statement_no
    ) = 1 as is_statement_of_record,
    case scope
        when 'year' then period_start::varchar
        else coalesce(period_start::varchar || '–' || period_end::varchar, 'whole period')
    end as period_label
from statements
