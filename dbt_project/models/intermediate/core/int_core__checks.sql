{#
  What every report of a known type owes its template whatever its area, in the columns every area's checks
  model has: title_within_template (a title longer than any cover prints, 300 characters, means the text was
  not read as that template's cover: a corrupt copy, or a paragraph taken for the title).  Critical: such a
  document is quarantined, so a corrupt copy never publishes as a clean report, and an earlier good version
  of the report stays.
#}
with candidates as (
    select * from {{ ref('int_report_candidates') }}
),

title_checks as (
    select
        document_id,
        report_id,
        'title_within_template' as "check",
        'title' as subject,
        'at most 300 characters' as expected,
        length(title)::varchar || ' characters: "' || left(title, 80) || '…"' as found,
        length(title) <= 300 as agrees,
        'critical' as severity,
        null::integer as source_page,
        null::integer as source_page_last
    from candidates
    -- A document of no known type has no template to owe.
    where report_type != 'unknown' and title is not null
),

final as (
    {{ check_rows('core', 'title_checks') }}
)

select * from final
