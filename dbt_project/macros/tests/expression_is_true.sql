{# Rows for which ``expression`` (SQL over the model's columns) is false; a null result passes, as in column_rules. #}
{% test expression_is_true(model, expression) %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
