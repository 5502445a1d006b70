{#
  One row per report, published or quarantined.  The row describes the version the marts hold; a report whose
  newest file is quarantined keeps the version published before it, or, when there is none, is described
  by its quarantined file (and has no rows in the fact marts).
#}
with candidates as (
    select * from {{ ref('int_report_candidates') }}
),

published as (
    select * from {{ ref('int_reports') }}
),

quarantined as (
    select * from {{ ref('int_quarantined_documents') }}
),

scorecards as (
    select * from {{ ref('stg_scorecard__reports') }}
),

completeness as (
    select * from {{ ref('int_extraction__completeness') }}
),

shown as (
    select
        candidates.*,
        published.document_id is not null as is_published
    from candidates
    left join published on candidates.document_id = published.document_id
    qualify
        row_number() over (
            partition by candidates.report_id order by published.document_id is null, candidates.version_rank
        ) = 1
),

newest_quarantined as (
    select
        candidates.report_id,
        quarantined.document_id,
        quarantined.quarantine_reasons
    from candidates
    inner join quarantined on candidates.document_id = quarantined.document_id
    where candidates.version_rank = 1
),

document_completeness as (
    select
        document_id,
        avg(ratio) as completeness
    from completeness
    group by document_id
),

final as (
    select
        shown.report_id,
        shown.document_id,
        shown.report_type,
        shown.country,
        shown.title,
        shown.language,
        shown.report_year,
        shown.period_start,
        shown.period_end,
        shown.source_file,
        shown.source_files,
        shown.sha256,
        shown.page_count,
        shown.source_kind,
        scorecards.framework_edition,
        scorecards.framework_edition_basis,
        shown.versions - shown.version_rank as superseded_versions,
        case when newest_quarantined.document_id is null then 'published' else 'quarantined' end as status,
        shown.is_published,
        newest_quarantined.document_id as quarantined_document_id,
        newest_quarantined.quarantine_reasons,
        document_completeness.completeness
    from shown
    left join newest_quarantined on shown.report_id = newest_quarantined.report_id
    left join document_completeness on shown.document_id = document_completeness.document_id
    left join scorecards on shown.document_id = scorecards.document_id
)

select * from final
