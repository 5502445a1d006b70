"""The raw folders of the shared warehouses that tests/warehouse/conftest.py builds once per session.

Three sets, because some reports cannot share a warehouse with the assertions
of another module:

- the analyst set (CLI, analyses, SQLAlchemy, report in a browser): the three
  reconstructed reference reports, a generated 2023 Kazakhstan scorecard whose
  ratings differ from the 2022 report's on purpose (so "what changed" has
  answers), and an empty PDF (so there is a failed file to report).  The
  analyst tests count recommendations, budgets and donors over the whole
  warehouse, so it holds one evaluation only.
- the evaluation set: the Kazakhstan CPE, the Liberia ICPE and two generated
  CPEs (Moldova, consistent throughout; Georgia, with one deliberate
  inconsistency per check), plus a generated Ghana scorecard whose stated
  percentage contradicts its own parts (test_scorecard_quality_flags).
- the renditions set: the Kazakhstan CPE's text rendition (it has the PDF's
  report_id, so the two cannot be current together) and the data-source
  inventory as PDF and as text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests import bad_inputs
from samples.evaluation_pdf import EvaluationSpec, ProjectSpec, build_evaluation_pdf, synthetic_spec
from samples.scorecard_pdf import build_scorecard_pdf
from samples.scorecard_pdf import synthetic_spec as scorecard_spec
from tests.unit.test_scorecard_parser import RATINGS as RATINGS_2022

# What the generated 2023 report says differently from the 2022 report: indicator → (2022 rating, 2023 rating).
REGRESSED_2023 = {"2.2": ("Exceeds", "Meets"), "4.3": ("Approaches", "Missing")}
IMPROVED_2023 = {"5.1": ("Missing", "Meets")}
FAILED_FILE = "empty.pdf"
M = 1_000_000


def write_analyst_raw(shared_dir: Path, raw: Path) -> None:
    for pdf in sorted((shared_dir / "corpus" / "reconstructed").glob("*.pdf")):
        shutil.copy(pdf, raw / pdf.name)
    changes = {code: new for code, (_, new) in {**REGRESSED_2023, **IMPROVED_2023}.items()}
    ratings = {code: changes.get(code, rating) for code, (rating, _) in RATINGS_2022.items()}
    reassessed = {code: code in changes for code in RATINGS_2022}
    spec = scorecard_spec(
        "Kazakhstan", 2023, year_columns=5, seed=7, ratings=ratings, reassessed=reassessed, long_cells=False
    )
    build_scorecard_pdf(spec, raw / "unct-swap-scorecard-kazakhstan-2023.pdf")
    bad_inputs.zero_byte(raw / FAILED_FILE)


def georgia_spec() -> EvaluationSpec:
    """A report that contradicts itself once per check."""
    spec = synthetic_spec("Georgia", 2017, 2021, seed=11, n_projects=4)
    spec.budget_musd, spec.delivered_musd, spec.stated_rate_percent = 10.0, 6.0, 70  # 60 % delivered, 70 % stated
    spec.stated_project_count = 5  # four rows in the table
    spec.projects[1] = ProjectSpec("Project with its years reversed", 2021, 2019, "UNDP", None, 300_000)
    spec.projects[2] = ProjectSpec("Joint project with a share above its total", 2018, 2020, "EU", 900_000, 600_000)
    total = spec.projects[0].total_usd / M
    spec.programme_statement_musd = (round(total + 1, 1), round(spec.projects[0].entity_share_usd / M, 1))
    return spec


def write_evaluation_raw(shared_dir: Path, raw: Path) -> None:
    shutil.copy(shared_dir / "corpus/reconstructed/unwomen-cpe-kazakhstan-2016-2020.pdf", raw)
    shutil.copy(shared_dir / "corpus/pdf/undp-icpe-liberia-2025.pdf", raw)
    build_evaluation_pdf(synthetic_spec("Moldova", 2018, 2022, seed=3), raw / "cpe-moldova.pdf")
    build_evaluation_pdf(georgia_spec(), raw / "cpe-georgia.pdf")
    ghana = scorecard_spec("Ghana", 2023, year_columns=4, seed=3, long_cells=False)
    ghana.findings["1.3"] = "Of the 80 outcome indicators, 20 (60%) track progress towards gender equality results."
    build_scorecard_pdf(ghana, raw / "ghana-2023.pdf")


def write_renditions_raw(shared_dir: Path, raw: Path) -> None:
    for text in (next((shared_dir / "seeds").glob("000_*.txt")), next((shared_dir / "seeds").glob("002_*.txt"))):
        shutil.copy(text, raw / text.name)
    inventory = "kazakhstan-gender-data-sources.pdf"
    shutil.copy(shared_dir / "corpus" / "reconstructed" / inventory, raw / inventory)
