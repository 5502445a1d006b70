"""Which covers make a document an evaluation, and what the one rule (`evaluation_cover`) reads from them.

Covers are built by hand (lines, and tables where a cover sets its facts in one)
or generated as PDFs by samples/evaluation_pdf.py; the expected values
are the ones each cover prints.
"""

from __future__ import annotations

import dataclasses

import pytest

from extract.document.errors import ExtractionError
from extract.document.model import Document, Line, Page, Table, TableRow
from extract.metadata import stated_year
from extract.pipeline import extract_file
from extract.reports.evaluation.parser import parse
from extract.reports.evaluation.recognise import evaluation_cover, recognise
from samples.evaluation_pdf import build_evaluation_pdf, synthetic_spec

FINDINGS = ["3. FINDINGS", "Finding 1: The office worked with national partners.", "The partners said so."]
BODY = ["The office worked with partners on the programme and its results were reviewed by the team."] * 3


def _document(lines: list[str], table: list[tuple[str, ...]] | None = None) -> Document:
    built = [Line(1, n, text, n) for n, text in enumerate(lines, 1)]
    tables = [Table(1, 1, 1, None, [TableRow(cells, len(lines) + 1) for cells in table], "text")] if table else []
    return Document("cover.txt", "text", [Page(1, None, None, built)], tables)


# (the cover's first lines, the kind of evaluation it names)
TITLES = [
    (["COUNTRY PORTFOLIO EVALUATION", "KAZAKHSTAN"], "Country Portfolio Evaluation"),
    (["Country Programme Evaluation", "Ghana"], "Country Programme Evaluation"),
    (["Country Program Evaluation: Ghana"], "Country Program Evaluation"),
    (["INDEPENDENT COUNTRY PROGRAM EVALUATION", "LIBERIA"], "Independent Country Program Evaluation"),
    (["country portfolio evaluation", "moldova"], "Country Portfolio Evaluation"),
    (["Country-Portfolio Evaluation", "Georgia"], "Country Portfolio Evaluation"),
    (["Country Programme-Evaluation of Albania"], "Country Programme Evaluation"),
    (["UN Women", "Country Portfolio", "Evaluation", "Armenia"], "Country Portfolio Evaluation"),
    (["COUNTRY PROGRAMME", "EVALUATION", "NEPAL"], "Country Programme Evaluation"),
    (["Country Portfolio Evaluation and Audit", "Ghana"], "Country Portfolio Evaluation"),
    (["AUDIT AND COUNTRY PORTFOLIO EVALUATION", "KENYA"], "Country Portfolio Evaluation"),
    (["Evaluación de la Cartera de País", "Colombia"], "Evaluación de la Cartera de País"),
    (["EVALUACION DE LA CARTERA DE PAIS", "BOLIVIA"], "Evaluacion de la Cartera de Pais"),
    (["Evaluación del Programa País", "Perú"], "Evaluación del Programa País"),
    (["Evaluación Independiente del Programa de País", "Ecuador"], "Evaluación Independiente del Programa de País"),
    (["Évaluation du portefeuille de pays", "Sénégal"], "Évaluation du Portefeuille de Pays"),
    (["EVALUATION DE PROGRAMME DE PAYS", "MALI"], "Evaluation de Programme de Pays"),
    (["Évaluation du programme de pays", "Maroc"], "Évaluation du Programme de Pays"),
]

NOT_EVALUATIONS = [
    ["Annual report on evaluation 2024", "Country programme evaluations completed this year"],
    ["Evaluation of the gender equality strategy", "Final report"],
    ["Country Office Portfolio Review", "Ghana"],
    ["Audit of the UN Women Country Office in Kenya"],
    ["UNCT-SWAP Gender Equality Scorecard", "Kazakhstan 2022"],
    ["Programme evaluation guidelines for country offices"],
]


@pytest.mark.parametrize(("lines", "kind"), TITLES, ids=[" / ".join(lines)[:45] for lines, _ in TITLES])
def test_a_cover_that_names_a_country_level_evaluation_is_one(lines, kind):
    document = _document([*lines, *BODY])
    cover = evaluation_cover(document)
    assert recognise(document) and cover is not None
    assert cover.evaluation_type == kind
    # A text rendition's anchor is the line number: the line the title starts on.
    assert cover.anchor == next(n for n, line in enumerate(lines, 1) if kind.split()[0].lower() in line.lower())


