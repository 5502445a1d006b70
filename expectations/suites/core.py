"""Suites on the staging database and the report dimension: do they agree with each other?

The structural rules on each table (ids, hashes, statuses, types, years) are
dbt tests on stg_core__documents and dim_reports.
"""

import great_expectations as gx

from expectations.suites import SuiteSpec

SUITES = [
    SuiteSpec(
        name="staging_documents",
        asset="staging.main.documents",
        description="Every staged document comes from a file in the ingest log; every loaded one has its report info.",
        query="""
            select
                documents.document_id,
                exists (
                    select 1 from staging.main.ingest_log as log where log.sha256 = documents.sha256
                ) as file_logged,
                documents.status <> 'loaded' or exists (
                    select 1 from staging.main.report_info as info where info.document_id = documents.document_id
                ) as loaded_with_report_info
            from staging.main.documents as documents
        """,
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeInSet(column="file_logged", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="loaded_with_report_info", value_set=[True]),
        ],
    ),
    SuiteSpec(
        name="dim_reports",
        asset="marts.dim_reports",
        description="Every current report is a loaded staging document with the same content hash.",
        query="""
            select
                reports.report_id,
                exists (
                    select 1 from staging.main.documents as documents
                    where documents.document_id = reports.document_id
                      and documents.sha256 = reports.sha256
                      and documents.status = 'loaded'
                ) as staged_and_loaded
            from marts.dim_reports as reports
        """,
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeInSet(column="staged_and_loaded", value_set=[True]),
        ],
    ),
]
