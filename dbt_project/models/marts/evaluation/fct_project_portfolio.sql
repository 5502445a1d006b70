{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with portfolio as (
    select * from {{ ref('int_evaluation__portfolio') }}
),

published as (
    select * from {{ ref('int_reports') }}
),

final as (
    select
        report_id || '/' || project_no::varchar as project_id,
        report_id,
        project_no,
        project_name,
        start_year,
        end_year,
        duration_years,
        donor,
        donor_type,
        entity_share_usd,
        total_budget_usd,
        amount_basis,
        budget_text,
        duration_text,
        source_page,
        source_page_last
    from portfolio
    where document_id in (select published.document_id from published)
)

select * from final
{{ where_report_changed() }}
