"""Paths, defaults and the environment that keeps Prefect, dbt and Great Expectations offline.

Importing this module before prefect/dbt/great_expectations is what makes a
run self-contained: a project-local PREFECT_HOME, Prefect's ephemeral API,
and no telemetry.  Values already set in the environment win.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
GX_CONTEXT_DIR = REPO_ROOT / "expectations" / "gx"
DEFAULT_RAW_DIR = REPO_ROOT / "raw"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "gender_equality.duckdb"

OFFLINE_ENVIRONMENT = {
    "PREFECT_HOME": str(REPO_ROOT / ".prefect"),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    # The ephemeral API takes ~15 s to start on a busy 2-core machine; the default 20 s limit is too tight.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_TO_API_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DBT_VERSION_CHECK": "false",
    "GX_ANALYTICS_ENABLED": "false",
}


def apply_offline_environment() -> None:
    for key, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(key, value)


apply_offline_environment()


@dataclass(frozen=True)
class RefreshSettings:
    raw_dir: Path = DEFAULT_RAW_DIR
    warehouse: Path = DEFAULT_WAREHOUSE
    full: bool = False

    @property
    def warehouse_dir(self) -> Path:
        return self.warehouse.parent

    @property
    def staging_db(self) -> Path:
        return self.warehouse.with_name(f"{self.warehouse.stem}.staging.duckdb")

    @property
    def build_dir(self) -> Path:
        return self.warehouse.with_name(f".{self.warehouse.stem}.build")

    @property
    def data_docs_dir(self) -> Path:
        return self.warehouse_dir / "data_docs"

    @property
    def validation_results_dir(self) -> Path:
        return self.warehouse_dir / "gx_validations"

    @property
    def lock_file(self) -> Path:
        return self.warehouse.with_name(f".{self.warehouse.stem}.refresh.lock")
