{#
  Every candidate evaluation document (every loaded version still in the raw folder) with what the parser read
  about the evaluated office: what the checks run on, before int_reports picks the version to publish.
#}
with candidates as (
    select * from {{ ref('int_report_candidates') }}
),

evaluations as (
    select * from {{ ref('stg_evaluation__reports') }}
),

final as (
    select
        candidates.report_id,
        candidates.document_id,
        candidates.title,
        candidates.report_year,
        candidates.source_kind,
        evaluations.evaluation_type,
        evaluations.entity,
        evaluations.office,
        coalesce(evaluations.country, candidates.country) as country,
        evaluations.period_start,
        evaluations.period_end,
        evaluations.evaluators,
        evaluations.evaluation_manager,
        evaluations.source_page
    from candidates
    inner join evaluations on candidates.document_id = evaluations.document_id
)

select * from final
