{#
  The reports that are current: loaded, still present in the raw folder, and not
  superseded.  A re-issued report (same type, country and year or period, other
  file) supersedes the earlier one: the marts show the one seen last, while the
  staging ingest log keeps both.
#}
with loaded as (
    select
        d.document_id,
        d.doc_type as report_type,
        d.sha256,
        d.page_count,
        d.source_kind,
        i.title,
        i.country,
        i.report_year,
        i.period_start,
        i.period_end,
        files.source_file,
        files.source_files,
        files.first_seen_at
    from {{ ref('stg_core__documents') }} as d
    inner join {{ ref('stg_core__report_info') }} as i using (document_id)
    inner join (
        select
            document_id,
            min(source_path) as source_file,
            list(distinct source_path order by source_path) as source_files,
            min(first_seen_at) as first_seen_at
        from {{ ref('stg_core__ingest_log') }}
        where is_present
        group by document_id
    ) as files using (document_id)
    -- Recommendation-status CSVs are documents (tracked, replaced, removed) but not reports.
    where d.status = 'loaded' and d.doc_type <> 'recommendation_status'
),

keyed as (
    select
        *,
        case
            when report_type <> 'unknown' and country is not null and coalesce(period_end, report_year) is not null
                then report_type || '-' || lower(replace(country, ' ', '-')) || '-'
                    || coalesce(period_start::varchar || '-' || period_end::varchar, report_year::varchar)
            else report_type || '-' || document_id
        end as report_id
    from loaded
)

select
    *,
    count(*) over (partition by report_id) - 1 as superseded_versions
from keyed
qualify row_number() over (partition by report_id order by first_seen_at desc, document_id) = 1
