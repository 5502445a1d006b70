"""Every report type, rendered from one content object in every layout of the matrix, gives the records
of its text rendition (apart from provenance: pages and line numbers).

Each PDF is generated and read once per session; content varies across cases (countries, 4-12 portfolio
rows, 3-5 action-plan years, 0-8 actions per recommendation) so layouts are not tuned to one report.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from extract.document.pdf import read_pdf
from extract.pipeline import extract_file
from samples import evaluation_pdf, inventory_pdf, scorecard_pdf
from samples.pdf_builder import LAYOUTS, PageLayout

PROVENANCE = {"source_page", "source_page_last", "source_file"}


def _scorecard(index: int) -> Any:
    countries = ("Kazakhstan", "Uruguay", "Viet Nam", "Kenya")
    return scorecard_pdf.synthetic_spec(countries[index % 4], 2023, year_columns=3 + index % 3, seed=index)


def _evaluation(index: int) -> Any:
    countries = ("Kazakhstan", "Moldova", "Jordan", "Senegal")
    spec = evaluation_pdf.synthetic_spec(countries[index % 4], 2016, 2020, seed=index, n_projects=(4, 8, 12)[index % 3])
    for number, recommendation in enumerate(spec.recommendations):
        count = (0, 8, 3, 1)[(index + number) % 4]
        recommendation.actions = [
            f"Carry out step {step} of recommendation {number + 1}" for step in range(1, count + 1)
        ]
    return spec


def _cpe_shaped() -> Any:
    """A country portfolio evaluation shaped like the Kazakhstan CPE (generated text): 8 projects with long
    names and ministries as donors, so rows are tall and, on Letter paper in the grid layout, one row is
    cut by the page break."""
    spec = evaluation_pdf.synthetic_spec("Kazakhstan", 2016, 2020, seed=0, n_projects=8)
    ministries = ("Labour and Social Protection", "Foreign Affairs", "National Economy", "Social Development")
    for number, project in enumerate(spec.projects[1:], start=2):
        project.name = (
            f"Project {number}: support to national partners on women's economic empowerment and "
            f"gender-responsive planning and budgeting in {spec.country}"
        )
        project.donor = f"Ministry of {ministries[number % 4]} of {spec.country}"
    spec.name_column_mm = 60.0
    return spec


# The layout in which the CPE-shaped portfolio has a row cut by the page break (checked by the test).
CUT_ROW_LAYOUT = "grid-letter-serif11"


def _inventory(index: int) -> Any:
    return inventory_pdf.synthetic_spec(("Testland", "Kazakhstan", "Uzbekistan")[index % 3], seed=index)


REPORT_TYPES: dict[str, tuple[Callable[[int], Any], Callable[..., Path], Callable[..., Path]]] = {
    "scorecard": (_scorecard, scorecard_pdf.build_scorecard_pdf, scorecard_pdf.build_scorecard_text),
    "evaluation": (_evaluation, evaluation_pdf.build_evaluation_pdf, evaluation_pdf.build_evaluation_text),
    "inventory": (_inventory, inventory_pdf.build_inventory_pdf, inventory_pdf.build_inventory_text),
}
CASES = [
    pytest.param(kind, index, layout, id=f"{kind}-{layout.name}")
    for kind in REPORT_TYPES
    for index, layout in enumerate(LAYOUTS)
]


def facts(path: Path) -> tuple[str, dict[str, list[dict[str, Any]]]]:
    extraction = extract_file(path)
    records = {
        table: [{k: v for k, v in dataclasses.asdict(row).items() if k not in PROVENANCE} for row in rows]
        for table, rows in extraction.parsed.records.items()
    }
    return extraction.doc_type, records


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> Callable[[str, int, PageLayout], tuple[Any, Any]]:
    """(text-rendition facts, PDF facts) for a report type, content variant and layout, built once each."""
    folder = tmp_path_factory.mktemp("layout_matrix")
    cache: dict[tuple[str, int, str], tuple[Any, Any]] = {}

    def build(kind: str, index: int, layout: PageLayout) -> tuple[Any, Any]:
        key = (kind, index, layout.name)
        if key not in cache:
            make_spec, build_pdf, build_text = REPORT_TYPES[kind]
            spec = make_spec(index)
            text = facts(build_text(spec, folder / f"{kind}-{index}.txt"))
            pdf = facts(build_pdf(spec, folder / f"{kind}-{index}-{layout.name}.pdf", layout))
            cache[key] = (text, pdf)
        return cache[key]

    return build


@pytest.mark.parametrize(("kind", "index", "layout"), CASES)
def test_layout_gives_the_text_renditions_records(rendered, kind: str, index: int, layout: PageLayout) -> None:
    (text_type, expected), (pdf_type, read) = rendered(kind, index, layout)
    assert pdf_type == text_type
    assert sum(map(len, expected.values())) > 0
    for table, rows in expected.items():
        assert read.get(table) == rows, table


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name for layout in LAYOUTS])
def test_cpe_shaped_portfolio_keeps_its_rows(tmp_path: Path, layout: PageLayout) -> None:
    spec = _cpe_shaped()
    _, expected = facts(evaluation_pdf.build_evaluation_text(spec, tmp_path / "cpe.txt"))
    pdf = evaluation_pdf.build_evaluation_pdf(spec, tmp_path / "cpe.pdf", layout)
    if layout.name == CUT_ROW_LAYOUT:
        [portfolio] = [t for t in read_pdf(pdf).tables if t.rows and t.rows[0].cells[0] == "PROJECT"]
        assert portfolio.page_first < portfolio.page_last
        assert any(row.continues for row in portfolio.rows)
    _, read = facts(pdf)
    assert len(expected["evaluation_portfolio_projects"]) == 8
    assert read["evaluation_portfolio_projects"] == expected["evaluation_portfolio_projects"]
