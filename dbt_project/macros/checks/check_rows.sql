{#
  The columns every area's checks model publishes (see intermediate/_checks__models.yml), from a relation of
  check rows (document_id, report_id, "check", subject, expected, found, agrees, severity, source_page,
  source_page_last): a check_id numbered per `numbered_within` (the document, or the report for checks of a
  report's updates), the area, and the one-line disagreement that flags and the publish gate quote.
#}
{% macro check_rows(area, checks, numbered_within='document_id') -%}
    select
        report_id || '/' || "check" || '/' || row_number() over (
            partition by {{ numbered_within }}, "check" order by source_page, subject, found
        )::varchar as check_id,
        '{{ area }}' as area,
        document_id,
        report_id,
        "check",
        subject,
        expected,
        found,
        agrees,
        severity,
        case
            when not agrees
                then
                    report_id || ' [' || "check" || '] ' || subject || ': expected '
                    || coalesce(expected, '?') || ', found ' || coalesce(found, '?')
        end as disagreement,
        source_page,
        source_page_last
    from {{ checks }}
{%- endmacro %}
