{#
  Every version of every report that could be published: loaded and still present in the raw folder.  A
  re-issued report (same type, country and year or period, other file) keeps the key; `version_rank` 1 is
  the file seen last.  The checks run on every candidate, so int_reports can fall back to an earlier version
  when the newest one is quarantined.
#}
with documents as (
    select * from {{ ref('stg_core__documents') }}
),

report_info as (
    select * from {{ ref('stg_core__report_info') }}
),

ingest_log as (
    select * from {{ ref('stg_core__ingest_log') }}
),

present_files as (
    select
        document_id,
        min(source_path) as source_file,
        list(distinct source_path order by source_path) as source_files,
        min(first_seen_at) as first_seen_at
    from ingest_log
    where is_present
    group by document_id
),

loaded as (
    select
        documents.document_id,
        documents.doc_type as report_type,
        documents.sha256,
        documents.page_count,
        documents.source_kind,
        documents.language,
        report_info.title,
        report_info.country,
        report_info.report_year,
        report_info.period_start,
        report_info.period_end,
        present_files.source_file,
        present_files.source_files,
        present_files.first_seen_at
    from documents
    inner join report_info on documents.document_id = report_info.document_id
    inner join present_files on documents.document_id = present_files.document_id
    -- Recommendation-status CSVs are documents (tracked, replaced, removed) but not reports.
    where documents.status = 'loaded' and documents.doc_type != 'recommendation_status'
),

keyed as (
    select
        *,
        case
            when
                report_type != 'unknown'
                and country is not null
                and coalesce(period_end, report_year) is not null
                then
                    report_type || '-' || lower(replace(country, ' ', '-')) || '-'
                    || coalesce(period_start::varchar || '-' || period_end::varchar, report_year::varchar)
            else report_type || '-' || document_id
        end as report_id
    from loaded
),

final as (
    select
        *,
        row_number() over (partition by report_id order by first_seen_at desc, document_id asc) as version_rank,
        count(*) over (partition by report_id) as versions
    from keyed
)

select * from final
