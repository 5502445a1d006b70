with source as (
    select * from {{ source('scorecard', 'scorecard_team_members') }}
),

final as (
    select
        document_id,
        member_no::integer as member_no,
        trim(member_name) as member_name,
        nullif(trim(role), '') as role,
        un_entity,
        nullif(trim(entity_text), '') as entity_text,
        listed_text,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
