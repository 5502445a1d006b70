{#
  One row per value that breaks a rule on one of the model's columns, naming the column, the rule and the value
  found: the column rules of dbt's generic tests (not_null, unique, accepted_values; ours: a range, a pattern, a
  unique combination of columns) for a whole model in one query.  A test node costs dbt ~30 ms of its own Python
  whatever its query, and one node per column and rule made them two thirds of every build's nodes.  Nulls pass
  every rule but not_null (and a null is a value of a combination), as in dbt's own tests.
#}
{% test column_rules(
    model, not_null=[], unique=[], unique_combinations=[], accepted_values={}, ranges={}, patterns={}
) %}
{%- set failures = [] -%}
{%- for column in not_null -%}
    {%- do failures.append(
        "select '" ~ column ~ "' as column_name, 'not_null' as rule, null::varchar as found from " ~ model
        ~ " where " ~ adapter.quote(column) ~ " is null"
    ) -%}
{%- endfor -%}
{%- for column in unique -%}
    {%- do failures.append(
        "select '" ~ column ~ "', 'unique', " ~ adapter.quote(column) ~ "::varchar from " ~ model
        ~ " where " ~ adapter.quote(column) ~ " is not null group by " ~ adapter.quote(column)
        ~ " having count(*) > 1"
    ) -%}
{%- endfor -%}
{%- for columns in unique_combinations -%}
    {%- set quoted = [] -%}
    {%- for column in columns -%}{%- do quoted.append(adapter.quote(column)) -%}{%- endfor -%}
    {%- do failures.append(
        "select '" ~ columns | join(', ') ~ "', 'unique_combination', concat_ws(' | ', "
        ~ quoted | join('::varchar, ') ~ "::varchar) from " ~ model
        ~ " group by " ~ quoted | join(', ') ~ " having count(*) > 1"
    ) -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
    {%- do failures.append(
        "select '" ~ column ~ "', 'accepted_values', " ~ adapter.quote(column) ~ "::varchar from " ~ model
        ~ " where " ~ adapter.quote(column) ~ " not in ('" ~ values | map('string') | map('replace', "'", "''") | join("', '") ~ "')"
    ) -%}
{%- endfor -%}
{%- for column, bounds in ranges.items() -%}
    {%- set outside = [] -%}
    {%- if bounds.get('min_value') is not none -%}{%- do outside.append(adapter.quote(column) ~ " < " ~ bounds['min_value']) -%}{%- endif -%}
    {%- if bounds.get('max_value') is not none -%}{%- do outside.append(adapter.quote(column) ~ " > " ~ bounds['max_value']) -%}{%- endif -%}
    {%- do failures.append(
        "select '" ~ column ~ "', 'range', " ~ adapter.quote(column) ~ "::varchar from " ~ model
        ~ " where " ~ outside | join(' or ')
    ) -%}
{%- endfor -%}
{%- for column, pattern in patterns.items() -%}
    {%- do failures.append(
        "select '" ~ column ~ "', 'pattern', " ~ adapter.quote(column) ~ "::varchar from " ~ model
        ~ " where not regexp_full_match(" ~ adapter.quote(column) ~ ", '" ~ pattern | replace("'", "''") ~ "')"
    ) -%}
{%- endfor -%}
{{ failures | join('\nunion all\n') }}
{% endtest %}
