with ratings as (
    select * from {{ ref('int_scorecard__indicator_ratings') }}
),

indicators as (
    select * from {{ ref('dim_performance_indicators') }}
),

published as (
    select * from {{ ref('int_reports') }}
),

-- A report may give an indicator more than one detailed section (a repeated heading): the first in reading
-- order is the one shown, so that each rating stays one row.
details as (
    select * from {{ ref('stg_scorecard__indicator_details') }}
    qualify
        row_number() over (partition by document_id, pi_code order by source_page, source_page_last, heading) = 1
),

final as (
    select
        ratings.report_id || '/' || ratings.pi_code as rating_id,
        ratings.report_id,
        ratings.country,
        ratings.assessment_year,
        ratings.assessment_type,
        ratings.framework_edition,
        indicators.indicator_id,
        ratings.pi_code,
        indicators.pi_name,
        indicators.name_source = 'framework' as in_framework,
        indicators.dimension_no,
        indicators.dimension_name,
        ratings.rating,
        ratings.rating_score,
        ratings.framework_rating,
        ratings.framework_score,
        ratings.reassessed,
        ratings.rating_text,
        ratings.rating_section,
        details.indicator_statement,
        details.criteria_text,
        details.findings_text,
        ratings.source_page,
        details.source_page as detail_source_page,
        details.source_page_last as detail_source_page_last
    from ratings
    -- Every rated indicator is in the dimension (printed names stand in where the edition's list lacks it).
    inner join indicators
        on
            ratings.framework_edition = indicators.framework_edition
            and ratings.pi_code = indicators.pi_code
    left join details
        on
            ratings.document_id = details.document_id
            and ratings.pi_code = details.pi_code
    where ratings.document_id in (select published.document_id from published)
    order by ratings.report_id, ratings.pi_code
)

select * from final
