{#
  Recommendations by priority and timeframe: one row per evaluation report × priority × timeframe.  The timeframe
  is grouped the way an analyst reads it: "immediate" (IMMEDIATELY, immediately, …), a year span when it names
  years, otherwise as printed (e.g. "Aligned with new SN").
#}
with recommendations as (
    select * from {{ ref('fct_recommendations') }}
),

classified as (
    select
        report_id,
        rec_no,
        coalesce(priority, 'unstated') as priority,
        case
            when lower(timeframe) like 'immediate%' then 'immediate'
            when timeframe_start_year is not null then 'dated'
            when timeframe is null then 'unstated'
            else 'as printed'
        end as timeframe_kind,
        case
            when lower(timeframe) like 'immediate%' then 'Immediately'
            when timeframe_start_year is not null and timeframe_end_year > timeframe_start_year
                then timeframe_start_year::varchar || '–' || timeframe_end_year::varchar
            when timeframe_start_year is not null then timeframe_start_year::varchar
            else coalesce(timeframe, 'unstated')
        end as timeframe_label,
        timeframe_start_year,
        timeframe_end_year
    from recommendations
),

final as (
    select
        report_id || '/' || priority || '/' || timeframe_label as priority_timeframe_id,
        report_id,
        priority,
        case priority when 'high' then 1 when 'medium' then 2 when 'low' then 3 else 4 end as priority_order,
        timeframe_kind,
        timeframe_label,
        case timeframe_kind when 'immediate' then 0 when 'dated' then 1 else 2 end as timeframe_order,
        min(timeframe_start_year) as timeframe_start_year,
        max(timeframe_end_year) as timeframe_end_year,
        count(*) as n_recommendations,
        list(rec_no order by rec_no) as rec_nos
    from classified
    group by report_id, priority, timeframe_kind, timeframe_label
    order by report_id, priority_order, timeframe_order, timeframe_start_year nulls last, timeframe_label
)

select * from final
