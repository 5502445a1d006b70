{# Run history; the refresh appends its own row to the published copy just before it swaps it in. #}
with runs as (
    select * from {{ source('core', 'refresh_runs') }}
),

final as (
    select
        run_id,
        started_at,
        finished_at,
        files_seen,
        files_new,
        files_changed,
        files_unchanged,
        files_failed,
        files_removed,
        files_skipped,
        checks_passed,
        checks_failed,
        published,
        up_to_date,
        reason,
        rows_per_mart
    from runs
)

select * from final
