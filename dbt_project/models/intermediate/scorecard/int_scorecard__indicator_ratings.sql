{#
  One row per candidate scorecard document × indicator that any section rates, with what each section says side by side.
  Ratings are compared on the report's own framework edition's scale (`*_rating`); the rating of record is Table 1's
  (the overview the report leads with), else the detailed findings', else the evidence section's, and carries its
  point on the common four-point scale from the edition's rating scale.  Where sections differ,
  int_scorecard__checks says so.
#}
with rating_statements as (
    select * from {{ ref('stg_scorecard__rating_statements') }}
),

documents as (
    select * from {{ ref('int_scorecard__documents') }}
),

rating_scales as (
    select * from {{ ref('framework_rating_scales') }}
),

statements as (
    select
        rating_statements.*,
        documents.report_id,
        documents.country,
        documents.assessment_year,
        documents.assessment_type,
        documents.framework_edition
    from rating_statements
    inner join documents on rating_statements.document_id = documents.document_id
),

sections as (
    select
        document_id,
        report_id,
        country,
        assessment_year,
        assessment_type,
        framework_edition,
        pi_code,
        -- The name the report prints beside the code, Table 1's first.
        coalesce(
            min(indicator_label) filter (where section = 'overview'),
            min(indicator_label) filter (where section = 'detail'),
            min(indicator_label)
        ) as printed_indicator_name,
        min(framework_rating) filter (where section = 'overview') as overview_rating,
        min(rating_text) filter (where section = 'overview') as overview_rating_text,
        bool_or(reassessed) filter (where section = 'overview') as overview_reassessed,
        min(source_page) filter (where section = 'overview') as overview_source_page,
        count(*) filter (where section = 'overview') as overview_statements,
        min(framework_rating) filter (where section = 'detail') as detail_rating,
        min(rating_text) filter (where section = 'detail') as detail_rating_text,
        bool_or(reassessed) filter (where section = 'detail') as detail_reassessed,
        min(source_page) filter (where section = 'detail') as detail_source_page,
        count(*) filter (where section = 'detail') as detail_statements,
        min(framework_rating) filter (where section = 'evidence') as evidence_rating,
        min(rating_text) filter (where section = 'evidence') as evidence_rating_text,
        min(source_page) filter (where section = 'evidence') as evidence_source_page,
        count(*) filter (where section = 'evidence') as evidence_statements
    from statements
    group by document_id, report_id, country, assessment_year, assessment_type, framework_edition, pi_code
),

of_record as (
    select
        *,
        coalesce(overview_rating, detail_rating, evidence_rating) as framework_rating,
        case
            when overview_rating is not null then 'overview'
            when detail_rating is not null then 'detail'
            when evidence_rating is not null then 'evidence'
        end as rating_section,
        -- The printed words of the rating of record; where no section's words are on the scale, the first
        -- section's words, so that a rating the edition does not define is kept and flagged, not dropped.
        case
            when overview_rating is not null then overview_rating_text
            when detail_rating is not null then detail_rating_text
            when evidence_rating is not null then evidence_rating_text
            else coalesce(overview_rating_text, detail_rating_text, evidence_rating_text)
        end as rating_text,
        coalesce(
            overview_reassessed,
            detail_reassessed,
            -- A comprehensive assessment rates every indicator afresh.
            case when assessment_type = 'comprehensive' then true end
        ) as reassessed,
        coalesce(overview_source_page, detail_source_page, evidence_source_page) as source_page
    from sections
),

final as (
    select
        of_record.*,
        rating_scales.framework_score,
        rating_scales.rating,
        rating_scales.rating_score
    from of_record
    left join rating_scales
        on
            of_record.framework_edition = rating_scales.framework_edition
            and of_record.framework_rating = rating_scales.framework_rating
)

select * from final
