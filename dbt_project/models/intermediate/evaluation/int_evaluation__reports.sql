{# Current evaluation reports only: the version of each report that int_reports publishes. #}
with documents as (
    select * from {{ ref('int_evaluation__documents') }}
),

reports as (
    select * from {{ ref('int_reports') }}
),

final as (
    select
        documents.report_id,
        documents.document_id,
        documents.title,
        documents.report_year,
        documents.source_kind,
        documents.evaluation_type,
        documents.entity,
        documents.office,
        documents.country,
        documents.period_start,
        documents.period_end,
        documents.evaluators,
        documents.evaluation_manager,
        documents.source_page
    from documents
    inner join reports on documents.document_id = reports.document_id
)

select * from final
