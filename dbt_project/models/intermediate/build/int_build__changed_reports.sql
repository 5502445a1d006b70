{#
  Reports whose rows in the per-report marts may differ from the previous build's, under their report_id
  before or now: a report one of whose documents changed in staging (new, extracted again, failed or removed
  since: any change to its row in staging's documents table), or whose row in int_reports changed (another
  version became current, a file of it was added or removed, it left the marts).  Without a previous build,
  every current report.
#}
with documents as (
    select * from {{ ref('stg_core__documents') }}
),

reports as (
    select * from {{ ref('int_reports') }}
),

previous_documents as (
    select * from {{ previous_build_table('previous_documents', like=ref('stg_core__documents')) }}
),

previous_reports as (
    select * from {{ previous_build_table('previous_reports', like=ref('int_reports')) }}
),

changed_documents as (
    select document_id from ({{ differing_rows('documents', 'previous_documents') }})
    union
    select document_id from ({{ differing_rows('reports', 'previous_reports') }})
),

final as (
    select reports.report_id
    from reports
    inner join changed_documents on reports.document_id = changed_documents.document_id
    union
    select previous_reports.report_id
    from previous_reports
    inner join changed_documents on previous_reports.document_id = changed_documents.document_id
)

select * from final
