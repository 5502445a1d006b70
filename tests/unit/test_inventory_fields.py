"""Derived fields of inventory entries, on phrasings taken from real inventories and their traps."""

from __future__ import annotations

import pytest

from extract.reports.inventory.fields import data_formats, founded_year, languages, methodology, platforms
from extract.text.sentences import sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Reports are available in English, Kazakh, and Russian.", ("English", "Kazakh", "Russian")),
        ("Available in English, Kazakh, and Russian.", ("English", "Kazakh", "Russian")),
        # No "in": the list follows "only" directly.
        (
            "The 2019 Gender Profile of Sustainable Development Goals is available only Russian. "
            "Methodology section is not included.",
            ("Russian",),
        ),
        (
            "Most publications are available in Kazakh and Russian with occasional translation to English.",
            ("English", "Kazakh", "Russian"),
        ),
        ("Available primarily in Russian with translations into Kazakh and English.", ("English", "Kazakh", "Russian")),
        ("Most publications are in Kazakh and Russian and sometimes in English.", ("English", "Kazakh", "Russian")),
        ("Available mostly in Russian with occasional material in Kazakh.", ("Kazakh", "Russian")),
        ("Available in Kazakh, Uzbek and Russian.", ("Kazakh", "Russian", "Uzbek")),
        ("Available in Kazakh on Instagram, Telegram, and YouTube.", ("Kazakh",)),
        (
            "Publications of population surveys, particularly focused on youth, in English, Kazakh, and Russian.",
            ("English", "Kazakh", "Russian"),
        ),
        ("Reports are in Kyrgyz and Russian.", ("Kyrgyz", "Russian")),
        # Languages the author is unsure about are not publication languages.
        (
            "Reports are available in English. It is unclear whether the questionnaires sent out to experts are "
            "in English, Russian, or Kazakh languages.",
            ("English",),
        ),
        ("The report is not available in Kazakh; a version is available in Russian.", ("Russian",)),
        # Countries, peoples and proper nouns are not languages.
        ("Offers coverage of current events in Kazakhstan and Uzbekistan.", ()),
        ("Founded in 2014 in Russia, the outlet covers Central Asia.", ()),
        ("Regional offices are available in Latin America.", ()),
        ("Kazakhstani sociological institute specializes in public opinion.", ()),
        # A language named without any statement about publishing is not counted.
        ("Provides information on LGBT issues in Kazakh.", ()),
        ("Breakdown of gender-related data across four main components.", ()),
    ],
)
def test_languages(text, expected):
    assert languages(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Data is presented by sex. Methodology section is not present. Reports are available in English.",
            "not available",
        ),
        ("Methodology section is not included.", "not available"),
        ("The review does not include a methodology chapter.", "not available"),
        ("The report page does not appear to have a methodology section available.", "not available"),
        ("Methods reports are available.", "available"),
        ("The survey uses mixed method approach and includes a methodology chapter.", "available"),
        (
            "Data sources annotation is available under all indicators. It includes development relevance, "
            "limitation and exceptions, and statistical concepts and methodology.",
            "available",
        ),
        # "It is unclear whether …" is a dummy subject, not a comment on the methodology section.
        (
            "Methodology section is available on the website. It is unclear whether the questionnaires are in "
            "English or Russian.",
            "available",
        ),
        # "It does not mention …" refers back to the note: available but incomplete.
        ("Methodological note is available. It does not mention how data is collected.", "partial"),
        (
            "Methodology section available in survey publications. Methodological note and information on data "
            "collection are not available.",
            "partial",
        ),
        ("Methodology note and description of sources are not always included in the publications.", "partial"),
        ("The methodology and data collection is unclear, especially in regards which language was used.", "partial"),
        ("Methodology and research design sections are included in the first two project reports.", "partial"),
        ("Available in Russian.", "not stated"),
        ("", "not stated"),
    ],
)
def test_methodology(text, expected):
    assert methodology(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "CVS" is read as CSV: it is a typo, listed beside API, and no data format has that name.
        ("Data available via CVS, API, and Databank formats.", ("API", "CSV", "Databank")),
        (
            "CAB provides free access to databases available in SPSS, Excel, and Stata formats.",
            ("Excel", "SPSS", "Stata"),
        ),
        ("Data can be downloaded as XLSX files or through the API.", ("API", "Excel")),
        ("Data is usually presented in gendered format splitting respondents between male and female.", ()),
        # Outside a sentence about data, an acronym is just a name.
        ("The project is funded by CVS Health.", ()),
        ("Available in Russian.", ()),
    ],
)
def test_data_formats(text, expected):
    assert data_formats(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Founded in 2017 and dissolved in 2022, the group was a grassroots organization.", 2017),
        ("Founded in 2018 a Kazakhstani foundation dedicated to helping survivors.", 2018),
        ("Legal information system of the Institute of Legislation founded in 2012.", 2012),
        ("Established 1999 at Columbia University.", 1999),
        ("Pages 24-27 of the 2021 report summarize the UN's efforts.", None),
    ],
)
def test_founded_year(text, expected):
    assert founded_year(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Available in Kazakh on Instagram, Telegram, Twitter, Facebook, TikTok, and YouTube.",
            ("Facebook", "Instagram", "Telegram", "TikTok", "Twitter", "YouTube"),
        ),
        ("Videos are on Youtube.", ("YouTube",)),
        ("Available in Russian.", ()),
    ],
)
def test_platforms(text, expected):
    assert platforms(text) == expected


def test_sentences_split_after_closing_quotes_but_not_inside_names():
    assert sentences(
        "Published surveys include “Youth and Values.” The survey is mixed. See Eurasianet.org today."
    ) == [
        "Published surveys include “Youth and Values.”",
        "The survey is mixed.",
        "See Eurasianet.org today.",
    ]