@pytest.mark.parametrize("lines", NOT_EVALUATIONS, ids=[lines[0][:40] for lines in NOT_EVALUATIONS])
def test_a_cover_that_names_no_country_level_evaluation_is_not_one(lines):
    assert not recognise(_document([*lines, *BODY]))


@pytest.mark.parametrize(("lines", "kind"), TITLES, ids=[" / ".join(lines)[:45] for lines, _ in TITLES])
def test_the_parser_reads_the_title_the_recogniser_found(lines, kind):
    """Recogniser and parser share the rule: a recognised cover never fails for want of a title."""
    with pytest.raises(ExtractionError, match="no numbered findings or recommendations"):
        parse(_document([*lines, *BODY]))


# (a key/value cover as lines, or as a table's rows; the title, year and country it states)
KEY_VALUE_COVERS = [
    (
        [
            "Title of the evaluation: Country Portfolio Evaluation of UN Women in Ghana",
            "Date of the report: March 2019",
            "Names of evaluators: Ana Example, Ben Sample",
            "Name of the Evaluation Manager: Chris Placeholder",
        ],
        None,
        ("Country Portfolio Evaluation of UN Women in Ghana", 2019, "Ghana"),
    ),
    (
        [
            "TITLE OF THE EVALUATION:",
            "Country Programme Evaluation, Kenya",
            "DATE OF THE REPORT:",
            "15 June 2021",
            "NAMES OF EVALUATORS:",
            "Ana Example",
        ],
        None,
        ("Country Programme Evaluation, Kenya", 2021, "Kenya"),
    ),
    (
        [
            "Title of the evaluation: Evaluation of the UN Women Strategic Note",
            "2018–2021 in Uganda",
            "Report date: December 2021",
            "Evaluation manager: Chris Placeholder",
        ],
        None,
        ("Evaluation of the UN Women Strategic Note 2018–2021 in Uganda", 2021, "Uganda"),
    ),
    (
        ["UN Women", "Decentralized evaluation"],
        [
            ("Title of the evaluation", "Country Portfolio Evaluation: Viet Nam"),
            ("Date of the report", "2020"),
            ("Names of the evaluators", "Ana Example; Ben Sample"),
        ],
        ("Country Portfolio Evaluation: Viet Nam", 2020, "Vietnam"),  # the common short name
    ),
    (
        ["ONU Mujeres"],
        [
            ("Título de la evaluación:", "Evaluación de la Cartera de País de ONU Mujeres en Paraguay"),
            ("Fecha del informe:", "marzo de 2022"),
            ("Nombres de los evaluadores:", "Ana Ejemplo"),
        ],
        ("Evaluación de la Cartera de País de ONU Mujeres en Paraguay", 2022, "Paraguay"),
    ),
    (
        [
            "Titre de l'évaluation : Évaluation du portefeuille de pays, Bénin",
            "Date du rapport : novembre 2020",
            "Noms des évaluateurs : Ana Exemple",
        ],
        None,
        ("Évaluation du portefeuille de pays, Bénin", 2020, "Benin"),
    ),
]


@pytest.mark.parametrize(
    ("lines", "table", "stated"), KEY_VALUE_COVERS, ids=[str(n) for n in range(len(KEY_VALUE_COVERS))]
)
def test_a_key_value_cover_gives_title_date_and_country(lines, table, stated):
    document = _document([*lines, *BODY, *FINDINGS], table)
    cover = evaluation_cover(document)
    assert cover is not None
    title, year, _ = stated
    assert (cover.title, stated_year(cover.fields["report_date"])) == (title, year)
    info = parse(document).info
    assert (info.title, info.report_year, info.country) == stated


def test_a_key_value_cover_names_its_evaluators():
    document = _document([*KEY_VALUE_COVERS[0][0], *BODY])
    cover = evaluation_cover(document)
    assert cover is not None
    assert cover.fields["evaluators"] == "Ana Example, Ben Sample"
    assert cover.fields["evaluation_manager"] == "Chris Placeholder"


def test_a_key_value_cover_of_another_kind_of_evaluation_is_not_a_country_evaluation():
    lines = ["Title of the evaluation: Final evaluation of the project on safe cities", "Date of the report: May 2020"]
    assert not recognise(_document([*lines, *BODY]))


# --- Generated PDFs: each cover style and language, parsed end to end ----------------------------------

