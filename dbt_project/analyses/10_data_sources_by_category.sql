-- Q10. Which gender data sources exist per country and category, and how many lack a link?
-- Run: gewh query --file dbt_project/analyses/10_data_sources_by_category.sql
select
    country,
    category,
    count(*) as sources,
    count(*) filter (where url_missing) as without_link,
    min(founded_year) as oldest_founded,
    list(name order by entry_order) as names
from marts.dim_data_sources
group by country, category
order by country asc, sources desc, category asc;
