"""Report metadata is what a report states about itself: a year from its own date, a title from its cover."""

from __future__ import annotations

import pytest

from extract.document.model import Document, Line, Page
from extract.metadata import cover_title, find_country, guess_report_info, stated_year

# (what a cover or imprint says, the report's year it states; None where it states none)
PHRASINGS = [
    ("© UN Women 2021. All rights reserved.", 2021),
    ("Copyright (c) 2018 United Nations Development Programme", 2018),
    ("Copyright © United Nations Entity for Gender Equality, 2023", 2023),
    ("Date of the report: 15 March 2021", 2021),
    ("Published in June 2019 by the Independent Evaluation Office", 2019),
    ("Reporting year: 2022", 2022),
    ("Publication date: September 30, 2017", 2017),
    ("December 2020", 2020),
    ("New York, 30 June 2021", 2021),
    ("2024", 2024),
    ("Annual Report on Evaluation 2024", 2024),
    ("UNCT-SWAP Gender Equality Scorecard: Kazakhstan 2022", 2022),
    ("The evaluation was conducted between April and December 2020.", 2020),
    ("Data collection was carried out from March 2019 to January 2020.", 2020),
    ("Fecha del informe: 15 de marzo de 2019", 2019),
    ("Date du rapport : mars 2019", 2019),
    ("La evaluación fue realizada entre abril y diciembre de 2020.", 2020),
    ("L'évaluation a été réalisée entre avril et décembre 2020.", 2020),
    ("Bogotá, 30 de junio de 2021", 2021),
    # Years that appear without being the report's
    ("Transforming our world: the 2030 Agenda for Sustainable Development", None),
    ("Contributing to the Agenda 2030", None),
    ("Beijing+25 and the Generation Equality Forum", None),
    ("Vision 2050 for a gender-equal country", None),
    ("Strategic Plan 2022", None),
    ("Country Portfolio Evaluation, Strategic Note 2016–2020", None),
    ("The country office was established in 2019", None),
    ("In 2015, the government adopted a national action plan on women, peace and security.", None),
    ("Since 2012 the programme has reached 40,000 women", None),
    ("Population: 18,200,000 (2019 estimate)", None),
    ("Goal 5 targets 9 indicators to be met by 2030", None),
    ("La Agenda 2030 para el Desarrollo Sostenible", None),
    ("En 2015, el gobierno adoptó un plan nacional.", None),
]


@pytest.mark.parametrize(("text", "year"), PHRASINGS, ids=[text[:40] for text, _ in PHRASINGS])
def test_the_report_year_is_a_year_the_report_states(text, year):
    assert stated_year(text) == year


def test_a_stated_date_wins_over_a_year_named_earlier_on_the_cover():
    cover = "Evaluation of the contribution to the 2030 Agenda\nUN Women Country Office\nFebruary 2022"
    assert stated_year(cover) == 2022


def _document(lines: list[tuple[str, float | None]], title: str | None = None) -> Document:
    kind = "text" if all(size is None for _, size in lines) else "pdf"
    built = [Line(1, n, text, n, font_size=size) for n, (text, size) in enumerate(lines, 1)]
    return Document("r.pdf", kind, [Page(1, 595, 842, built)], [], title=title)


def test_the_title_is_the_covers_largest_words_not_boilerplate_or_the_stored_title():
    document = _document(
        [
            ("0% found this document useful (0 votes)", 9.0),
            ("UN WOMEN", 30.0),  # a logo's one word
            ("Evaluation of the Regional", 22.0),
            ("Programme on Women's Leadership", 22.0),
            ("Final report", 14.0),
            ("The programme ran in five countries.", 10.0),
        ],
        title="Microsoft Word - final_v3.docx",
    )
    assert cover_title(document) == "Evaluation of the Regional Programme on Women's Leadership"


def test_a_text_rendition_takes_its_first_line_that_is_not_boilerplate():
    document = _document(
        [("Download now", None), ("www.example.org/report", None), ("Gender Equality Profile of Moldova", None)]
    )
    assert cover_title(document) == "Gender Equality Profile of Moldova"


def test_an_unknown_report_without_a_stated_year_has_none():
    info = guess_report_info(
        _document([("Gender Equality and the 2030 Agenda", 20.0), ("A briefing for country teams", 11.0)])
    )
    assert info.title == "Gender Equality and the 2030 Agenda"
    assert info.report_year is None


def test_a_stored_title_the_cover_prints_is_the_title():
    document = _document(
        [("Executive Board of the", 17.0), ("Annual report on evaluation, 2024", 14.0), ("Summary", 10.0)],
        title="Annual report on evaluation, 2024",
    )
    assert cover_title(document) == "Annual report on evaluation, 2024"


@pytest.mark.parametrize(
    ("text", "country"), [("Évaluation au Sénégal", "Senegal"), ("Evaluación en el Perú", "Peru"), ("Haïti", "Haiti")]
)
def test_a_country_written_with_accents_is_found(text, country):
    assert find_country(text) == country
