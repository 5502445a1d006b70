-- Q3. In each country's latest scorecard, which indicators are below the minimum requirements
--     (Missing or Approaches), and when were they last reassessed?
-- Run: gewh query --file dbt_project/analyses/03_indicators_below_minimum.sql
with latest as (
    select
        country,
        max(assessment_year) as assessment_year
    from marts.fct_indicator_rating_history
    group by country
)

select
    h.country,
    h.assessment_year,
    h.pi_code,
    i.pi_name,
    i.dimension_name,
    h.rating,
    h.last_reassessed_year,
    h.years_since_last_reassessed
from marts.fct_indicator_rating_history as h
inner join latest on h.country = latest.country and h.assessment_year = latest.assessment_year
inner join marts.dim_performance_indicators as i
    on h.framework_edition = i.framework_edition and h.pi_code = i.pi_code
where h.rating in ('Missing', 'Approaches')
order by h.country, h.rating_score, i.dimension_no, h.pi_code;