SPANISH_LABELS = (
    "Título de la evaluación",
    "Fecha del informe",
    "Nombres de los evaluadores",
    "Gestora de la evaluación",
)
FRENCH_LABELS = ("Titre de l'évaluation", "Date du rapport", "Noms des évaluateurs", "Gestionnaire de l'évaluation")

# (spec changes, type, title, year, country, language)
GENERATED = [
    (
        {"title": "Country Portfolio Evaluation", "cover": "key_value_table"},
        "Country Portfolio Evaluation of UN Women in Moldova",
        2023,
        "Moldova",
        "en",
    ),
    (
        {"title": "Country Program Evaluation", "cover": "key_value_lines", "report_year": 2019},
        "Country Program Evaluation of UN Women in Moldova",
        2019,
        "Moldova",
        "en",
    ),
    (
        {"title": "Country Programme Evaluation", "cover": "key_value_stacked"},
        "Country Programme Evaluation of UN Women in Moldova",
        2023,
        "Moldova",
        "en",
    ),
    (
        {"title": "Evaluación de la Cartera de País", "language": "es", "country": "Perú"},
        "Evaluación de la Cartera de País — Peru",
        2022,  # "realizada entre abril y diciembre de 2022"; the cover states no date
        "Peru",
        "es",
    ),
    (
        {
            "title": "Evaluación del Programa País",
            "language": "es",
            "cover": "key_value_table",
            "cover_labels": SPANISH_LABELS,
        },
        "Evaluación del Programa País de ONU Mujeres en Moldova",
        2023,
        "Moldova",
        "es",
    ),
    (
        {"title": "ÉVALUATION DU PORTEFEUILLE DE PAYS", "language": "fr", "country": "Sénégal"},
        "Évaluation du Portefeuille de Pays — Senegal",
        2022,  # "réalisée entre avril et décembre 2022"
        "Senegal",
        "fr",
    ),
    (
        {
            "title": "Évaluation de programme de pays",
            "language": "fr",
            "cover": "key_value_stacked",
            "cover_labels": FRENCH_LABELS,
        },
        "Évaluation de programme de pays d'ONU Femmes en Moldova",
        2023,
        "Moldova",
        "fr",
    ),
]


@pytest.mark.parametrize(
    ("changes", "title", "year", "country", "language"), GENERATED, ids=[str(n) for n in range(len(GENERATED))]
)
def test_generated_covers_load_with_what_they_state(tmp_path, changes, title, year, country, language):
    spec = dataclasses.replace(synthetic_spec("Moldova", 2018, 2022, seed=3), **changes)
    extraction = extract_file(build_evaluation_pdf(spec, tmp_path / "evaluation.pdf"))
    info = extraction.parsed.info
    assert (extraction.doc_type, info.title, info.report_year, info.country) == ("evaluation", title, year, country)
    assert extraction.language == language
    [report] = extraction.parsed.records["evaluation_reports"]
    named = spec.cover != "title"  # only a key/value cover names the evaluators
    assert (report.evaluators, report.evaluation_manager) == (
        (spec.evaluators, spec.evaluation_manager) if named else (None, None)
    )
    findings = extraction.parsed.records["evaluation_findings"]
    if language == "en":
        assert [f.headline for f in findings] == [f.headline for f in spec.findings]
    else:  # the body is not read: no items, a gap the extraction checks show (body_not_read)
        assert findings == [] and extraction.parsed.records["evaluation_recommendations"] == []
        assert report.country == country


@pytest.mark.parametrize(
    ("title", "audit_part"),
    [("Country Portfolio Evaluation and Audit", "after"), ("AUDIT AND COUNTRY PORTFOLIO EVALUATION", "before")],
)
def test_the_audit_part_of_a_combined_report_is_not_read_as_the_evaluation(tmp_path, title, audit_part):
    spec = dataclasses.replace(synthetic_spec("Georgia", 2017, 2021, seed=2), title=title, audit_part=audit_part)
    extraction = extract_file(build_evaluation_pdf(spec, tmp_path / "combined.pdf"))
    records = extraction.parsed.records
    assert extraction.doc_type == "evaluation"
    assert [f.headline for f in records["evaluation_findings"]] == [f.headline for f in spec.findings]
    assert [r.text for r in records["evaluation_recommendations"]] == [r.text for r in spec.recommendations]
    # The audit's budget (three times the office's) is not a budget statement of the evaluation.
    assert {s.budget_usd for s in records["evaluation_budget_statements"] if s.scope == "period"} == {
        spec.budget_musd * 1_000_000
    }
