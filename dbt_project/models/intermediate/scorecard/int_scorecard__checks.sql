{#
  Every consistency check of the current scorecards, one row per check and subject, passing or not, in the
  columns every area's checks model has (see the YAML).  Each check compares what one source says (`expected`)
  with another (`found`).  A rating the sections disagree on is critical: the marts would have to pick one,
  so that document is quarantined (int_quarantined_documents) and the other reports still publish.  A stated percentage that does not match its stated parts is the report's
  own arithmetic: a warning, flagged and published.
#}
with documents as (
    select * from {{ ref('int_scorecard__documents') }}
),

ratings as (
    select * from {{ ref('int_scorecard__indicator_ratings') }}
),

rating_statements as (
    select * from {{ ref('stg_scorecard__rating_statements') }}
),

metrics as (
    select * from {{ ref('int_scorecard__stated_metrics') }}
),

indicators as (
    select * from {{ ref('performance_indicators') }}
),

editions as (
    select * from {{ ref('framework_editions') }}
),

statements as (
    select
        rating_statements.*,
        documents.report_id,
        documents.framework_edition
    from rating_statements
    inner join documents on rating_statements.document_id = documents.document_id
),

rated_indicators as (
    select
        documents.document_id,
        documents.report_id,
        documents.framework_edition,
        documents.source_page,
        count(distinct ratings.pi_code) as indicators
    from documents
    left join ratings
        on
            documents.document_id = ratings.document_id
            and ratings.framework_rating is not null
    group by documents.document_id, documents.report_id, documents.framework_edition, documents.source_page
),

-- Every scorecard rates all of its edition's indicators, where the project holds the edition's list.
all_rated_checks as (
    select
        rated_indicators.document_id,
        rated_indicators.report_id,
        'all_indicators_rated' as "check",
        null::varchar as pi_code,
        'indicators rated' as left_source,
        rated_indicators.indicators::varchar as left_value,
        editions.framework_edition || ' indicator list' as right_source,
        editions.indicator_count::varchar as right_value,
        rated_indicators.indicators = editions.indicator_count as agrees,
        -- A rating not read is a gap, not a disagreement: the marts need not pick between two values.
        'warning' as severity,
        rated_indicators.source_page
    from rated_indicators
    inner join editions on rated_indicators.framework_edition = editions.framework_edition
    where editions.indicator_count is not null
),

-- Every column of the action plan is read.  One the parser has no reading for (a budget, a source of funds)
-- is named here rather than dropped in silence: a gap in the plan, not a reason to hold back the report.
plan_columns_checks as (
    select
        document_id,
        report_id,
        'action_plan_columns_read' as "check",
        null::varchar as pi_code,
        'action plan columns not read' as left_source,
        action_plan_columns_not_read as left_value,
        'parser' as right_source,
        'indicator, action, year, responsible and timeline columns' as right_value,
        action_plan_columns_not_read is null as agrees,
        'warning' as severity,
        source_page
    from documents
),

-- Each stated rating is a point of the edition's scale.  One that is not is kept (its words are the rating
-- text) and flagged: a gap in one indicator, not a reason to hold back the report.
rating_recognised_checks as (
    select
        document_id,
        report_id,
        'rating_recognised' as "check",
        pi_code,
        section || ' section' as left_source,
        rating_text as left_value,
        framework_edition || ' rating scale' as right_source,
        framework_rating as right_value,
        framework_rating is not null as agrees,
        'warning' as severity,
        source_page
    from statements
),

-- Each rated indicator is one its edition defines.  One it does not (a code the list lacks, or any code of an
-- edition whose list the project does not hold) is kept under the name the report prints, and flagged.
indicator_in_framework_checks as (
    select
        ratings.document_id,
        ratings.report_id,
        'indicator_in_framework' as "check",
        ratings.pi_code,
        'report' as left_source,
        ratings.pi_code || coalesce(' ' || ratings.printed_indicator_name, '') as left_value,
        ratings.framework_edition || ' indicator list' as right_source,
        case
            when indicators.pi_code is not null then indicators.pi_code || ' ' || indicators.pi_name
            when not editions.indicators_complete then 'not held by the project'
        end as right_value,
        indicators.pi_code is not null as agrees,
        'warning' as severity,
        ratings.source_page
    from ratings
    inner join editions on ratings.framework_edition = editions.framework_edition
    left join indicators
        on
            ratings.framework_edition = indicators.framework_edition
            and ratings.pi_code = indicators.pi_code
),

