{# Portfolio projects of every candidate evaluation document, with the calendar years each spans. #}
with projects as (
    select * from {{ ref('stg_evaluation__portfolio_projects') }}
),

documents as (
    select * from {{ ref('int_evaluation__documents') }}
),

final as (
    select
        documents.report_id,
        projects.document_id,
        projects.project_no,
        projects.table_no,
        projects.project_name,
        projects.duration_text,
        projects.start_year,
        projects.end_year,
        projects.budget_text,
        projects.entity_share_usd,
        projects.total_budget_usd,
        projects.amount_basis,
        projects.donor,
        projects.donor_type,
        projects.source_page,
        projects.source_page_last,
        projects.end_year - projects.start_year + 1 as duration_years
    from projects
    inner join documents on projects.document_id = documents.document_id
)

select * from final
