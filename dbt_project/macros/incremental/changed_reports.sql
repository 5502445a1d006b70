{#
  Models kept up to date report by report: on an incremental build only the rows of the reports that changed
  are deleted (`delete_changed_reports`, the model's pre-hook) and built again (`where_report_changed`, after
  the model's final select), both on the same list, int_build__changed_reports.  The deletion is a hook of its
  own rather than dbt's delete+insert strategy, which deletes only the keys that come back: a removed or
  superseded report's rows would stay.
#}
{% macro delete_changed_reports() %}
    {%- if is_incremental() %}
        delete from {{ this }}
        {{ where_report_changed() }}
    {%- endif %}
{% endmacro %}

{% macro where_report_changed() %}
    {%- if is_incremental() %}
        where report_id in (select changed.report_id from {{ ref('int_build__changed_reports') }} as changed)
    {%- endif %}
{% endmacro %}
