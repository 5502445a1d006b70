select
    reports.report_id || '/' || figures.figure_no::varchar as key_figure_id,
    reports.report_id,
    figures.figure_no,
    figures.figure,
    figures.value,
    figures.unit,
    figures.year,
    figures.sentence,
    figures.source_page,
    figures.source_page_last
from {{ ref('stg_evaluation__key_figures') }} as figures
inner join {{ ref('int_evaluation__reports') }} as reports using (document_id)
