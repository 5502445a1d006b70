{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with members as (
    select * from {{ ref('stg_scorecard__team_members') }}
),

reports as (
    select * from {{ ref('int_scorecard__reports') }}
),

final as (
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
    from members
    inner join reports on members.document_id = reports.document_id
    order by reports.report_id, members.member_no
)

select * from final
{{ where_report_changed() }}
