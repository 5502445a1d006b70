"""Framework editions as data: the parser's editions and the dbt seeds come from the same files, and a report's
edition is decided from what it states."""

from __future__ import annotations

import pytest

from extract.reports.scorecard.seeds import COLUMNS, SEEDS, seed_csv
from extract.reports.scorecard.template import EDITIONS, detect_edition, find_pi_code


@pytest.mark.parametrize("seed", sorted(COLUMNS))
def test_committed_seeds_are_the_ones_the_framework_files_give(seed):
    # After editing extract/reports/scorecard/frameworks/*.toml: `make seeds`.
    assert (SEEDS / f"{seed}.csv").read_text(encoding="utf-8") == seed_csv(seed)


def test_every_edition_maps_its_scale_onto_the_common_one():
    for edition in EDITIONS.values():
        assert [r.score for r in edition.ratings] == sorted(r.score for r in edition.ratings), edition.key
        commons = [r.common for r in edition.ratings if r.common]
        assert commons, edition.key
        order = ["Missing", "Approaches", "Meets", "Exceeds"]
        assert [order.index(c) for c in commons] == sorted(order.index(c) for c in commons), edition.key


@pytest.mark.parametrize(
    ("edition", "printed", "rating"),
    [
        ("unct_swap_2018", "MEETS MINIMUM REQUIREMENTS", "Meets"),
        ("unct_swap_2018", "Approaching", "Approaches"),
        ("unct_swap_2018", "missing requirements", "Missing"),
        ("unct_swap_2018", "2", None),  # UNCT-SWAP reports print words; a bare number is no rating
        ("unct_swap_2018", "Needs improvement", None),
        ("unct_swap_2023", "EXCEEDS MINIMUM REQUIREMENTS", "Exceeds"),
        ("gender_scorecard_2008", "Meets minimum standards", "Meets minimum standards"),
        ("gender_scorecard_2008", "4 = meets minimum standards", "Meets minimum standards"),
        ("gender_scorecard_2008", "NEEDS IMPROVEMENT", "Needs improvement"),
        ("gender_scorecard_2008", "Inadequate.", "Inadequate"),
        ("gender_scorecard_2008", "3", "Needs improvement"),
        ("gender_scorecard_2008", "0", "Not applicable"),
        ("gender_scorecard_2008", "Not applicable", "Not applicable"),
        ("gender_scorecard_2008", "6", None),
        ("gender_scorecard_2008", "Approaches minimum requirements", None),
    ],
)
def test_ratings_are_read_on_the_editions_own_scale(edition, printed, rating):
    assert EDITIONS[edition].rating_from_phrase(printed) == rating


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("PI 1.1 Common Country Analysis", "1.1"),
        ("Indicator 2.4: a code the 2018 list lacks", "2.4"),
        ("1.a Adequate review of the country analysis", "1.a"),
        ("8.2 Accountability", "8.2"),
        ("In 2021, 1.5 million people", "1.5"),  # a code needs a label context; callers read labels only
        ("version 1.15", None),
        ("1.about", None),
        ("section 3.1.2", None),
    ],
)
def test_indicator_codes_of_every_edition_are_read(text, code):
    assert find_pi_code(text) == code


@pytest.mark.parametrize(
    ("cover", "text", "year", "edition", "basis"),
    [
        ("UNCT-SWAP GENDER EQUALITY SCORECARD Annual Progress Report", "", 2022, "unct_swap_2018", "assessment_year"),
        ("UNCT-SWAP GENDER EQUALITY SCORECARD", "", 2025, "unct_swap_2023", "assessment_year"),
        ("UNCT-SWAP Gender Equality Scorecard", "", None, "unct_swap_2018", "default"),
        (
            "UNCT-SWAP Gender Equality Scorecard Comprehensive Report",
            "2. Programming, Monitoring, Evaluation and Learning\nrated under the 2023 framework",
            2023,  # an early adopter: the report's own words outrank its year
            "unct_swap_2023",
            "stated",
        ),
        (
            "UNCT-SWAP Scorecard",
            "assessed against the 2018 UNCT-SWAP framework",
            2025,
            "unct_swap_2018",
            "stated",
        ),
        ("UNCT SWAP-Scorecard Assessment Results and Action Plan", "", 2017, "unct_swap_2018", "default"),
        (
            "UNCT Gender Equality Scorecard Report",
            "5 = exceeds minimum standards 4 = meets minimum standards 3 = needs improvement",
            2012,
            "gender_scorecard_2008",
            "stated",
        ),
        ("Gender Scorecard of the UN Country Team", "", 2011, "gender_scorecard_2008", "assessment_year"),
    ],
)
def test_the_edition_is_what_the_report_states_else_its_year(cover, text, year, edition, basis):
    detected = detect_edition(cover, text, year)
    assert (detected.edition.key, detected.basis) == (edition, basis)
