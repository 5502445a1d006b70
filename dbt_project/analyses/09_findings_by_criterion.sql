-- Q9. What do the evaluations find, per evaluation criterion (relevance, coherence, effectiveness, ...)?
-- Run: gewh query --file dbt_project/analyses/09_findings_by_criterion.sql
select
    report_id,
    coalesce(criterion, 'unclassified') as criterion,
    count(*) as findings,
    list(finding_no order by finding_no) as finding_nos,
    min(source_page) as first_page
from marts.fct_findings
group by report_id, criterion
order by report_id, first_page;
