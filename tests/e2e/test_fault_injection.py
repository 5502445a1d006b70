"""Damaged copies of good reports (issue 15, item 9): 30 fuzzed PDFs from a fixed seed beside the three
originals (a scorecard, an evaluation, an inventory), refreshed at once.  Every damaged file is either loaded
(then only as a version of its original's report, or a report of no known type, never a second report of
that type) or failed with a reason naming it; the refresh publishes, and the marts hold the three reports
once each."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from samples.evaluation_pdf import build_evaluation_pdf
from samples.evaluation_pdf import synthetic_spec as evaluation_spec
from samples.inventory_pdf import build_inventory_pdf
from samples.inventory_pdf import synthetic_spec as inventory_spec
from samples.scorecard_pdf import build_scorecard_pdf
from samples.scorecard_pdf import synthetic_spec as scorecard_spec
from tests import bad_inputs
from tests.warehouse_sql import fetch_all

pytestmark = pytest.mark.slow

SEED = 20261130
FUZZED = 30
ORIGINAL_REPORTS = {
    "scorecard-uganda-2022",
    "evaluation-zambia-2018-2021",
    "source_inventory-malawi",
}


@pytest.fixture(scope="module")
def fuzzed(run_refresh, tmp_path_factory):
    raw = tmp_path_factory.mktemp("fuzz-raw")
    originals = [
        build_scorecard_pdf(
            scorecard_spec("Uganda", 2022, year_columns=2, seed=3, long_cells=False), raw / "scorecard.pdf"
        ),
        build_evaluation_pdf(evaluation_spec("Zambia", 2018, 2021, seed=5, n_projects=3), raw / "evaluation.pdf"),
        build_inventory_pdf(inventory_spec("Malawi", seed=7), raw / "inventory.pdf"),
    ]
    rng = random.Random(SEED)
    mutations = {}
    (raw / "fuzz").mkdir()
    for number in range(FUZZED):
        source = originals[number % len(originals)]
        path, mutation = bad_inputs.fuzzed_pdf(raw / "fuzz" / f"{number:02d}-{source.stem}.pdf", source, rng)
        mutations[f"fuzz/{path.name}"] = mutation
    return run_refresh(raw, tmp_path_factory.mktemp("fuzz-wh") / "gender_equality.duckdb"), mutations


def test_every_mutation_is_drawn(fuzzed):
    _, mutations = fuzzed
    assert set(mutations.values()) == set(bad_inputs.FUZZ_MUTATIONS)


def test_the_refresh_publishes_and_every_damaged_file_is_loaded_or_failed_with_its_reason(fuzzed):
    summary, mutations = fuzzed
    assert summary.published, summary.render()
    documents = {
        path: (status, error)
        for path, status, error in fetch_all(
            summary.warehouse,
            "select source_path, status, error from marts.dim_documents where source_path like 'fuzz/%'",
        )
    }
    assert set(documents) == set(mutations)
    for path, (status, error) in documents.items():
        assert status in {"loaded", "failed", "quarantined"}, (path, status)
        if status == "failed":
            # "<file>: <reason>" or "<file>, page <n>: <reason>"
            assert re.match(rf"{re.escape(path.rpartition('/')[2])}(?:, page \d+)?: \S", error or ""), (path, error)
    # The damage leaves some files readable and breaks others: both outcomes occur.
    assert {"loaded", "failed"} <= {status for status, _ in documents.values()}


def test_no_damaged_copy_is_published_as_a_second_report(fuzzed):
    summary, _ = fuzzed
    published = fetch_all(
        summary.warehouse,
        "select report_id, report_type from marts.dim_reports where is_published and report_type != 'unknown'",
    )
    assert Counter(report_type for _, report_type in published) == {
        "scorecard": 1,
        "evaluation": 1,
        "source_inventory": 1,
    }
    assert {report_id for report_id, _ in published} == ORIGINAL_REPORTS
    for mart in ("fct_indicator_ratings", "fct_recommendations", "dim_data_sources"):
        assert fetch_all(summary.warehouse, f"select distinct report_id from marts.{mart}") in (
            [(report_id,)] for report_id in ORIGINAL_REPORTS
        ), mart
