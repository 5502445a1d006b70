"""Unit tests: no refresh, no warehouse.

Reading a reference PDF takes seconds to a minute, so each ../shared file is
extracted once per session and the same `Extraction` handed to every test
that asks for it (tests only read it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from extract.pipeline import Extraction, extract_file


@pytest.fixture(scope="session")
def shared_extraction(shared_dir: Path) -> Callable[[str], Extraction]:
    """``shared_extraction("corpus/reconstructed/x.pdf") -> Extraction``, read on first use, then cached."""
    extracted: dict[str, Extraction] = {}

    def extraction(relative_path: str) -> Extraction:
        if relative_path not in extracted:
            extracted[relative_path] = extract_file(shared_dir / relative_path)
        return extracted[relative_path]

    return extraction
