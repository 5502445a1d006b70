{#
  One row per country × indicator × assessment year across all current scorecards.  Two current reports for
  the same country and year cannot both exist (a re-issue supersedes the earlier one in int_reports), so the
  tie-break only guards against country spellings that map to one name.
#}
with indicator_ratings as (
    select * from {{ ref('fct_indicator_ratings') }}
),

ratings as (
    select
        country,
        pi_code,
        assessment_year,
        report_id,
        rating,
        rating_score,
        reassessed,
        source_page
    from indicator_ratings
    where country is not null and assessment_year is not null
    qualify row_number() over (partition by country, pi_code, assessment_year order by report_id desc) = 1
),

ordered as (
    select
        *,
        lag(assessment_year) over by_year as previous_assessment_year,
        lag(rating) over by_year as previous_rating,
        lag(rating_score) over by_year as previous_rating_score,
        max(case when reassessed then assessment_year end) over (
            partition by country, pi_code order by assessment_year rows between unbounded preceding and current row
        ) as last_reassessed_year
    from ratings
    window by_year as (partition by country, pi_code order by assessment_year)
),

final as (
    select
        country || '/' || pi_code || '/' || assessment_year::varchar as history_id,
        country,
        pi_code,
        assessment_year,
        report_id,
        rating,
        rating_score,
        reassessed,
        previous_assessment_year,
        previous_rating,
        case
            when previous_rating is null then 'first'
            when rating_score > previous_rating_score then 'improved'
            when rating_score < previous_rating_score then 'regressed'
            else 'unchanged'
        end as change,
        last_reassessed_year,
        assessment_year - last_reassessed_year as years_since_last_reassessed,
        source_page
    from ordered
    order by country, pi_code, assessment_year
)

select * from final