-- Each indicator is stated at most once per section.
stated_once_checks as (
    select
        document_id,
        report_id,
        'stated_once_per_section' as "check",
        pi_code,
        'overview / detail / evidence statements' as left_source,
        overview_statements::varchar || ' / ' || detail_statements::varchar || ' / '
        || evidence_statements::varchar as left_value,
        'at most' as right_source,
        '1 / 1 / 1' as right_value,
        greatest(overview_statements, detail_statements, evidence_statements) <= 1 as agrees,
        'critical' as severity,
        source_page
    from ratings
),

-- Table 1 and the detailed findings give the same rating, where both give one: a section not read is an
-- extraction gap (int_extraction__checks), never a disagreement.
overview_detail_checks as (
    select
        document_id,
        report_id,
        'overview_matches_detail' as "check",
        pi_code,
        'overview table' as left_source,
        overview_rating as left_value,
        'detailed findings' as right_source,
        detail_rating as right_value,
        overview_rating = detail_rating as agrees,
        'critical' as severity,
        source_page
    from ratings
    where overview_rating is not null and detail_rating is not null
),

-- ... and the same reassessed answer, where both give one.
reassessed_checks as (
    select
        document_id,
        report_id,
        'reassessed_overview_matches_detail' as "check",
        pi_code,
        'overview table' as left_source,
        overview_reassessed::varchar as left_value,
        'detailed findings' as right_source,
        detail_reassessed::varchar as right_value,
        overview_reassessed = detail_reassessed as agrees,
        'critical' as severity,
        source_page
    from ratings
    where overview_reassessed is not null and detail_reassessed is not null
),

-- The supporting-evidence section, where it repeats the rating, agrees with the rating of record.
evidence_checks as (
    select
        document_id,
        report_id,
        'evidence_matches_rating' as "check",
        pi_code,
        rating_section || ' rating' as left_source,
        framework_rating as left_value,
        'supporting evidence' as right_source,
        evidence_rating as right_value,
        framework_rating = evidence_rating as agrees,
        'critical' as severity,
        evidence_source_page as source_page
    from ratings
    -- An evidence rating off the scale is rating_recognised's disagreement.
    where evidence_rating is not null
),

-- A percentage stated with its parts agrees with them within rounding.
percent_checks as (
    select
        document_id,
        report_id,
        'percent_matches_parts' as "check",
        pi_code,
        'stated percent' as left_source,
        value::varchar as left_value,
        'numerator / denominator' as right_source,
        computed_percent::varchar
        || ' (' || numerator::varchar || ' of ' || denominator::varchar || ')' as right_value,
        percent_agrees as agrees,
        'warning' as severity,
        source_page
    from metrics
    where percent_agrees is not null
),

checks as (
    select * from all_rated_checks
    union all
    select * from plan_columns_checks
    union all
    select * from rating_recognised_checks
    union all
    select * from indicator_in_framework_checks
    union all
    select * from stated_once_checks
    union all
    select * from overview_detail_checks
    union all
    select * from reassessed_checks
    union all
    select * from evidence_checks
    union all
    select * from percent_checks
),

final as (
    select
        report_id || '/' || "check" || coalesce('/' || pi_code, '') || '/' || row_number() over (
            partition by document_id, "check", pi_code order by left_source, left_value, source_page
        )::varchar as check_id,
        'scorecard' as area,
        document_id,
        report_id,
        "check",
        coalesce('PI ' || pi_code, report_id) as subject,
        left_source || ': ' || coalesce(left_value, 'nothing') as expected,
        right_source || ': ' || coalesce(right_value, 'nothing') as found,
        agrees,
        severity,
        case
            when not agrees
                then
                    report_id || coalesce(' PI ' || pi_code, '') || ' [' || "check" || ']: '
                    || left_source || ' says ' || coalesce(left_value, 'nothing') || ', '
                    || right_source || ' says ' || coalesce(right_value, 'nothing')
        end as disagreement,
        source_page,
        source_page as source_page_last
    from checks
)

select * from final
