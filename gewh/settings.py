"""Paths, defaults and the environment that keeps Prefect, dbt and Great Expectations offline.

Importing this module before prefect/dbt/great_expectations is what makes a
run self-contained: a project-local PREFECT_HOME, Prefect's ephemeral API,
and no telemetry.  Values already set in the environment win.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
GX_CONTEXT_DIR = REPO_ROOT / "expectations" / "gx"
DEFAULT_RAW_DIR = REPO_ROOT / "raw"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "gender_equality.duckdb"
DEFAULT_CONFIG_FILE = REPO_ROOT / "gewh.toml"

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


@dataclass(frozen=True)
class Config:
    """What `gewh.toml` says, after defaults; command-line flags are applied on top with `override`."""

    raw: Path = DEFAULT_RAW_DIR
    warehouse: Path = DEFAULT_WAREHOUSE
    timeout_seconds: float = 300.0
    memory_limit_mb: int = 4096
    cron: str = "0 6 * * *"
    # Documents extracted at once on this machine; None means one per CPU core.
    workers: int | None = None
    # A Dask scheduler (tcp://host:8786) to extract on instead of this machine's processes.
    dask_address: str | None = None

    def override(self, **flags) -> Config:
        config = replace(self, **{key: value for key, value in flags.items() if value is not None})
        if config.workers is not None and config.workers < 1:
            raise ValueError(f"workers must be at least 1, not {config.workers}")
        return config


def load_config(path: Path | None = None) -> Config:
    """Read the settings file (default: gewh.toml in the repository); a missing default file means defaults."""
    path = path or DEFAULT_CONFIG_FILE
    if not path.exists():
        if path == DEFAULT_CONFIG_FILE:
            return Config()
        raise FileNotFoundError(f"settings file not found: {path}")
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    refresh = data.get("refresh", {})
    schedule = data.get("schedule", {})
    base = path.resolve().parent
    known = {"raw", "warehouse", "timeout_seconds", "memory_limit_mb", "workers", "dask_address"}
    unknown = set(refresh) - known | {f"schedule.{k}" for k in schedule if k != "cron"}
    if unknown:
        raise ValueError(f"{path}: unknown settings {sorted(unknown)}")
    config = Config()
    return config.override(
        raw=base / refresh["raw"] if "raw" in refresh else None,
        warehouse=base / refresh["warehouse"] if "warehouse" in refresh else None,
        timeout_seconds=float(refresh["timeout_seconds"]) if "timeout_seconds" in refresh else None,
        memory_limit_mb=int(refresh["memory_limit_mb"]) if "memory_limit_mb" in refresh else None,
        workers=int(refresh["workers"]) if "workers" in refresh else None,
        dask_address=str(refresh["dask_address"]) if "dask_address" in refresh else None,
        cron=schedule.get("cron"),
    )
