{#
  Every performance indicator of every framework edition: the ones the edition's data file lists, and the ones
  current reports rate that it does not (an edition whose list the project does not hold, or a code its list
  lacks), under the name those reports print, so that every rating joins to an indicator.
#}
with indicators as (
    select * from {{ ref('performance_indicators') }}
),

dimensions as (
    select * from {{ ref('framework_dimensions') }}
),

ratings as (
    select * from {{ ref('int_scorecard__indicator_ratings') }}
),

reports as (
    select * from {{ ref('int_reports') }}
),

listed as (
    select
        framework_edition,
        pi_code,
        pi_name,
        pi_statement,
        dimension_no,
        dimension_name,
        'framework' as name_source
    from indicators
),

printed_only as (
    select
        ratings.framework_edition,
        ratings.pi_code,
        -- The name most current reports print for the code.
        mode(ratings.printed_indicator_name) as pi_name,
        null::varchar as pi_statement,
        split_part(ratings.pi_code, '.', 1)::integer as dimension_no
    from ratings
    inner join reports on ratings.document_id = reports.document_id
    anti join listed
        on
            ratings.framework_edition = listed.framework_edition
            and ratings.pi_code = listed.pi_code
    group by ratings.framework_edition, ratings.pi_code
),

printed as (
    select
        printed_only.framework_edition,
        printed_only.pi_code,
        printed_only.pi_name,
        printed_only.pi_statement,
        printed_only.dimension_no,
        dimensions.dimension_name,
        'report' as name_source
    from printed_only
    left join dimensions
        on
            printed_only.framework_edition = dimensions.framework_edition
            and printed_only.dimension_no = dimensions.dimension_no
),

all_indicators as (
    select * from listed
    union all
    select * from printed
),

final as (
    select
        framework_edition || '/' || pi_code as indicator_id,
        *
    from all_indicators
    order by framework_edition, pi_code
)

select * from final
