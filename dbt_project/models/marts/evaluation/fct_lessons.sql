select
    reports.report_id || '/' || lessons.lesson_no::varchar as lesson_id,
    reports.report_id,
    lessons.lesson_no,
    lessons.headline,
    lessons.body,
    lessons.source_page,
    lessons.source_page_last
from {{ ref('stg_evaluation__lessons') }} as lessons
inner join {{ ref('int_evaluation__reports') }} as reports using (document_id)
