{#
  One row per consistency check of a current scorecard, so disagreements are flagged rather than hidden.
  `disagreement` names the report, the indicator and both values when a check fails, and is null when it
  passes; the Great Expectations suite `scorecard` expects it to be null everywhere.
#}
with reports as (
    select * from {{ ref('int_scorecard__reports') }}
),

ratings as (
    select * from {{ ref('int_scorecard__indicator_ratings') }}
),

statements as (
    select statements.*, reports.report_id, reports.country, reports.assessment_year
    from {{ ref('stg_scorecard__rating_statements') }} as statements
    inner join reports using (document_id)
),

checks as (
    -- Every scorecard rates all 15 indicators.
    select
        reports.report_id,
        reports.country,
        reports.assessment_year,
        'fifteen_ratings' as check_name,
        null::varchar as pi_code,
        'indicators rated' as left_source,
        count(distinct ratings.pi_code)::varchar as left_value,
        'template' as right_source,
        (select count(*) from {{ ref('dim_performance_indicators') }})::varchar as right_value,
        count(distinct ratings.pi_code) = (select count(*) from {{ ref('dim_performance_indicators') }}) as agrees,
        reports.source_page
    from reports
    left join ratings on ratings.report_id = reports.report_id and ratings.rating is not null
    group by all

    union all

    -- Each stated rating is one of the template's four.
    select
        report_id, country, assessment_year, 'rating_recognised', pi_code,
        section || ' section', rating_text, 'rating scale', rating,
        rating is not null,
        source_page
    from statements

    union all

    -- Each indicator is stated at most once per section.
    select
        report_id, country, assessment_year, 'stated_once_per_section', pi_code,
        'overview / detail / evidence statements',
        overview_statements::varchar || ' / ' || detail_statements::varchar || ' / ' || evidence_statements::varchar,
        'at most', '1 / 1 / 1',
        greatest(overview_statements, detail_statements, evidence_statements) <= 1,
        source_page
    from ratings

    union all

    -- Table 1 and the detailed findings give the same rating.
    select
        report_id, country, assessment_year, 'overview_matches_detail', pi_code,
        'overview table', overview_rating, 'detailed findings', detail_rating,
        coalesce(overview_rating = detail_rating, false),
        source_page
    from ratings

    union all

    -- ... and the same reassessed answer, where both give one.
    select
        report_id, country, assessment_year, 'reassessed_overview_matches_detail', pi_code,
        'overview table', overview_reassessed::varchar, 'detailed findings', detail_reassessed::varchar,
        overview_reassessed = detail_reassessed,
        source_page
    from ratings
    where overview_reassessed is not null and detail_reassessed is not null

    union all

    -- The supporting-evidence section, where it repeats the rating, agrees with the rating of record.
    select
        report_id, country, assessment_year, 'evidence_matches_rating', pi_code,
        rating_section || ' rating', rating, 'supporting evidence', evidence_rating,
        coalesce(rating = evidence_rating, false),
        evidence_source_page
    from ratings
    where evidence_statements > 0

    union all

    -- A percentage stated with its parts agrees with them within rounding.
    select
        report_id, country, assessment_year, 'percent_matches_parts', pi_code,
        'stated percent', value::varchar,
        'numerator / denominator',
        computed_percent::varchar || ' (' || numerator::varchar || ' of ' || denominator::varchar || ')',
        percent_agrees,
        source_page
    from {{ ref('fct_stated_metrics') }}
    where percent_agrees is not null
)

select
    report_id || '/' || check_name || coalesce('/' || pi_code, '') || '/' || row_number() over (
        partition by report_id, check_name, pi_code order by left_source, left_value, source_page
    )::varchar as check_id,
    report_id,
    country,
    assessment_year,
    check_name,
    pi_code,
    left_source,
    left_value,
    right_source,
    right_value,
    agrees,
    case
        when not agrees then
            report_id || coalesce(' PI ' || pi_code, '') || ' [' || check_name || ']: '
            || left_source || ' says ' || coalesce(left_value, 'nothing') || ', '
            || right_source || ' says ' || coalesce(right_value, 'nothing')
    end as disagreement,
    source_page
from checks
order by report_id, check_name, pi_code
