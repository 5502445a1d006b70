{#
  Every data-quality flag in the warehouse: one row per disagreement a consistency check found, never a
  silent pick of one value.  Each area has a checks model with the same columns (int_<area>__checks, see
  its YAML); to add an area, add its model to `checks_models`.
#}
{%- set checks_models = [
    'int_evaluation__checks',
    'int_scorecard__checks',
] %}

with checks as (
    {%- for model in checks_models %}
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
