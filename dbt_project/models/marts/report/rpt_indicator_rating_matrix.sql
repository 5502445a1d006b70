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
        history.framework_edition,
        history.pi_code,
        indicators.pi_name,
        indicators.dimension_no,
        indicators.dimension_name,
        history.rating,
        history.rating_score,
        history.reassessed,
        history.previous_assessment_year,
        history.previous_rating,
        -- Only where the two ratings are of the same indicator.
        case
            when history.change in ('improved', 'regressed', 'unchanged')
                then history.rating_score - history.previous_rating_score
        end as score_change,
        history.change,
        history.report_id
    from history
    inner join indicators
        on
            history.framework_edition = indicators.framework_edition
            and history.pi_code = indicators.pi_code
    -- The heatmap draws ratings: words off the edition's scale stay in fct_indicator_ratings, flagged.
    where history.rating is not null
    order by history.country, history.assessment_year, indicators.dimension_no, history.pi_code
)

select * from final
