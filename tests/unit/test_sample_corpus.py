"""The sample corpus of `gewh demo`: the promised mix of reports, each read as what it is, the same bytes every time."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from extract.pipeline import Extraction, extract_file
from samples.corpus import SampleReport, write_sample_corpus

# What each file is, as the extractor must read it: (doc_type, country, report year).
EXPECTED = {
    "scorecard-ghana-2019.pdf": ("scorecard", "Ghana", 2019),
    "scorecard-ghana-2021.pdf": ("scorecard", "Ghana", 2021),
    "scorecard-ghana-2023.pdf": ("scorecard", "Ghana", 2023),
    "scorecard-peru-2020.pdf": ("scorecard", "Peru", 2020),
    "scorecard-peru-2023.pdf": ("scorecard", "Peru", 2023),
    "scorecard-moldova-2017.pdf": ("scorecard", "Moldova", 2017),
    "scorecard-moldova-2020.pdf": ("scorecard", "Moldova", 2020),
    "scorecard-moldova-2023.pdf": ("scorecard", "Moldova", 2023),
    "scorecard-nepal-2019.pdf": ("scorecard", "Nepal", 2019),
    "scorecard-nepal-2022.pdf": ("scorecard", "Nepal", 2022),
    "scorecard-jordan-2020.pdf": ("scorecard", "Jordan", 2020),
    "scorecard-jordan-2023.pdf": ("scorecard", "Jordan", 2023),
    "scorecard-kenya-2020.pdf": ("scorecard", "Kenya", 2020),
    "scorecard-kenya-2022.pdf": ("scorecard", "Kenya", 2022),
    # An evaluation's report year is the year after its period (the report's date).
    "evaluation-ghana-2016-2020.pdf": ("evaluation", "Ghana", 2021),
    "evaluation-nepal-2017-2021.pdf": ("evaluation", "Nepal", 2022),
    "evaluation-jordan-2018-2022.pdf": ("evaluation", "Jordan", 2023),
    "inventory-peru.pdf": ("source_inventory", "Peru", None),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[list[SampleReport], dict[str, Extraction]]:
    written = write_sample_corpus(tmp_path_factory.mktemp("samples") / "raw")
    return written, {report.path.name: extract_file(report.path) for report in written}


def test_each_sample_is_read_as_the_report_it_is(corpus) -> None:
    _, extracted = corpus
    read = {
        name: (extraction.doc_type, extraction.parsed.info.country, extraction.parsed.info.report_year)
        for name, extraction in extracted.items()
    }
    assert read == EXPECTED


def test_samples_come_in_more_than_one_layout(corpus) -> None:
    written, _ = corpus
    layouts = {report.path.name: report.layout for report in written if report.layout != "default"}
    assert layouts == {
        "scorecard-peru-2023.pdf": "rules-letter-sans10",
        "scorecard-kenya-2022.pdf": "zebra-a4-sans11",
        "evaluation-nepal-2017-2021.pdf": "aligned-a4-serif10",
        "inventory-peru.pdf": "grid-letter-serif11",
    }


def test_every_country_has_ratings_that_change_between_its_assessments(corpus) -> None:
    _, extracted = corpus
    by_country: dict[str, list[dict[str, str | None]]] = {}
    for name in sorted(extracted, key=lambda name: EXPECTED[name][2] or 0):
        extraction = extracted[name]
        if extraction.doc_type != "scorecard":
            continue
        overview = {
            statement.pi_code: statement.rating
            for statement in extraction.parsed.records["scorecard_rating_statements"]
            if statement.section == "overview"
        }
        assert overview, name
        by_country.setdefault(extraction.parsed.info.country, []).append(overview)
    assert sorted(by_country) == ["Ghana", "Jordan", "Kenya", "Moldova", "Nepal", "Peru"]
    for country, series in by_country.items():
        for earlier, later in pairwise(series):
            changed = [code for code in earlier.keys() & later.keys() if earlier[code] != later[code]]
            assert changed, f"{country}: no rating changed between two assessments"


def test_the_corpus_is_the_same_bytes_every_time(corpus, tmp_path: Path) -> None:
    written, _ = corpus
    again = write_sample_corpus(tmp_path / "again")
    assert [report.path.name for report in again] == [report.path.name for report in written]
    for first, second in zip(written, again, strict=True):
        assert first.path.read_bytes() == second.path.read_bytes(), first.path.name
