"""Suites on the staging database and the report dimension."""

import great_expectations as gx

from expectations.suites import SuiteSpec

SUITES = [
    SuiteSpec(
        name="staging_documents",
        description="Every staged file has an id, a hash and a known status; failures say why.",
        query="""
            select document_id, sha256, file_name, status, doc_type,
                   (status = 'failed') = (error is not null) as error_iff_failed
            from staging.main.documents
        """,
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToNotBeNull(column="document_id"),
            gx.expectations.ExpectColumnValuesToBeUnique(column="sha256"),
            gx.expectations.ExpectColumnValuesToMatchRegex(column="sha256", regex=r"^[0-9a-f]{64}$"),
            gx.expectations.ExpectColumnValuesToBeInSet(column="status", value_set=["loaded", "failed", "removed"]),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="doc_type",
                value_set=["evaluation", "scorecard", "source_inventory", "unknown", "recommendation_status", None],
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(column="error_iff_failed", value_set=[True]),
        ],
    ),
    SuiteSpec(
        name="dim_reports",
        description="One row per current report, with a type, a source file and sane years.",
        query="select * from marts.dim_reports",
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeUnique(column="report_id"),
            gx.expectations.ExpectColumnValuesToNotBeNull(column="source_file"),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="report_type", value_set=["evaluation", "scorecard", "source_inventory", "unknown"]
            ),
            gx.expectations.ExpectColumnValuesToBeBetween(column="report_year", min_value=1990, max_value=2100),
            gx.expectations.ExpectColumnValuesToBeBetween(column="page_count", min_value=1),
            gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="period_end", column_B="period_start", or_equal=True, ignore_row_if="either_value_is_missing"
            ),
        ],
    ),
]
