{# Every evaluation consistency check, passing or not (the failing ones are also in fct_quality_flags). #}
with checks as (
    select * from {{ ref('int_evaluation__checks') }}
),

final as (
    select
        check_id,
        report_id,
        "check",
        subject,
        expected,
        found,
        agrees,
        severity,
        disagreement,
        source_page,
        source_page_last
    from checks
)

select * from final
