{#
  Candidate documents kept out of the marts: one row per document that fails a critical check (two sections
  of the report give different values for one fact the marts hold), with every reason.  Each area's checks
  model runs on every candidate document, before int_reports picks the version to publish, so one report's
  disagreement quarantines that report only.
#}
{%- set checks_models = [
    'int_core__checks',
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

final as (
    select
        document_id,
        report_id,
        count(*) as critical_disagreements,
        list(disagreement order by check_id) as quarantine_reasons
    from checks
    where not agrees and severity = 'critical'
    group by document_id, report_id
)

select * from final
