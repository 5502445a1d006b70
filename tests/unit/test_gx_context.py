"""The GX file context follows the suites in code, whatever an earlier version of the project left in it."""

from __future__ import annotations

import json
import shutil

import great_expectations as gx
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier

from expectations.suites import all_suites
from gewh.refresh import validate


def test_a_validation_definition_naming_an_asset_that_is_gone_does_not_stop_the_checks(tmp_path, monkeypatch):
    context_dir = tmp_path / "gx"
    (context_dir / "validation_definitions").mkdir(parents=True)
    shutil.copy(validate.GX_CONTEXT_DIR / "great_expectations.yml", context_dir)
    spec = next(suite for suite in all_suites() if suite.name == "dim_reports")
    # What an earlier version wrote: the suite's definition, on a data asset since renamed.
    (context_dir / "validation_definitions" / f"{spec.name}.json").write_text(
        json.dumps(
            {
                "data": {
                    "asset": {"id": "4ffb8dee-3eee-4e7c-aa67-b8b25c30cc3d", "name": "dim_reports_frame"},
                    "batch_definition": {"id": "80633750-805d-467c-a3b0-dd027a114e2d", "name": "whole_frame"},
                    "datasource": {"id": "edc0e59d-5cc4-4504-81f8-01aa8700cd3a", "name": "warehouse"},
                },
                "id": "e39ffa2f-65f8-47ec-bb85-8823e9171a18",
                "name": spec.name,
                "suite": {"id": "ea303083-b5c6-4cd5-95b9-fe5bac63d16a", "name": spec.name},
            }
        )
    )
    monkeypatch.setattr(validate, "GX_CONTEXT_DIR", context_dir)
    # The context sets these for GX: kept per test, not left behind in the session's environment.
    monkeypatch.setenv("GEWH_DATA_DOCS_DIR", "")
    monkeypatch.setenv("GEWH_GX_RESULTS_DIR", "")
    with validate.locked_context(tmp_path / "docs", tmp_path / "results") as context:
        [definition] = validate._definitions(gx, context, [spec])
        frame = pd.DataFrame({"report_id": ["scorecard-ghana-2023"]})
        result = definition.run(batch_parameters={"dataframe": frame}, run_id=RunIdentifier(run_name="refresh test"))
    assert result.results
