"""The `sources` suite: data-source inventory entries in `marts.dim_data_sources`.

Checks that every entry has a category and a language statement, that links
are well-formed and not listed twice in a report, and that the printed
numbering has no gaps (group headings such as "1. UN" hold their top-level
number without being entries).  A missing link is tolerated – a PDF may have
lost its links – but reported: the share of entries with a link, per report,
is measured against a target and shown in Data Docs without failing the run.

Names and methodology values are dbt tests on the mart; the rules here read
several rows at once (numbering, links per report), a list column, or the
category that the numbering groups by.
"""

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity

from expectations.suites import SuiteSpec

URL_PATTERN = r"^https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::[0-9]+)?(?:[/?#][^\s]*)?$"
# An inventory is a list of links; fewer than this share of entries with one is a finding worth reading.
URL_SHARE_TARGET = 0.9

QUERY = """
with entries as (
    select
        *,
        try_cast(split_part(entry_no, '.', 1) as integer) as top_no,
        case when parent_group is not null then try_cast(split_part(entry_no, '.', 2) as integer) end as sub_no
    from marts.dim_data_sources
),
top_level as (
    select report_id, category,
           count(distinct top_no) as numbers, min(top_no) as first_no, max(top_no) as last_no
    from entries
    group by report_id, category
),
nested as (
    select report_id, category, top_no,
           count(*) as numbers, min(sub_no) as first_no, max(sub_no) as last_no
    from entries
    where sub_no is not null
    group by report_id, category, top_no
)
select
    e.data_source_id,
    e.report_id,
    e.category,
    e.entry_no,
    e.url,
    len(e.languages) as language_count,
    list_contains(e.languages, 'not stated') and len(e.languages) > 1 as not_stated_beside_languages,
    coalesce(
        t.first_no = 1 and t.last_no = t.numbers
        and (n.top_no is null or (n.first_no = 1 and n.last_no = n.numbers)),
        false
    ) as numbered_contiguously,
    avg(case when e.url is null then 0.0 else 1.0 end) over (partition by e.report_id) as report_url_share
from entries as e
-- "is not distinct from": an entry without a category must still reach the not-null check.
inner join top_level as t on t.report_id = e.report_id and t.category is not distinct from e.category
left join nested as n
    on n.report_id = e.report_id and n.category is not distinct from e.category and n.top_no = e.top_no
"""


def _expectations() -> list:
    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column="category"),
        # At least one language, or exactly the explicit 'not stated'.
        gx.expectations.ExpectColumnValuesToBeBetween(column="language_count", min_value=1),
        gx.expectations.ExpectColumnValuesToBeInSet(column="not_stated_beside_languages", value_set=[False]),
        # Map expectations skip nulls: entries without a link pass these two.
        gx.expectations.ExpectColumnValuesToMatchRegex(column="url", regex=URL_PATTERN),
        gx.expectations.ExpectCompoundColumnsToBeUnique(
            column_list=["report_id", "url"], ignore_row_if="any_value_is_missing"
        ),
        gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=["report_id", "category", "entry_no"]),
        gx.expectations.ExpectColumnValuesToBeInSet(column="numbered_contiguously", value_set=[True]),
        # mostly=0: a quality finding, reported (unexpected_percent = entries in reports below target) but tolerated.
        gx.expectations.ExpectColumnValuesToBeBetween(
            column="report_url_share",
            min_value=URL_SHARE_TARGET,
            max_value=1.0,
            mostly=0.0,
            severity=FailureSeverity.WARNING,
            meta={"finding": "entries without their own link (e.g. a PDF whose hyperlinks were lost)"},
        ),
    ]


SUITES = [
    SuiteSpec(
        name="sources",
        asset="marts.dim_data_sources",
        description=(
            "Data-source inventory entries: category and language statement present, links well-formed and unique "
            "per report, numbering contiguous within each category and group; link coverage per report reported."
        ),
        query=QUERY,
        expectations=_expectations,
    )
]
