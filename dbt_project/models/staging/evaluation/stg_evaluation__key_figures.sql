select
    document_id,
    row_number() over (partition by document_id order by source_page, rowid)::integer as figure_no,
    figure,
    value::double as value,
    unit,
    year::integer as year,
    sentence,
    source_page::integer as source_page,
    source_page_last::integer as source_page_last
from {{ source('evaluation', 'evaluation_key_figures') }}
