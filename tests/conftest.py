"""Shared test fixtures.

Reference reports live in ../shared beside the repository.  Tests that read
them use `shared_dir`: in CI (CI=true) a missing folder is a failure, because
CI is promised that material; elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED_DIR / "corpus").is_dir():
        message = f"reference material not found at {SHARED_DIR} (expected ../shared beside the repository)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_DIR
