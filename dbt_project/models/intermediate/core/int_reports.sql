{#
  The reports that are current: the newest candidate version of each report that is not quarantined.  When
  the newest file of a report fails a critical check, the version published before it (if any) stays.
#}
with candidates as (
    select * from {{ ref('int_report_candidates') }}
),

quarantined as (
    select * from {{ ref('int_quarantined_documents') }}
),

publishable as (
    select * from candidates
    where document_id not in (select quarantined.document_id from quarantined)
),

final as (
    select
        document_id,
        report_id,
        report_type,
        sha256,
        page_count,
        source_kind,
        language,
        title,
        country,
        report_year,
        period_start,
        period_end,
        source_file,
        source_files,
        first_seen_at,
        versions - version_rank as superseded_versions
    from publishable
    qualify row_number() over (partition by report_id order by version_rank) = 1
)

select * from final
