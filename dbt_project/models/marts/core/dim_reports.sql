with reports as (
    select * from {{ ref('int_reports') }}
),

final as (
    select
        report_id,
        document_id,
        report_type,
        country,
        title,
        report_year,
        period_start,
        period_end,
        source_file,
        source_files,
        sha256,
        page_count,
        source_kind,
        superseded_versions
    from reports
)

select * from final
