"""The sample corpus of `gewh demo`: a folder of generated reports that shows what the warehouse does.

Six countries with UNCT-SWAP scorecards of two or three assessment years whose ratings change between years
(one country's first assessment a free-form report of 2017, before the 2018 template), three country portfolio
evaluations and one data-source inventory, some in other page layouts (paper, type, table style).  Every word
comes from the generators in this package; the same call writes the same bytes, so writing the corpus again
leaves a warehouse refreshed from it up to date.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from extract.reports.scorecard.template import INDICATORS, RATINGS
from samples import evaluation_pdf, inventory_pdf, scorecard_pdf
from samples.pdf_builder import DEFAULT_LAYOUT, LAYOUTS, PageLayout

# Country → its assessment years; the first year of Moldova is a pre-2018 report.
SCORECARD_YEARS: dict[str, tuple[int, ...]] = {
    "Ghana": (2019, 2021, 2023),
    "Peru": (2020, 2023),
    "Moldova": (2017, 2020, 2023),
    "Nepal": (2019, 2022),
    "Jordan": (2020, 2023),
    "Kenya": (2020, 2022),
}
PRE_2018 = ("Moldova", 2017)
# Country → (first, last year of the evaluated period).
EVALUATIONS: dict[str, tuple[int, int]] = {"Ghana": (2016, 2020), "Nepal": (2017, 2021), "Jordan": (2018, 2022)}
# A decentralized evaluation's cover: title, date, evaluators and manager as label/value pairs.
KEY_VALUE_COVER = "Jordan"
INVENTORY_COUNTRY = "Peru"

_LAYOUT = {layout.name: layout for layout in LAYOUTS}
# Reports drawn in another layout than the default one (A4, sans 10 pt, ruled grid tables).
OTHER_LAYOUTS: dict[str, PageLayout] = {
    "scorecard-peru-2023.pdf": _LAYOUT["rules-letter-sans10"],
    "scorecard-kenya-2022.pdf": _LAYOUT["zebra-a4-sans11"],
    "evaluation-nepal-2017-2021.pdf": _LAYOUT["aligned-a4-serif10"],
    "inventory-peru.pdf": _LAYOUT["grid-letter-serif11"],
}


@dataclass(frozen=True)
class SampleReport:
    path: Path
    layout: str


def write_sample_corpus(folder: Path) -> list[SampleReport]:
    """Write the sample reports into ``folder`` (created when missing; files of the same name are replaced)."""
    folder.mkdir(parents=True, exist_ok=True)
    builders: dict[str, Callable[[PageLayout, Path], Path]] = {}
    for country, years in SCORECARD_YEARS.items():
        for year, ratings in zip(years, _rating_series(country, len(years)), strict=True):
            builders[f"scorecard-{country.lower()}-{year}.pdf"] = _scorecard(country, year, ratings)
    for country, (start, end) in EVALUATIONS.items():
        spec = evaluation_pdf.synthetic_spec(country, start, end, seed=len(country), n_projects=4)
        if country == KEY_VALUE_COVER:
            spec = replace(spec, title="Country Programme Evaluation", cover="key_value_table")
        builders[f"evaluation-{country.lower()}-{start}-{end}.pdf"] = _builder(
            evaluation_pdf.build_evaluation_pdf, spec
        )
    inventory = inventory_pdf.synthetic_spec(INVENTORY_COUNTRY, seed=1)
    builders[f"inventory-{INVENTORY_COUNTRY.lower()}.pdf"] = _builder(inventory_pdf.build_inventory_pdf, inventory)
    written = []
    for name, build in builders.items():
        layout = OTHER_LAYOUTS.get(name, DEFAULT_LAYOUT)
        written.append(SampleReport(build(layout, folder / name), layout.name))
    return written


def _builder(build: Callable[..., Path], spec: object) -> Callable[[PageLayout, Path], Path]:
    return lambda layout, path: build(spec, path, layout)


def _scorecard(country: str, year: int, ratings: dict[str, str]) -> Callable[[PageLayout, Path], Path]:
    if (country, year) == PRE_2018:
        pre2018 = scorecard_pdf.synthetic_pre2018_spec(country, year, seed=1)
        # The ratings of the series, for the indicators this report rates, so that the next year compares.
        pre2018.ratings = {code: ratings[code] for code in pre2018.ratings}
        return _builder(scorecard_pdf.build_pre2018_pdf, pre2018)
    # Two action-plan years of short cells: a few pages per report, so that the demo runs in a minute or so.
    spec = scorecard_pdf.synthetic_spec(country, year, year_columns=2, seed=year, ratings=ratings, long_cells=False)
    return _builder(scorecard_pdf.build_scorecard_pdf, spec)


def _rating_series(country: str, assessments: int) -> list[dict[str, str]]:
    """The ratings of ``assessments`` successive scorecards of ``country``: each moves three to five indicators
    one step up the scale or down from the one before, most of them up."""
    rng = random.Random(f"sample-ratings-{country}")
    ratings = {pi.code: rng.choice(RATINGS[:3]) for pi in INDICATORS}
    series = [ratings]
    for _ in range(assessments - 1):
        ratings = dict(ratings)
        for code in rng.sample(sorted(ratings), rng.randint(3, 5)):
            step = 1 if rng.random() < 0.7 else -1
            ratings[code] = RATINGS[min(max(RATINGS.index(ratings[code]) + step, 0), len(RATINGS) - 1)]
        series.append(ratings)
    return series
