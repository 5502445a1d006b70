{#
  Every data-quality flag in the warehouse: one row per disagreement a consistency check found, never a
  silent pick of one value.  Each area contributes an intermediate model with the columns below; to add an
  area, add its model to `flag_models`.
#}
{%- set flag_models = [
    'int_evaluation__quality_flags',
    'int_scorecard__quality_flags',
] -%}

with flags as (
    {%- for model in flag_models %}
    select area, report_id, "check", subject, expected, found, severity, source_page, source_page_last
    from {{ ref(model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    area || '/' || coalesce(report_id, '-') || '/' || "check" || '/' || row_number() over (
        partition by area, report_id, "check" order by source_page, subject, found
    )::varchar as flag_id,
    *
from flags
