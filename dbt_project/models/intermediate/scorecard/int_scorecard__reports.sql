{# Current scorecards only: the version of each report that int_reports publishes. #}
with documents as (
    select * from {{ ref('int_scorecard__documents') }}
),

reports as (
    select * from {{ ref('int_reports') }}
),

final as (
    select
        documents.document_id,
        documents.report_id,
        documents.country,
        documents.assessment_year,
        documents.assessment_type,
        documents.framework_edition,
        documents.framework_edition_basis,
        documents.action_plan_year_columns,
        documents.source_kind,
        documents.source_file,
        documents.source_page
    from documents
    inner join reports on documents.document_id = reports.document_id
)

select * from final
