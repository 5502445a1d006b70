"""The dbt profile as dbt renders it with no variables set: what `dbt` by hand from dbt_project/ reads and writes.

tests/warehouse/test_dbt_by_hand.py runs dbt by hand against a refreshed warehouse in a temporary folder, which
needs the two paths given; this module checks that the defaults, which it cannot use there, are the paths a
default refresh (`make refresh`) leaves: its staging database, and a developer database beside the published
file, in a folder a clone already has, that is neither the published file nor inside the refresh's build folder.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from dbt.config.profile import read_profile
from dbt.config.renderer import ProfileRenderer
from dbt_common.context import set_invocation_context
from dbt_common.exceptions import DbtRuntimeError

from gewh.settings import DBT_PROJECT_DIR, DEFAULTS, REPO_ROOT

PROFILE = read_profile(str(DBT_PROJECT_DIR))["gender_equality_warehouse"]


def render(target: str) -> dict:
    # dbt reads env_var() from its invocation context: an empty one is a shell without the variables.
    set_invocation_context({})
    return ProfileRenderer({}).render_data(PROFILE["outputs"][target])


def from_dbt_project(path: str) -> Path:
    # dbt-duckdb opens paths relative to the folder dbt runs in, which the README says is dbt_project/.
    return (DBT_PROJECT_DIR / path).resolve()


def test_dbt_by_hand_uses_the_dev_target():
    assert PROFILE["target"] == "dev"


def test_dev_target_reads_the_default_staging_database_read_only():
    (staging,) = render("dev")["attach"]
    assert from_dbt_project(staging["path"]) == DEFAULTS.staging_db
    assert staging["alias"] == "staging" and staging["read_only"] is True


def test_dev_target_builds_beside_the_published_file_never_into_it():
    dev = from_dbt_project(render("dev")["path"])
    assert dev.parent == DEFAULTS.warehouse_dir
    assert dev not in (DEFAULTS.warehouse, DEFAULTS.staging_db)
    assert DEFAULTS.build_dir not in dev.parents
    # DuckDB creates the file but not its folder: the clone has it before any refresh.
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", "warehouse/.gitkeep"], cwd=REPO_ROOT, capture_output=True, check=False
    )
    assert tracked.returncode == 0


def test_build_target_has_no_defaults_so_only_the_refresh_uses_it():
    with pytest.raises(DbtRuntimeError, match="GEWH_BUILD_DB"):
        render("build")
