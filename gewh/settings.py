"""The settings of a refresh (one class, with gewh.toml's names and the defaults), paths, and the offline environment.

Every entry point (`gewh`, `python -m flows.refresh`, the isolation child, the
tests) calls `apply_offline_environment()` before anything imports Prefect, dbt
or Great Expectations: a project-local PREFECT_HOME, Prefect's ephemeral API, and
no telemetry.  Values already set in the environment win.
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


@dataclass(frozen=True)
class Settings:
    """What a refresh is asked to do: gewh.toml's keys (same names) over these defaults, command-line flags on top."""

    raw: Path = DEFAULT_RAW_DIR
    warehouse: Path = DEFAULT_WAREHOUSE
    # Per-document extraction limits.  CPU time is what stops a pathological document: a busy machine slows a
    # good one down in wall-clock time without using its CPU (the slowest reference report needs about 15 s).
    cpu_limit_seconds: float = 120.0
    # Wall-clock backstop for a child that hangs without computing; generous, so that load alone never trips it.
    timeout_seconds: float = 600.0
    memory_limit_mb: int = 4096
    # Documents extracted at once on this machine; None means one per CPU core.
    workers: int | None = None
    # A Dask scheduler (tcp://host:8786) to extract on instead of this machine's processes.
    dask_address: str | None = None
    # Mode of every file a refresh writes (folders get search rights too): owner writes, group reads (a BI
    # tool's account in the owner's group), others nothing.  gewh.toml writes it as an octal string, "0640".
    file_mode: int = 0o640
    # When `gewh serve` runs the refresh (cron syntax, UTC).
    cron: str = "0 6 * * *"
    # Re-extract every file, even unchanged ones (and so rebuild every mart): a command-line flag, not a file setting.
    full: bool = False
    # Build every mart from staging in an empty file rather than from a copy of the published warehouse, even when
    # nothing changed: a command-line flag too.
    full_rebuild: bool = False

    def override(self, **flags) -> Settings:
        """These settings with every flag that is not None put on top."""
        settings = replace(self, **{key: value for key, value in flags.items() if value is not None})
        if settings.workers is not None and settings.workers < 1:
            raise ValueError(f"workers must be at least 1, not {settings.workers}")
        return settings

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

    @property
    def serve_file(self) -> Path:
        """Where a running `gewh serve` of this warehouse says where its Prefect server is (one serve per warehouse)."""
        return self.warehouse.with_name(f".{self.warehouse.stem}.serve.json")


DEFAULTS = Settings()


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file (default: gewh.toml in the repository); a missing default file means the defaults."""
    path = path or DEFAULT_CONFIG_FILE
    if not path.exists():
        if path == DEFAULT_CONFIG_FILE:
            return DEFAULTS
        raise FileNotFoundError(f"settings file not found: {path}")
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    refresh = data.get("refresh", {})
    schedule = data.get("schedule", {})
    base = path.resolve().parent
    known = {
        "raw",
        "warehouse",
        "cpu_limit_seconds",
        "timeout_seconds",
        "memory_limit_mb",
        "workers",
        "dask_address",
        "file_mode",
    }
    unknown = set(refresh) - known | {f"schedule.{k}" for k in schedule if k != "cron"}
    if unknown:
        raise ValueError(f"{path}: unknown settings {sorted(unknown)}")
    return DEFAULTS.override(
        raw=base / refresh["raw"] if "raw" in refresh else None,
        warehouse=base / refresh["warehouse"] if "warehouse" in refresh else None,
        cpu_limit_seconds=float(refresh["cpu_limit_seconds"]) if "cpu_limit_seconds" in refresh else None,
        timeout_seconds=float(refresh["timeout_seconds"]) if "timeout_seconds" in refresh else None,
        memory_limit_mb=int(refresh["memory_limit_mb"]) if "memory_limit_mb" in refresh else None,
        workers=int(refresh["workers"]) if "workers" in refresh else None,
        dask_address=str(refresh["dask_address"]) if "dask_address" in refresh else None,
        file_mode=_file_mode(path, refresh["file_mode"]) if "file_mode" in refresh else None,
        cron=schedule.get("cron"),
    )


def _file_mode(path: Path, value: object) -> int:
    """An octal mode written as a string ("0640"): owner may read, nobody else may write."""
    try:
        mode = int(str(value), 8)
    except ValueError:
        raise ValueError(f'{path}: file_mode must be an octal string such as "0640", not {value!r}') from None
    if not 0 <= mode <= 0o777 or mode & 0o600 != 0o600 or mode & 0o022:
        raise ValueError(f"{path}: file_mode {value!r} must let the owner read and write and nobody else write")
    return mode
