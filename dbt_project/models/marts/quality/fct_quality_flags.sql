{#
  Every data-quality flag of the published warehouse: one row per disagreement a consistency check found, never
  a silent pick of one value, and every gap in what was read (area `extraction`).  Each area has a checks model
  with the same columns (int_<area>__checks, see its YAML); to add an area, add its model to `checks_models`.
  Those run on every candidate document, so only the published documents' checks count here (a quarantined
  document's critical ones are its quarantine reasons, in dim_documents); checks that span documents run
  after the quarantine, on what is published, and always count.
#}
{%- set checks_models = [
    'int_core__checks',
    'int_evaluation__checks',
    'int_scorecard__checks',
    'int_extraction__checks',
] %}
{%- set published_checks_models = [
    'int_evaluation__status_checks',
] %}

with published as (
    select * from {{ ref('int_reports') }}
),

checks as (
    {%- for model in checks_models %}
        select * from {{ ref(model) }}
        where document_id in (select published.document_id from published)
        union all
    {%- endfor %}
    {%- for model in published_checks_models %}
        select * from {{ ref(model) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

flags as (
    select * from checks
    where not agrees
),

final as (
    select
        area || '/' || coalesce(report_id, '-') || '/' || "check" || '/' || row_number() over (
            partition by area, report_id, "check" order by source_page, subject, found
        )::varchar as flag_id,
        area,
        report_id,
        "check",
        subject,
        expected,
        found,
        severity,
        source_page,
        source_page_last
    from flags
)

select * from final
