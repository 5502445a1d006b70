{#
  The scorecard heatmap and its changes: one row per country × indicator × assessment year, with the indicator's
  name and dimension and the rating-score change against the previous loaded assessment, so the report and BI
  tools draw the matrix without re-deriving it.
#}
with history as (
    select * from {{ ref('fct_indicator_rating_history') }}
),

indicators as (
    select * from {{ ref('dim_performance_indicators') }}
),

final as (
    select
        history.history_id,
        history.country,
        history.assessment_year,
        history.pi_code,
        indicators.pi_name,
        indicators.dimension_no,
        indicators.dimension_name,
        history.rating,
        history.rating_score,
        history.reassessed,
        history.previous_assessment_year,
        history.previous_rating,
        history.rating_score - previous.rating_score as score_change,
        history.change,
        history.report_id
    from history
    inner join indicators on history.pi_code = indicators.pi_code
    left join history as previous
        on
            history.country = previous.country
            and history.pi_code = previous.pi_code
            and history.previous_assessment_year = previous.assessment_year
    order by history.country, history.assessment_year, indicators.dimension_no, history.pi_code
)

select * from final
