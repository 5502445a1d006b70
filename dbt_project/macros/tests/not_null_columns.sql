{#
  One row per null found in any of ``columns``, naming the column: dbt's not_null for all of a model's
  required columns in one query.  A test node costs dbt ~30 ms whatever its query, and one per column made
  not_null half of every build's tests.
#}
{% test not_null_columns(model, columns) %}
{% for column in columns %}
select '{{ column }}' as null_column
from {{ model }}
where {{ adapter.quote(column) }} is null
{% if not loop.last %}union all{% endif %}
{% endfor %}
{% endtest %}
