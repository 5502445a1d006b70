{#
  The scorecard checks that disagree, as flags in the columns every branch of marts.fct_quality_flags has.
  A rating disagreement is an error (the scorecard suite stops the publish on it); a stated percentage
  that does not match its stated parts is a warning: the report's own arithmetic, shown, not hidden.
#}
select
    'scorecard' as area,
    report_id,
    check_name as "check",
    coalesce('PI ' || pi_code, report_id) as subject,
    left_source || ': ' || coalesce(left_value, 'nothing') as expected,
    right_source || ': ' || coalesce(right_value, 'nothing') as found,
    case when check_name = 'percent_matches_parts' then 'warning' else 'error' end as severity,
    source_page,
    source_page as source_page_last
from {{ ref('fct_scorecard_consistency') }}
where not agrees
