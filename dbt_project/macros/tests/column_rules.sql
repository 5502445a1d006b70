{#
  One row per value that breaks a rule on one of the model's columns, naming the column, the rule and the value
  found: the rules of dbt's generic tests (not_null, unique, accepted_values, relationships as `references`;
  ours: a range, a pattern, a unique combination of columns, and `expressions`, SQL over a row that must not be
  false) for a whole model in one query.  A test node costs dbt ~30 ms of its own Python whatever its query, and
  one node per column and rule made them two thirds of every build's nodes.  Nulls pass every rule but not_null
  (and a null is a value of a combination), as in dbt's own tests; an expression that is null passes.

  references: {column: {to: ref('parent'), field: parent_column}}, each non-null value of column found in the
  parent's field.  The test then depends on the parent too, so it runs once both are built.
#}
{% test column_rules(
    model,
    not_null=[],
    unique=[],
    unique_combinations=[],
    accepted_values={},
    ranges={},
    patterns={},
    references={},
    expressions=[]
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
        "select '" ~ column ~ "' as column_name, 'unique' as rule, " ~ adapter.quote(column) ~ "::varchar as found from " ~ model
        ~ " where " ~ adapter.quote(column) ~ " is not null group by " ~ adapter.quote(column)
        ~ " having count(*) > 1"
    ) -%}
{%- endfor -%}
{%- for columns in unique_combinations -%}
    {%- set quoted = [] -%}
    {%- for column in columns -%}{%- do quoted.append(adapter.quote(column)) -%}{%- endfor -%}
    {%- do failures.append(
        "select '" ~ columns | join(', ') ~ "' as column_name, 'unique_combination' as rule, concat_ws(' | ', "
        ~ quoted | join('::varchar, ') ~ "::varchar) as found from " ~ model
        ~ " group by " ~ quoted | join(', ') ~ " having count(*) > 1"
    ) -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
    {%- do failures.append(
        "select '" ~ column ~ "' as column_name, 'accepted_values' as rule, " ~ adapter.quote(column) ~ "::varchar as found from " ~ model
        ~ " where " ~ adapter.quote(column) ~ " not in ('" ~ values | map('string') | map('replace', "'", "''") | join("', '") ~ "')"
    ) -%}
{%- endfor -%}
{%- for column, bounds in ranges.items() -%}
    {%- set outside = [] -%}
    {%- if bounds.get('min_value') is not none -%}{%- do outside.append(adapter.quote(column) ~ " < " ~ bounds['min_value']) -%}{%- endif -%}
    {%- if bounds.get('max_value') is not none -%}{%- do outside.append(adapter.quote(column) ~ " > " ~ bounds['max_value']) -%}{%- endif -%}
    {%- do failures.append(
        "select '" ~ column ~ "' as column_name, 'range' as rule, " ~ adapter.quote(column) ~ "::varchar as found from " ~ model
        ~ " where " ~ outside | join(' or ')
    ) -%}
{%- endfor -%}
{%- for column, pattern in patterns.items() -%}
    {%- do failures.append(
        "select '" ~ column ~ "' as column_name, 'pattern' as rule, " ~ adapter.quote(column) ~ "::varchar as found from " ~ model
        ~ " where not regexp_full_match(" ~ adapter.quote(column) ~ ", '" ~ pattern | replace("'", "''") ~ "')"
    ) -%}
{%- endfor -%}
{%- for column, parent in references.items() -%}
    {%- do failures.append(
        "select '" ~ column ~ "' as column_name, 'references' as rule, child." ~ adapter.quote(column)
        ~ "::varchar as found from " ~ model ~ " as child where child." ~ adapter.quote(column) ~ " is not null"
        ~ " and not exists (select 1 from " ~ parent['to'] ~ " as parent where parent."
        ~ adapter.quote(parent['field']) ~ " = child." ~ adapter.quote(column) ~ ")"
    ) -%}
{%- endfor -%}
{%- for expression in expressions -%}
    {%- do failures.append(
        "select '" ~ expression | replace("'", "''") ~ "' as column_name, 'expression' as rule, null::varchar as found"
        ~ " from " ~ model ~ " where not (" ~ expression ~ ")"
    ) -%}
{%- endfor -%}
{{ failures | join('\nunion all\n') }}
{% endtest %}
