with source as (
    select * from {{ source('evaluation', 'evaluation_portfolio_projects') }}
),

final as (
    select
        document_id,
        row_number() over (partition by document_id order by table_no, row_no)::integer as project_no,
        table_no::integer as table_no,
        trim(project_name) as project_name,
        nullif(trim(duration_text), '') as duration_text,
        start_year::integer as start_year,
        end_year::integer as end_year,
        nullif(trim(budget_text), '') as budget_text,
        entity_share_usd::double as entity_share_usd,
        total_budget_usd::double as total_budget_usd,
        amount_basis,
        nullif(trim(donor), '') as donor,
        donor_type,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
