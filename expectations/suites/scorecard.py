"""Suites on the UNCT-SWAP scorecard marts.

`scorecard` is the publish gate on `marts.fct_scorecard_consistency`: a
critical disagreement (the sections of a report rate an indicator
differently) stops the publish and the failure lists the `disagreement`
messages, which name the report, the indicator and both values; a stated
percentage that does not match its parts is a warning.  The structural rules
on the rating and action-plan facts are dbt tests.
"""

from expectations.suites import consistency_suite

SUITES = [
    consistency_suite(
        name="scorecard",
        area="scorecard",
        checks_mart="fct_scorecard_consistency",
        description=(
            "Overview table, detailed findings and evidence section agree on every indicator's rating and "
            "reassessed flag (critical). Warnings: every indicator of the report's framework edition is rated "
            "where the edition's list is held, each rating is a point of the edition's scale, each rated code is "
            "one the edition defines, stated percentages agree with their parts. A failure lists the "
            "disagreements by report, indicator and both values."
        ),
    ),
]
