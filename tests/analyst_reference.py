"""The reference warehouse of the analyst tests (CLI, analyses, SQLAlchemy, report in a browser).

Built once per test session, whichever analyst module asks first: the three
reconstructed reference reports, a generated 2023 Kazakhstan scorecard whose
ratings differ from the 2022 report's on purpose (so "what changed" has
answers), and an empty PDF (so there is a failed file to report).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests import bad_inputs
from tests.fixtures.scorecard_pdf import build_scorecard_pdf, synthetic_spec
from tests.test_scorecard_parser import RATINGS as RATINGS_2022

# What the generated 2023 report says differently from the 2022 report: indicator → (2022 rating, 2023 rating).
REGRESSED_2023 = {"2.2": ("Exceeds", "Meets"), "4.3": ("Approaches", "Missing")}
IMPROVED_2023 = {"5.1": ("Missing", "Meets")}
FAILED_FILE = "empty.pdf"

_BUILT: dict[str, Path] = {}


def reference_warehouse(shared_dir: Path, refresh_warehouse, tmp_path_factory) -> Path:
    if "warehouse" not in _BUILT:
        raw = tmp_path_factory.mktemp("analyst-raw")
        for pdf in sorted((shared_dir / "corpus" / "reconstructed").glob("*.pdf")):
            shutil.copy(pdf, raw / pdf.name)
        changes = {code: new for code, (_, new) in {**REGRESSED_2023, **IMPROVED_2023}.items()}
        ratings = {code: changes.get(code, rating) for code, (rating, _) in RATINGS_2022.items()}
        reassessed = {code: code in changes for code in RATINGS_2022}
        spec = synthetic_spec(
            "Kazakhstan", 2023, year_columns=5, seed=7, ratings=ratings, reassessed=reassessed, long_cells=False
        )
        build_scorecard_pdf(spec, raw / "unct-swap-scorecard-kazakhstan-2023.pdf")
        bad_inputs.zero_byte(raw / FAILED_FILE)
        target = tmp_path_factory.mktemp("analyst-warehouse") / "gender_equality.duckdb"
        _BUILT["raw"] = raw
        _BUILT["warehouse"] = refresh_warehouse(raw, target)
    return _BUILT["warehouse"]


def reference_raw_dir() -> Path:
    return _BUILT["raw"]
