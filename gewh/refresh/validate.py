"""Validate every expectation suite once per refresh, in one Great Expectations context, and write Data Docs.

The GX context is file-backed under `expectations/gx`; suites are declared in
code (`expectations.suites`) and written into the context on each run so the
stored suites never drift from the code.  Data Docs go next to the warehouse.

A refresh is one validation run: one context, one run id (run name and time) shared by every suite's result,
and one Data Docs build at the end that draws this run's pages, the suites' pages and the index.  There is no
checkpoint: each suite validates its own DataFrame, and a GX checkpoint hands the same batch parameters (here:
the one DataFrame) to every validation definition it holds, so one checkpoint cannot validate several frames; a
checkpoint without actions does nothing more than run its definitions.  Each suite's validation definition runs
directly, under the refresh's run id.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import importlib
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from expectations.suites import SuiteSpec, all_suites
from gewh.refresh.data_docs import escape_stored_values, finish_data_docs, page_of_result
from gewh.settings import GX_CONTEXT_DIR

_SITE = "local_site"
_DATASOURCE = "warehouse"
# COMPLETE, not BASIC: Data Docs show the counts of the unexpected values (partial_unexpected_counts), which BASIC
# leaves out; on the warehouse's few thousand rows it costs a few hundredths of a second per refresh.
RESULT_FORMAT = {"result_format": "COMPLETE", "partial_unexpected_count": 20}


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


def import_checks_in_background() -> threading.Thread:
    """Import Great Expectations and the suites in a thread of their own, answered.

    A refresh calls this as dbt starts building in its own process, which leaves this one waiting: the checks then
    start without their import (about 2 CPU seconds, a tenth of a small refresh's fixed cost).  An import that fails
    here fails again, with its error, where `run_checks` imports.
    """
    thread = threading.Thread(target=_import_checks, name="import-checks", daemon=True)
    thread.start()
    return thread


def _import_checks() -> None:
    with contextlib.suppress(Exception):
        importlib.import_module("great_expectations")
        importlib.import_module("great_expectations.core.run_identifier")
        all_suites()


def run_checks(
    build_db: Path, staging_db: Path, data_docs_dir: Path, results_dir: Path, run_name: str
) -> ValidationOutcome:
    """Every suite against ``build_db``, as one run; ``run_name`` (the refresh's run id) names it in Data Docs."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    data_docs_dir.mkdir(parents=True, exist_ok=True)
    results_dir.mkdir(parents=True, exist_ok=True)
    outcome = ValidationOutcome()
    suites = all_suites()
    # One run id for the whole refresh.
    run_id = RunIdentifier(run_name=_gx_run_name(run_name), run_time=dt.datetime.now(dt.UTC))
    with locked_context(data_docs_dir, results_dir) as context:
        definitions = _definitions(gx, context, suites)
        con = duckdb.connect(str(build_db))
        try:
            # ATTACH takes no parameters: the path is a quoted literal (a quote in a folder name is doubled).
            quoted = str(staging_db).replace("'", "''")
            con.execute(f"attach if not exists '{quoted}' as staging (read_only)")
            validated = []
            for spec, definition in zip(suites, definitions, strict=True):
                # One frame at a time: the refresh holds one suite's rows, never all of them.
                result = definition.run(
                    batch_parameters={"dataframe": con.sql(spec.query).df()}, result_format=RESULT_FORMAT, run_id=run_id
                )
                _collect(outcome, spec, result)
                validated.append(result)
        finally:
            con.close()
        outcome.data_docs_index = render_data_docs(context, data_docs_dir, results_dir, this_run=validated)
    return outcome


def _gx_run_name(run_name: str) -> str:
    # The words keep GX from reading the id as a date (it would show a time in place of the name).
    return f"refresh {run_name}"


def stored_results_of(results_dir: Path, run_name: str) -> list[Path]:
    """The folders holding the results `run_checks` stored for ``run_name``: ``<suite>/<GX run name>``, one per
    suite that got as far as storing one."""
    gx_run_name = _gx_run_name(run_name)
    return [folder for folder in results_dir.glob("*/*") if folder.name == gx_run_name and folder.is_dir()]


def _definitions(gx: Any, context: Any, suites: list[SuiteSpec]) -> list[Any]:
    """Each suite written into the context (from its code) with its validation definition: the suite against its
    data asset's whole DataFrame."""
    # Get before add: re-adding rewrites great_expectations.yml with fresh ids on every run.
    try:
        datasource = context.data_sources.get(_DATASOURCE)
    except (KeyError, ValueError, LookupError):
        datasource = context.data_sources.add_pandas(name=_DATASOURCE)
    return [_definition(gx, context, datasource, spec) for spec in suites]


def _definition(gx: Any, context: Any, datasource: Any, spec: SuiteSpec) -> Any:
    try:
        asset = datasource.get_asset(spec.asset)
    except LookupError:
        asset = datasource.add_dataframe_asset(name=spec.asset)
    try:
        batch_definition = asset.get_batch_definition("whole_frame")
    except (KeyError, LookupError):
        batch_definition = asset.add_batch_definition_whole_dataframe("whole_frame")
    suite = context.suites.add_or_update(gx.ExpectationSuite(name=spec.name, expectations=spec.expectations()))
    return context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=spec.name, data=batch_definition, suite=suite)
    )


def render_data_docs(
    context: Any, data_docs_dir: Path, results_dir: Path, this_run: list[Any] | None = None
) -> Path | None:
    """GX's Data Docs from the results stored in ``results_dir``, their found values escaped
    (`escape_stored_values`) and made whole without a network (`finish_data_docs`); the index page, or None
    when there is none.  Every build goes through here: a page
    GX wrote and nothing finished would load its styles and run list from the network.

    With ``this_run`` (a refresh's results, just stored), only what the run changes is drawn: its results' pages,
    the suites' pages and the index (which lists every stored run), when every earlier result has its page.
    Drawing every stored result again would make each refresh pay for all the refreshes before it.  Without it, or
    when an earlier result has no page (no site yet, or a refresh stopped while drawing removed it), the whole site
    is drawn.
    """
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    undrawn = [
        path
        for path in sorted(results_dir.rglob("*.json"))
        if not (data_docs_dir / page_of_result(results_dir, path)).exists()
    ]
    # This run's results have no page yet (their run time is new): when no other result lacks one, the run's are all.
    if this_run is not None and len(undrawn) == len(this_run):
        escape_stored_values(results_dir, undrawn)
        suites = [ExpectationSuiteIdentifier(name=key.name) for key in context.expectations_store.list_keys()]
        drawn = [
            ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=result.suite_name),
                run_id=result.meta["run_id"],
                batch_identifier=result.batch_id,
            )
            for result in this_run
        ]
        context.build_data_docs(site_names=[_SITE], resource_identifiers=[*suites, *drawn])
        suite_pages = (
            page.relative_to(data_docs_dir).as_posix() for page in (data_docs_dir / "expectations").rglob("*.html")
        )
        pages = ["index.html", *suite_pages, *(page_of_result(results_dir, path) for path in undrawn)]
        finish_data_docs(data_docs_dir, results_dir, pages)
    else:
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


def _collect(outcome: ValidationOutcome, spec: SuiteSpec, validation: Any) -> None:
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
                detail=f"unexpected: {shown(examples)}" if examples is not None else str(result.exception_info or ""),
            )
        )


def shown(examples: Any) -> str:
    """Unexpected values as an analyst reads them: plain values separated by "; ", not numpy's reprs (np.True_)."""
    values = examples if isinstance(examples, list | tuple) else [examples]
    return "; ".join(str(value.item() if hasattr(value, "item") else value) for value in values)
