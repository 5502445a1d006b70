{#
  Every version of every report that could be published: loaded and still present in the raw folder.  A
  re-issued report (same type, country and year or period, other file) keeps the key, and so does a copy of a
  report under other bytes (re-saved, re-exported: the same content fingerprint); an inventory is one per
  country, the later content date superseding the earlier.  `version_rank` 1 is the version of the latest content date
  (period end or report year; the same for re-issues), then the file seen last.  `source_files` lists every
  present file holding the version's content.  The checks run on every candidate, so int_reports can fall
  back to an earlier version when the newest one is quarantined.
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
        min(first_seen_at) as first_seen_at
    from ingest_log
    where is_present
    group by document_id
),

-- Every present file of each content, whatever its bytes.
content_files as (
    select
        documents.content_sha256,
        list(distinct ingest_log.source_path order by ingest_log.source_path) as source_files
    from ingest_log
    inner join documents on ingest_log.document_id = documents.document_id
    where ingest_log.is_present and documents.content_sha256 is not null
    group by documents.content_sha256
),

loaded as (
    select
        documents.document_id,
        documents.doc_type as report_type,
        documents.sha256,
        documents.page_count,
        documents.source_kind,
        documents.language,
        documents.content_sha256,
        report_info.title,
        report_info.country,
        report_info.report_year,
        report_info.period_start,
        report_info.period_end,
        present_files.source_file,
        content_files.source_files,
        present_files.first_seen_at
    from documents
    inner join report_info on documents.document_id = report_info.document_id
    inner join present_files on documents.document_id = present_files.document_id
    inner join content_files on documents.content_sha256 = content_files.content_sha256
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
                and report_type != 'source_inventory'
                then
                    report_type || '-' || lower(replace(country, ' ', '-')) || '-'
                    || coalesce(period_start::varchar || '-' || period_end::varchar, report_year::varchar)
            -- A country's inventory of data sources is one list kept current: a later content date supersedes
            -- it, and among undated ones the file seen last (as for any re-issue).
            when report_type = 'source_inventory' and country is not null
                then report_type || '-' || lower(replace(country, ' ', '-'))
            -- Neither stated: the content is the report (copies under other bytes are one report).
            else report_type || '-' || left(content_sha256, 16)
        end as report_id
    from loaded
),

final as (
    select
        *,
        row_number() over (
            partition by report_id
            order by coalesce(period_end, report_year) desc nulls last, first_seen_at desc, document_id asc
        ) as version_rank,
        count(*) over (partition by report_id) as versions
    from keyed
)

select * from final
