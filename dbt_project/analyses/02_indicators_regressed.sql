-- Q2. Which scorecard indicators regressed since the country's previous assessment?
-- A regression is a lower rating (Missing < Approaches < Meets < Exceeds) than in the previous loaded year.
-- Empty until two assessment years of a country are loaded.
-- Run: gewh query --file dbt_project/analyses/02_indicators_regressed.sql
select
    country,
    pi_code,
    pi_name,
    previous_assessment_year,
    previous_rating,
    assessment_year,
    rating,
    score_change,
    reassessed
from marts.rpt_indicator_rating_matrix
where change = 'regressed'
order by country asc, assessment_year desc, score_change asc, dimension_no asc, pi_code asc;
