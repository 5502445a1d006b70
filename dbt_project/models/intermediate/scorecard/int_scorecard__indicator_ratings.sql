{#
  One row per candidate scorecard document × indicator that any section rates, with what each section says side by side.
  The rating of record is Table 1's (the overview the report leads with), else the detailed findings', else
  the evidence section's; where they differ, int_scorecard__checks says so.
#}
with rating_statements as (
    select * from {{ ref('stg_scorecard__rating_statements') }}
),

documents as (
    select * from {{ ref('int_scorecard__documents') }}
),

statements as (
    select
        rating_statements.*,
        documents.report_id,
        documents.country,
        documents.assessment_year,
        documents.assessment_type
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
        pi_code,
        min(rating) filter (where section = 'overview') as overview_rating,
        min(rating_text) filter (where section = 'overview') as overview_rating_text,
        bool_or(reassessed) filter (where section = 'overview') as overview_reassessed,
        min(source_page) filter (where section = 'overview') as overview_source_page,
        count(*) filter (where section = 'overview') as overview_statements,
        min(rating) filter (where section = 'detail') as detail_rating,
        min(rating_text) filter (where section = 'detail') as detail_rating_text,
        bool_or(reassessed) filter (where section = 'detail') as detail_reassessed,
        min(source_page) filter (where section = 'detail') as detail_source_page,
        count(*) filter (where section = 'detail') as detail_statements,
        min(rating) filter (where section = 'evidence') as evidence_rating,
        min(source_page) filter (where section = 'evidence') as evidence_source_page,
        count(*) filter (where section = 'evidence') as evidence_statements
    from statements
    group by document_id, report_id, country, assessment_year, assessment_type, pi_code
),

final as (
    select
        *,
        coalesce(overview_rating, detail_rating, evidence_rating) as rating,
        case
            when overview_rating is not null then 'overview'
            when detail_rating is not null then 'detail'
            when evidence_rating is not null then 'evidence'
        end as rating_section,
        case
            when overview_rating is not null then overview_rating_text
            when detail_rating is not null then detail_rating_text
        end as rating_text,
        coalesce(
            overview_reassessed,
            detail_reassessed,
            -- A comprehensive assessment rates every indicator afresh.
            case when assessment_type = 'comprehensive' then true end
        ) as reassessed,
        coalesce(overview_source_page, detail_source_page, evidence_source_page) as source_page
    from sections
)

select * from final
