{#
  The scorecard heatmap and its changes: one row per country × indicator × assessment year, with the indicator's
  name and dimension and the rating-score change against the previous loaded assessment, so the report and BI
  tools draw the matrix without re-deriving it.
#}
with history as (
    select * from {{ ref('fct_indicator_rating_history') }}
),

indicators as (
    select pi_code, pi_name, dimension_no, dimension_name from {{ ref('dim_performance_indicators') }}
)

select
    h.history_id,
    h.country,
    h.assessment_year,
    h.pi_code,
    i.pi_name,
    i.dimension_no,
    i.dimension_name,
    h.rating,
    h.rating_score,
    h.reassessed,
    h.previous_assessment_year,
    h.previous_rating,
    h.rating_score - previous.rating_score as score_change,
    h.change,
    h.report_id
from history as h
inner join indicators as i using (pi_code)
left join history as previous
    on previous.country = h.country
    and previous.pi_code = h.pi_code
    and previous.assessment_year = h.previous_assessment_year
order by h.country, h.assessment_year, i.dimension_no, h.pi_code
