select
    reports.report_id || '/' || lpad(members.member_no::varchar, 2, '0') as team_member_id,
    reports.report_id,
    reports.country,
    reports.assessment_year,
    members.member_no,
    members.member_name,
    members.role,
    members.un_entity,
    members.entity_text,
    members.listed_text,
    members.source_page,
    members.source_page_last
from {{ ref('stg_scorecard__team_members') }} as members
inner join {{ ref('int_scorecard__reports') }} as reports using (document_id)
order by reports.report_id, members.member_no
