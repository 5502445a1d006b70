"""The data-source inventory parser, on the Kazakhstan inventory (PDF and text) and on small built documents.

Expected values are read from the document by hand.  The reconstructed PDF
carries its links as link annotations on the entry names (no URL text); the
text rendition keeps them as Markdown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest

from extract.document.errors import ExtractionError
from extract.document.pdf import read_pdf
from extract.document.text import read_text
from extract.pipeline import classify
from extract.reports.inventory.parser import parse
from extract.reports.inventory.records import InventoryEntry
from samples.pdf_builder import Heading, Para, ReportSpec, build_pdf

INGOS = "INGOs"
LOCAL = "Local NGOs and grassroots organizations"
GOVERNMENT = "Government"
MEDIA = "Independent media"

# (category, entry_no) -> (name, languages), read from the inventory.
EXPECTED = {
    (INGOS, "1.1"): ("UN Women Country Data Sheet", ("not stated",)),
    (INGOS, "1.2"): ("UN Women: Europe and Central Asia", ("not stated",)),
    (INGOS, "1.3"): ("UN Kazakhstan Annual Report 2021", ("not stated",)),
    (INGOS, "1.4"): ("UN Population Fund in Kazakhstan", ("not stated",)),
    (INGOS, "1.5"): ("UNDP in Kazakhstan", ("Russian",)),
    (INGOS, "1.6"): ("Spotlight Initiative Regional Programme for Central Asia and Afghanistan", ("not stated",)),
    (INGOS, "2.1"): ("World Bank Gender Data Portal", ("not stated",)),
    (INGOS, "2.2"): ("Women, Business, and the Law Reports", ("English",)),
    (INGOS, "3"): ("World Value Survey", ("not stated",)),
    (INGOS, "4"): ("Friedrich Ebert Stiftung", ("English", "Kazakh", "Russian")),
    (INGOS, "5"): ("World Economic Forum’s Global Gender Gap Report", ("not stated",)),
    (INGOS, "6"): ("OECD", ("not stated",)),
    (INGOS, "7"): ("Central Asia Barometer", ("not stated",)),
    (INGOS, "8"): ("The Oxus Society for Central Asian Affairs", ("not stated",)),
    (INGOS, "9"): ("International Organization for Migration", ("English", "Kazakh", "Russian")),
    (INGOS, "10"): ("Soros Foundation-Kazakhstan", ("English", "Kazakh", "Russian")),
    (INGOS, "11"): ("The OSCE Academy in Bishkek", ("English", "Russian")),
    (INGOS, "12"): ("Foreign Policy Research Institute", ("English",)),
    (LOCAL, "1"): ("PaperLab", ("English", "Kazakh", "Russian")),
    (LOCAL, "2"): ("Aiman Umarova’s Law School", ("Kazakh", "Russian")),
    (LOCAL, "3"): ("Public Opinion Research Institute", ("English", "Kazakh", "Russian")),
    (LOCAL, "4"): ("Feminita", ("Kazakh", "Russian")),
    (LOCAL, "5"): ("KazFem", ("Kazakh", "Russian")),
    (LOCAL, "6"): ("SVET", ("Russian",)),
    (LOCAL, "7"): ("FemPoint", ("Russian",)),
    (LOCAL, "8"): ("MISK", ("Russian",)),
    (LOCAL, "9"): ("Gender Economics Research Center", ("English", "Kazakh", "Russian")),
    (LOCAL, "10"): ("FemAgora", ("Kazakh", "Russian")),
    (LOCAL, "11"): ("Artyq Emes", ("Kazakh", "Russian")),
    (LOCAL, "12"): ("Women of Kazakhstan", ("English", "Kazakh", "Russian")),
    (GOVERNMENT, "1"): ("Bureau of National Statistics / Gender", ("English", "Kazakh", "Russian")),
    (GOVERNMENT, "2"): ("Adilet.Zan", ("English", "Kazakh", "Russian")),
    (MEDIA, "1"): ("Kok.team", ("English", "Kazakh", "Russian")),
    (MEDIA, "2"): ("Vlast", ("Kazakh", "Russian")),
    (MEDIA, "3"): ("HolaNews", ("Kazakh", "Russian")),
    (MEDIA, "4"): ("Batyr Jamal", ("Kazakh", "Russian")),
    (MEDIA, "5"): ("Masa Media", ("Kazakh", "Russian")),
    (MEDIA, "6"): ("Manshuq", ("Russian",)),
    (MEDIA, "7"): ("The Village Kazakhstan", ("Kazakh", "Russian")),
    (MEDIA, "8"): ("Factcheck.kz", ("Kazakh", "Russian")),
    (MEDIA, "9"): ("Adamdar/CA", ("English", "Kazakh", "Russian")),
    (MEDIA, "10"): ("Til Kespek Joq", ("Kazakh",)),
    (MEDIA, "11"): ("Mediazona", ("Russian",)),
    (MEDIA, "12"): ("Orda", ("Kazakh", "Russian", "Uzbek")),
    (MEDIA, "13"): ("Azattyq", ("Kazakh", "Russian")),
    (MEDIA, "14"): ("Eurasianet.org", ("Kazakh", "Russian")),
    (MEDIA, "15"): ("The Diplomat", ("English",)),
}

# A sample of the entries' own links in the text rendition (not the links inside their descriptions).
EXPECTED_TEXT_URLS = {
    (INGOS, "1.1"): "https://data.unwomen.org/country/kazakhstan",
    (INGOS, "1.4"): "https://www.unfpa.org/data/world-population/KZ",
    (INGOS, "1.5"): "https://www.kz.undp.org/content/kazakhstan/en/home/gender-equality.html",
    (INGOS, "2.1"): "https://genderdata.worldbank.org/countries/kazakhstan/",
    (INGOS, "3"): "https://www.worldvaluessurvey.org/WVSOnline.jsp",
    (INGOS, "6"): "https://www.oecd.org/countries/kazakhstan/",
    (LOCAL, "5"): "https://www.instagram.com/kaz_fem/",
    (LOCAL, "9"): "https://en.narxoz.kz/research/institutes/gerc",
    (GOVERNMENT, "1"): "https://gender.stat.gov.kz/en",
    (GOVERNMENT, "2"): "https://adilet.zan.kz/",
    (MEDIA, "1"): "https://www.kok.team/",
    (MEDIA, "8"): "https://www.instagram.com/factcheck.kz/",
    (MEDIA, "15"): "https://thediplomat.com/",
}


@pytest.fixture(scope="module")
def pdf_document(shared_extraction):
    return shared_extraction("corpus/reconstructed/kazakhstan-gender-data-sources.pdf").document


@pytest.fixture(scope="module")
def text_document(shared_extraction):
    return shared_extraction("seeds/002_e74f4331a0acb5f1.txt").document


@pytest.fixture(scope="module")
def pdf_parsed(pdf_document):
    return parse(pdf_document)


@pytest.fixture(scope="module")
def text_parsed(text_document):
    return parse(text_document)


def _by_key(parsed) -> dict[tuple[str, str], InventoryEntry]:
    entries = parsed.records["inventory_entries"]
    keyed = {(e.category, e.entry_no): e for e in entries}
    assert len(keyed) == len(entries), "an entry was loaded twice"
    return keyed


@pytest.mark.shared
@pytest.mark.parametrize("rendition", ["pdf_parsed", "text_parsed"])
def test_every_entry_loads_exactly_once_with_name_category_and_languages(rendition, request):
    parsed = request.getfixturevalue(rendition)
    entries = parsed.records["inventory_entries"]
    assert len(entries) == 47
    assert Counter(e.category for e in entries) == {INGOS: 18, LOCAL: 12, GOVERNMENT: 2, MEDIA: 15}
    assert list(dict.fromkeys(e.category for e in entries)) == [INGOS, LOCAL, GOVERNMENT, MEDIA]
    keyed = _by_key(parsed)
    assert set(keyed) == set(EXPECTED)
    for key, (name, langs) in EXPECTED.items():
        assert (keyed[key].name, keyed[key].languages) == (name, langs), key
    assert [e.entry_order for e in entries] == list(range(1, 48))


@pytest.mark.shared
@pytest.mark.parametrize("rendition", ["pdf_parsed", "text_parsed"])
def test_groups_nest_entries_and_are_not_entries_themselves(rendition, request):
    keyed = _by_key(request.getfixturevalue(rendition))
    assert {k[1]: e.parent_group for k, e in keyed.items() if k[0] == INGOS and "." in k[1]} == {
        "1.1": "UN",
        "1.2": "UN",
        "1.3": "UN",
        "1.4": "UN",
        "1.5": "UN",
        "1.6": "UN",
        "2.1": "World Bank",
        "2.2": "World Bank",
    }
    assert all(e.parent_group is None for k, e in keyed.items() if "." not in k[1])
    assert not {"UN", "World Bank"} & {e.name for e in keyed.values()}


@pytest.mark.shared
def test_text_rendition_urls_are_the_entries_own_links(text_parsed):
    keyed = _by_key(text_parsed)
    for key, url in EXPECTED_TEXT_URLS.items():
        assert keyed[key].url == url, key
    urls = [e.url for e in keyed.values()]
    assert None not in urls and len(set(urls)) == 47
    # 1.4 and 1.5 link to publications inside their descriptions; those links are not the entries' URLs.
    assert "https://kazakhstan.unfpa.org/en/publications" not in urls
    assert all("http" not in (e.description or "") for e in keyed.values())
    assert "Semi-regularly publishes reports and surveys across these components." in keyed[(INGOS, "1.4")].description


@pytest.mark.shared
def test_pdf_urls_are_the_links_on_the_entry_names(pdf_parsed, text_parsed, pdf_document):
    # The PDF carries its links as annotations, not as URL text; each entry's URL is the link on its
    # name, and links inside descriptions (publications of the entry) are not taken for it.
    assert "http" not in pdf_document.text()
    pdf_urls = {key: entry.url for key, entry in _by_key(pdf_parsed).items()}
    text_urls = {key: entry.url for key, entry in _by_key(text_parsed).items()}
    assert pdf_urls == text_urls
    assert None not in pdf_urls.values() and len(set(pdf_urls.values())) == 47


@pytest.mark.shared
def test_pdf_and_text_agree_on_everything_but_links_and_anchors(pdf_parsed, text_parsed):
    def comparable(entry: InventoryEntry) -> dict:
        fields = asdict(entry)
        for provenance in ("url", "source_page", "source_page_last"):
            fields.pop(provenance)
        return fields

    pdf_entries = [comparable(e) for e in pdf_parsed.records["inventory_entries"]]
    text_entries = [comparable(e) for e in text_parsed.records["inventory_entries"]]
    assert pdf_entries == text_entries


@pytest.mark.shared
def test_derived_fields_on_the_inventory(pdf_parsed):
    keyed = _by_key(pdf_parsed)
    assert keyed[(INGOS, "9")].methodology == "not available"  # "Methodology section is not present."
    assert keyed[(INGOS, "1.5")].methodology == "not available"  # "Methodology section is not included."
    assert keyed[(INGOS, "1.4")].methodology == "partial"  # available in surveys, not for the data portal
    assert keyed[(INGOS, "7")].methodology == "available"  # "Methods reports are available."
    assert keyed[(LOCAL, "1")].methodology == "partial"  # "not always included"
    assert keyed[(MEDIA, "2")].methodology == "not stated"
    assert keyed[(INGOS, "2.1")].data_formats == ("API", "CSV", "Databank")  # printed "CVS, API, and Databank"
    assert keyed[(INGOS, "7")].data_formats == ("Excel", "SPSS", "Stata")
    assert keyed[(MEDIA, "1")].founded_year == 2017  # "Founded in 2017 and dissolved in 2022"
    assert keyed[(INGOS, "10")].founded_year == 1995
    assert keyed[(MEDIA, "6")].founded_year is None
    assert keyed[(MEDIA, "10")].platforms == ("Facebook", "Instagram", "Telegram", "TikTok", "Twitter", "YouTube")
    assert keyed[(LOCAL, "11")].platforms == ("Instagram", "YouTube")
    assert keyed[(LOCAL, "5")].platforms == ()  # its link is an Instagram page, but the prose names no platform


@pytest.mark.shared
def test_pdf_anchors_are_pages(pdf_parsed):
    keyed = _by_key(pdf_parsed)
    assert (keyed[(INGOS, "1.1")].source_page, keyed[(INGOS, "1.1")].source_page_last) == (1, 1)
    assert (keyed[(INGOS, "2.1")].source_page, keyed[(INGOS, "2.1")].source_page_last) == (1, 2)
    assert (keyed[(LOCAL, "4")].source_page, keyed[(LOCAL, "4")].source_page_last) == (3, 4)
    assert (keyed[(MEDIA, "11")].source_page, keyed[(MEDIA, "11")].source_page_last) == (5, 6)
    assert keyed[(MEDIA, "15")].source_page == 6


@pytest.mark.shared
def test_text_anchors_are_line_numbers(text_parsed):
    keyed = _by_key(text_parsed)
    assert (keyed[(INGOS, "1.1")].source_page, keyed[(INGOS, "1.1")].source_page_last) == (6, 10)
    assert keyed[(MEDIA, "15")].source_page == 165


@pytest.mark.shared
def test_report_info_and_classification(pdf_document, text_document, pdf_parsed, text_parsed):
    assert classify(pdf_document) == classify(text_document) == "source_inventory"
    for parsed in (pdf_parsed, text_parsed):
        assert parsed.info.country == "Kazakhstan"
        assert parsed.info.report_year is None  # the inventory states no date of its own
        assert (parsed.info.period_start, parsed.info.period_end) == (None, None)
    assert pdf_parsed.info.title == "Kazakhstan — gender data sources"
    assert text_parsed.info.title == "Kazakhstan"


# --- small built documents -------------------------------------------------------------------------


def _parse_pdf(tmp_path: Path, blocks) -> list[InventoryEntry]:
    path = build_pdf(ReportSpec(running_header="Testland data sources", blocks=blocks), tmp_path / "inventory.pdf")
    return parse(read_pdf(path)).records["inventory_entries"]


def test_links_printed_on_the_heading_or_the_line_below_are_kept(tmp_path):
    entries = _parse_pdf(
        tmp_path,
        [
            Heading("Testland"),
            Para("International organisations"),
            Heading("1. Statistics Alliance (https://stats.example.org/testland)", 2),
            Para("Publishes surveys. Available in English and French."),
            Heading("2. Survey Network", 2),
            Para("Website: https://survey.example.net/"),
            Para("Available in French. See its annual report (https://survey.example.net/report-2023)."),
            Heading("3. Quiet Foundation", 2),
            Para("Available in Spanish. Its reports are listed at https://quiet.example.org/reports."),
        ],
    )
    assert [(e.name, e.url) for e in entries] == [
        ("Statistics Alliance", "https://stats.example.org/testland"),
        ("Survey Network", "https://survey.example.net/"),
        ("Quiet Foundation", None),  # a link inside the description is not the entry's own
    ]
    assert (
        entries[1].description == "Available in French. See its annual report (https://survey.example.net/report-2023)."
    )


def test_wrapped_bold_heading_and_plain_headings(tmp_path):
    long_name = "A very long organisation name that certainly wraps onto a second line of the heading in this layout"
    entries = _parse_pdf(
        tmp_path,
        [
            Heading("Testland"),
            Para("International organisations"),
            Heading(f"1. {long_name}", 2),
            Para("Available in French."),
            Para("2. Plain Heading Not Bold"),
            Para("Available in Arabic."),
            Heading("3. Short Bold Heading", 2),
            # A bold category heading right below an entry heading is not part of the entry's name.
            Heading("Government", 2),
            Heading("1. Statistics Office", 2),
            Para("Available in Kazakh."),
        ],
    )
    assert [(e.category, e.entry_no, e.name, e.languages) for e in entries] == [
        ("International organisations", "1", long_name, ("French",)),
        ("International organisations", "2", "Plain Heading Not Bold", ("Arabic",)),
        ("International organisations", "3", "Short Bold Heading", ("not stated",)),
        ("Government", "1", "Statistics Office", ("Kazakh",)),
    ]


def test_numbered_lists_inside_descriptions_are_not_entries(tmp_path):
    entries = _parse_pdf(
        tmp_path,
        [
            Heading("Testland"),
            Para("Research institutes"),
            Heading("1. Youth Institute", 2),
            Para("Published surveys include:"),
            Para("1. Youth and Education"),
            Para("Available in English."),
            Heading("2. Values Institute", 2),
            Para("Methodology section is not present. Available in Russian."),
        ],
    )
    assert [(e.entry_no, e.name) for e in entries] == [("1", "Youth Institute"), ("2", "Values Institute")]
    assert "1. Youth and Education" in entries[0].description
    assert entries[1].methodology == "not available"


def test_categories_restart_numbering_and_groups_nest_entries(tmp_path):
    entries = _parse_pdf(
        tmp_path,
        [
            Heading("Testland"),
            Para("International organisations"),
            Heading("1. UN", 2),
            Heading("1.1 UN Agency Data", 2),
            Para("Available in English."),
            Heading("1.2 UN Agency Reports", 2),
            Para("Available in English and Russian."),
            Heading("2. Lone Foundation", 2),
            Para("Available in Russian."),
            Para("Government"),
            Heading("1. Statistics Office", 2),
            Para("Available in Kazakh."),
            # Numbering that skips is loaded as printed; the `sources` suite reports the gap.
            Heading("3. Ministry Portal", 2),
            Para("Available in Kazakh."),
        ],
    )
    assert [(e.category, e.parent_group, e.entry_no, e.name) for e in entries] == [
        ("International organisations", "UN", "1.1", "UN Agency Data"),
        ("International organisations", "UN", "1.2", "UN Agency Reports"),
        ("International organisations", None, "2", "Lone Foundation"),
        ("Government", None, "1", "Statistics Office"),
        ("Government", None, "3", "Ministry Portal"),
    ]


def test_text_rendition_headings(tmp_path):
    path = tmp_path / "inventory.txt"
    path.write_text(
        "Testland\n\nMedia\n\n"
        "1. [Daily News](https://daily.example.kz/)\n"
        "Founded in 2019. Available in Kazakh and Russian on Instagram.\n\n"
        "2. Weekly Review https://weekly.example.kz\n"
        "Available in English.\n",
        encoding="utf-8",
    )
    entries = parse(read_text(path)).records["inventory_entries"]
    assert [(e.name, e.url, e.source_page, e.founded_year, e.platforms) for e in entries] == [
        ("Daily News", "https://daily.example.kz/", 5, 2019, ("Instagram",)),
        ("Weekly Review", "https://weekly.example.kz", 8, None, ()),
    ]


def test_an_inventory_without_category_headings_is_rejected(tmp_path):
    path = tmp_path / "inventory.txt"
    path.write_text("1. Daily News\nAvailable in Kazakh.\n2. Weekly Review\nAvailable in English.\n", encoding="utf-8")
    with pytest.raises(ExtractionError, match="no numbered entries"):
        parse(read_text(path))
