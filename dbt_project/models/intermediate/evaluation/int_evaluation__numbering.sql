{#
  How each candidate evaluation document numbers its findings, recommendations, lessons and conclusions: one row
  per document and part that has numbered items.  A report numbers each part 1, 2, 3 …, each number once; a gap
  or a repeat means an item was not read, or read twice (`in_sequence`, checked in int_evaluation__checks).
#}
with documents as (
    select * from {{ ref('int_evaluation__documents') }}
),

findings as (
    select * from {{ ref('stg_evaluation__findings') }}
),

recommendations as (
    select * from {{ ref('stg_evaluation__recommendations') }}
),

lessons as (
    select * from {{ ref('stg_evaluation__lessons') }}
),

conclusions as (
    select * from {{ ref('stg_evaluation__conclusions') }}
),

numbered_items as (
    select
        document_id,
        'findings' as part,
        finding_no as item_no,
        source_page
    from findings
    union all
    select
        document_id,
        'recommendations' as part,
        rec_no as item_no,
        source_page
    from recommendations
    union all
    select
        document_id,
        'lessons' as part,
        lesson_no as item_no,
        source_page
    from lessons
    union all
    select
        document_id,
        'conclusions' as part,
        conclusion_no as item_no,
        source_page
    from conclusions
),

final as (
    select
        documents.report_id,
        numbered_items.document_id,
        numbered_items.part,
        count(*) as items,
        count(distinct numbered_items.item_no) as distinct_numbers,
        min(numbered_items.item_no) as first_no,
        max(numbered_items.item_no) as last_no,
        -- The numbers 1 … n, each once: n items, numbered from 1 to n.
        min(numbered_items.item_no) = 1
        and max(numbered_items.item_no) = count(*)
        and count(distinct numbered_items.item_no) = count(*) as in_sequence,
        min(numbered_items.source_page) as source_page,
        max(numbered_items.source_page) as source_page_last
    from numbered_items
    inner join documents on numbered_items.document_id = documents.document_id
    group by documents.report_id, numbered_items.document_id, numbered_items.part
)

select * from final
