"""`gewh docs`: dbt docs (models, columns, lineage, exposures) and Great Expectations Data Docs, beside the warehouse.

dbt docs are generated as one self-contained page (`dbt docs generate --static`)
into ``<warehouse dir>/dbt_docs/index.html``.  dbt reads the catalog (column
types, row counts) from a copy of the published file, never the file itself:
dbt-duckdb opens its database for writing.  Without a published warehouse the
docs are still built, from the project alone (no catalog).  Data Docs are
rebuilt from the validation results the last refresh stored.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from gewh.refresh.transform import dbt_arguments
from gewh.refresh.validate import locked_context, render_data_docs
from gewh.settings import Settings

DBT_DOCS_DIR = "dbt_docs"


@dataclass
class DocsOutcome:
    dbt_docs: Path
    with_catalog: bool
    data_docs: Path | None


def build_docs(warehouse: Path, announce: Callable[[str], None] = lambda line: None) -> DocsOutcome:
    """The dbt docs and the Data Docs of ``warehouse``; ``announce`` gets a line as each starts (dbt's takes
    seconds to minutes)."""
    settings = Settings(warehouse=Path(warehouse).resolve())
    dbt_docs = settings.warehouse_dir / DBT_DOCS_DIR / "index.html"
    with_catalog = settings.warehouse.is_file()
    with tempfile.TemporaryDirectory(prefix="gewh-docs-") as scratch:
        work = Path(scratch)
        build_db, staging_db = work / settings.warehouse.name, work / settings.staging_db.name
        for source, copy in ((settings.warehouse, build_db), (settings.staging_db, staging_db)):
            if source.is_file():
                shutil.copyfile(source, copy)
            else:
                duckdb.connect(str(copy)).close()
        announce("generating the dbt docs (dbt docs generate: models, columns, lineage, row counts)")
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
            error = pool.submit(_generate_dbt_docs, build_db, staging_db, work, not with_catalog).result()
        if error:
            raise RuntimeError(f"dbt docs generate failed: {error}")
        dbt_docs.parent.mkdir(parents=True, exist_ok=True)
        for name in ("manifest.json", "catalog.json"):
            shutil.copyfile(work / "target" / name, dbt_docs.with_name(name))
        partial = dbt_docs.with_name(f".{dbt_docs.name}.partial")
        shutil.copyfile(work / "target" / "static_index.html", partial)
        os.replace(partial, dbt_docs)
    announce("rendering the Data Docs from the stored validation results")
    return DocsOutcome(dbt_docs=dbt_docs, with_catalog=with_catalog, data_docs=build_data_docs(settings))


def _generate_dbt_docs(build_db: Path, staging_db: Path, work: Path, empty_catalog: bool) -> str:
    """In a child process (dbt keeps its DuckDB instance for the life of the process); returns an error or ""."""
    from dbt.cli.main import dbtRunner

    os.environ["GEWH_BUILD_DB"] = str(build_db)
    os.environ["GEWH_STAGING_DB"] = str(staging_db)
    args = dbt_arguments(["docs", "generate", "--static"], work)
    if empty_catalog:
        args.append("--empty-catalog")
    result = dbtRunner().invoke(args)
    if result.exception is not None:
        return str(result.exception)
    return "" if result.success else "see the dbt log"


def build_data_docs(settings: Settings) -> Path | None:
    """Rebuild Data Docs from the stored validation results; None when no refresh has validated yet."""
    if not settings.validation_results_dir.is_dir():
        return None
    with locked_context(settings.data_docs_dir, settings.validation_results_dir) as context:
        return render_data_docs(context, settings.data_docs_dir, settings.validation_results_dir)
