with source as (
    select * from {{ source('evaluation', 'evaluation_recommendation_status_updates') }}
),

final as (
    select
        document_id,
        trim(report_id) as report_id,
        rec_no::integer as rec_no,
        action_no::integer as action_no,
        status,
        try_cast(status_date as date) as status_date,
        management_response,
        nullif(trim(comment), '') as comment,
        nullif(trim(reported_by), '') as reported_by,
        source_file,
        source_page::integer as source_page
    from source
)

select * from final
