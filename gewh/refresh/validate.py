"""Run every expectation suite through a Great Expectations checkpoint and write Data Docs.

The GX context is file-backed under `expectations/gx`; suites are declared in
code (`expectations.suites`) and written into the context on each run so the
stored suites never drift from the code.  Data Docs go next to the warehouse.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from expectations.suites import SuiteSpec, all_suites
from gewh.refresh.data_docs import escape_stored_values, finish_data_docs
from gewh.settings import GX_CONTEXT_DIR

_SITE = "local_site"
_DATASOURCE = "warehouse"


@dataclass
class CheckFailure:
    suite: str
    expectation: str
    column: str | None
    detail: str

    def describe(self) -> str:
        return f"{self.suite}: {self.expectation}({self.column or ''}) {self.detail}"


@dataclass
class ValidationOutcome:
    passed: int = 0
    failed: int = 0
    failures: list[CheckFailure] = field(default_factory=list)
    # Failed expectations of severity warning/info: reported, but they do not stop publishing.
    warnings: list[CheckFailure] = field(default_factory=list)
    data_docs_index: Path | None = None

    @property
    def success(self) -> bool:
        return self.failed == 0

    @property
    def failure_reason(self) -> str:
        return f"{self.failed} expectation(s) failed; see data docs"


def run_checks(
    build_db: Path, staging_db: Path, data_docs_dir: Path, results_dir: Path, run_name: str
) -> ValidationOutcome:
    """Every suite against ``build_db``; ``run_name`` (the refresh's run id) names the runs in Data Docs."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    data_docs_dir.mkdir(parents=True, exist_ok=True)
    results_dir.mkdir(parents=True, exist_ok=True)
    outcome = ValidationOutcome()
    with locked_context(data_docs_dir, results_dir) as context:
        # Get before add: re-adding rewrites great_expectations.yml with fresh ids on every run.
        try:
            datasource = context.data_sources.get(_DATASOURCE)
        except (KeyError, ValueError, LookupError):
            datasource = context.data_sources.add_pandas(name=_DATASOURCE)
        con = duckdb.connect(str(build_db))
        try:
            # ATTACH takes no parameters: the path is a quoted literal (a quote in a folder name is doubled).
            quoted = str(staging_db).replace("'", "''")
            con.execute(f"attach if not exists '{quoted}' as staging (read_only)")
            for spec in all_suites():
                frame = con.sql(spec.query).df()
                run_id = RunIdentifier(run_name=_gx_run_name(run_name))
                result = _run_suite(gx, context, datasource, spec, frame, run_id)
                _collect(outcome, spec, result)
        finally:
            con.close()
        outcome.data_docs_index = render_data_docs(context, data_docs_dir, results_dir)
    return outcome


def _gx_run_name(run_name: str) -> str:
    # The words keep GX from reading the id as a date (it would show a time in place of the name).
    return f"refresh {run_name}"


def stored_results_of(results_dir: Path, run_name: str) -> list[Path]:
    """The folders holding the results `run_checks` stored for ``run_name``: ``<suite>/<GX run name>``, one per
    suite that got as far as storing one."""
    gx_run_name = _gx_run_name(run_name)
    return [folder for folder in results_dir.glob("*/*") if folder.name == gx_run_name and folder.is_dir()]


def render_data_docs(context: Any, data_docs_dir: Path, results_dir: Path) -> Path | None:
    """GX's Data Docs from the results stored in ``results_dir``, their found values escaped
    (`escape_stored_values`) and made whole without a network (`finish_data_docs`); the index page, or None
    when there is none.  Every build goes through here: a page
    GX wrote and nothing finished would load its styles and run list from the network."""
    escape_stored_values(results_dir)
    context.build_data_docs(site_names=[_SITE])
    finish_data_docs(data_docs_dir, results_dir)
    index = data_docs_dir / "index.html"
    return index if index.exists() else None


@contextmanager
def locked_context(data_docs_dir: Path, results_dir: Path) -> Iterator[Any]:
    """The file-backed GX context, writing Data Docs to ``data_docs_dir`` and results to ``results_dir``, held
    by this process alone until the block ends.

    Every refresh from this checkout, whatever its warehouse, rewrites the same suite, validation and
    checkpoint files, and GX writes them in place: a refresh reading one while another rewrites it reads
    an empty file.  The lock (released by the system if the process dies) makes them take turns.
    """
    import great_expectations as gx

    lock_file = GX_CONTEXT_DIR / "uncommitted" / "context.lock"
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _forget_generated_definitions()
        # great_expectations.yml reads these two locations from the environment when the context is made.
        os.environ["GEWH_DATA_DOCS_DIR"] = str(data_docs_dir)
        os.environ["GEWH_GX_RESULTS_DIR"] = str(results_dir)
        yield gx.get_context(mode="file", project_root_dir=str(GX_CONTEXT_DIR.parent))


def _forget_generated_definitions() -> None:
    """Remove the validation definitions and checkpoints an earlier refresh wrote.

    The suites are code (expectations/suites) and every refresh writes these files again from them.  One
    written by an earlier version names a data asset that is gone (a suite's asset renamed), and GX cannot
    even load it to replace it: starting from none makes the context follow the code, whatever came before.
    """
    for folder in ("validation_definitions", "checkpoints"):
        for stale in (GX_CONTEXT_DIR / folder).glob("*.json"):
            stale.unlink()


def _run_suite(gx, context, datasource, spec: SuiteSpec, frame, run_id):
    try:
        asset = datasource.get_asset(spec.asset)
    except LookupError:
        asset = datasource.add_dataframe_asset(name=spec.asset)
    try:
        batch_definition = asset.get_batch_definition("whole_frame")
    except (KeyError, LookupError):
        batch_definition = asset.add_batch_definition_whole_dataframe("whole_frame")
    suite = context.suites.add_or_update(gx.ExpectationSuite(name=spec.name, expectations=spec.expectations()))
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=spec.name, data=batch_definition, suite=suite)
    )
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=f"{spec.name}_checkpoint",
            validation_definitions=[definition],
            # No UpdateDataDocsAction: it renders every stored result again after each suite (three quarters
            # of the checks' time); run_checks builds the Data Docs once, after the last suite.
            actions=[],
            result_format={"result_format": "COMPLETE", "partial_unexpected_count": 20},
        )
    )
    return checkpoint.run(batch_parameters={"dataframe": frame}, run_id=run_id)


def _collect(outcome: ValidationOutcome, spec: SuiteSpec, checkpoint_result) -> None:
    for validation in checkpoint_result.run_results.values():
        for result in validation.results:
            if result.success:
                outcome.passed += 1
                continue
            config = result.expectation_config
            details = result.result or {}
            examples = details.get("partial_unexpected_list") or details.get("observed_value")
            blocking = str(getattr(config, "severity", "critical")).lower().endswith("critical")
            if blocking:
                outcome.failed += 1
            (outcome.failures if blocking else outcome.warnings).append(
                CheckFailure(
                    suite=spec.name,
                    expectation=config.type,
                    column=config.kwargs.get("column"),
                    detail=f"unexpected: {shown(examples)}"
                    if examples is not None
                    else str(result.exception_info or ""),
                )
            )


def shown(examples: Any) -> str:
    """Unexpected values as an analyst reads them: plain values separated by "; ", not numpy's reprs (np.True_)."""
    values = examples if isinstance(examples, list | tuple) else [examples]
    return "; ".join(str(value.item() if hasattr(value, "item") else value) for value in values)
