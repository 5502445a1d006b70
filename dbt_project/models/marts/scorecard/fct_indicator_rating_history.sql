{#
  One row per country × indicator × assessment year across all current scorecards, with the change since the
  previous rating of the same indicator.  The same indicator means the same edition and code, or a pair the
  crosswalk seed maps across editions: a rating is compared only with that (on the edition's own scale, or on
  the common scale across editions).  When the country's latest earlier rating under the same code belongs to
  another edition and the crosswalk does not map it, the change is 'not_comparable', never a false 'improved'.
  Two current reports for the same country and year cannot both exist (a re-issue supersedes the earlier one
  in int_reports), so the tie-break only guards against country spellings that map to one name.
#}
with indicator_ratings as (
    select * from {{ ref('fct_indicator_ratings') }}
),

crosswalk as (
    select * from {{ ref('indicator_crosswalk') }}
),

ratings as (
    select
        country,
        framework_edition,
        pi_code,
        assessment_year,
        report_id,
        rating,
        rating_score,
        framework_rating,
        framework_score,
        reassessed,
        source_page
    from indicator_ratings
    where country is not null and assessment_year is not null
    qualify
        row_number() over (
            partition by country, framework_edition, pi_code, assessment_year order by report_id desc
        ) = 1
),

-- Every earlier rating of the country that is the same indicator, or shares the code under another edition.
earlier as (
    select
        ratings.country,
        ratings.framework_edition,
        ratings.pi_code,
        ratings.assessment_year,
        previous.framework_edition as previous_framework_edition,
        previous.pi_code as previous_pi_code,
        previous.assessment_year as previous_assessment_year,
        previous.rating as previous_rating,
        previous.rating_score as previous_rating_score,
        previous.framework_rating as previous_framework_rating,
        previous.framework_score as previous_framework_score,
        (
            ratings.framework_edition = previous.framework_edition and ratings.pi_code = previous.pi_code
        ) or crosswalk.to_code is not null as comparable
    from ratings
    inner join ratings as previous
        on
            ratings.country = previous.country
            and ratings.assessment_year > previous.assessment_year
    left join crosswalk
        on
            previous.framework_edition = crosswalk.from_edition
            and previous.pi_code = crosswalk.from_code
            and ratings.framework_edition = crosswalk.to_edition
            and ratings.pi_code = crosswalk.to_code
    where
        previous.pi_code = ratings.pi_code
        or crosswalk.to_code is not null
    -- The latest earlier one; of two in one year, the comparable one.
    qualify
        row_number() over (
            partition by ratings.country, ratings.framework_edition, ratings.pi_code, ratings.assessment_year
            order by previous.assessment_year desc, comparable desc
        ) = 1
),

reassessments as (
    select
        *,
        max(case when reassessed then assessment_year end) over (
            partition by country, framework_edition, pi_code
            order by assessment_year rows between unbounded preceding and current row
        ) as last_reassessed_year
    from ratings
),

final as (
    select
        reassessments.country || '/' || reassessments.framework_edition || '/' || reassessments.pi_code || '/'
        || reassessments.assessment_year::varchar as history_id,
        reassessments.country,
        reassessments.framework_edition,
        reassessments.pi_code,
        reassessments.assessment_year,
        reassessments.report_id,
        reassessments.rating,
        reassessments.rating_score,
        reassessments.framework_rating,
        reassessments.reassessed,
        earlier.previous_assessment_year,
        earlier.previous_framework_edition,
        earlier.previous_rating,
        earlier.previous_rating_score,
        earlier.previous_framework_rating,
        case
            when earlier.previous_assessment_year is null then 'first'
            when not earlier.comparable then 'not_comparable'
            -- Within one edition its own scale (finer than the common one for the 2008 edition).
            when earlier.previous_framework_edition = reassessments.framework_edition
                then
                    case
                        when reassessments.framework_score > earlier.previous_framework_score then 'improved'
                        when reassessments.framework_score < earlier.previous_framework_score then 'regressed'
                        when reassessments.framework_score = earlier.previous_framework_score then 'unchanged'
                    end
            when reassessments.rating_score > earlier.previous_rating_score then 'improved'
            when reassessments.rating_score < earlier.previous_rating_score then 'regressed'
            when reassessments.rating_score = earlier.previous_rating_score then 'unchanged'
        end as change,
        reassessments.last_reassessed_year,
        reassessments.assessment_year - reassessments.last_reassessed_year as years_since_last_reassessed,
        reassessments.source_page
    from reassessments
    left join earlier
        on
            reassessments.country = earlier.country
            and reassessments.framework_edition = earlier.framework_edition
            and reassessments.pi_code = earlier.pi_code
            and reassessments.assessment_year = earlier.assessment_year
    order by reassessments.country, reassessments.pi_code, reassessments.assessment_year
)

select * from final
