{# Rows whose combination of ``columns`` occurs more than once (a compound key check; no hub packages here). #}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
