"""The report of a hundred countries: an index that compares them and one page per country, in headless Chromium.

The warehouse is the analyst reference warehouse with its country repeated under 99 more names and ratings
drawn afresh (samples/many_countries.py): the marts as dbt built them, at the scale of a year of UNCT
reports.  Every page is opened: no console error, no request beyond the page itself; the index's matrix has
a row per country and is screenshotted.  A second write redraws only the country whose rows changed.
"""

from __future__ import annotations

import base64
import re

import duckdb
import pytest

from gewh.analyst import report
from gewh.analyst.query import read_only
from gewh.analyst.report import country_pages_folder, report_path, write_report_pages
from samples.many_countries import country_name, many_countries
from tests.report_page import section_tables
from tests.warehouse.test_report_browser import DevTools, chromium, console_problems, open_page, requests  # noqa: F401

pytestmark = pytest.mark.shared

COUNTRIES = 100


@pytest.fixture(scope="module")
def hundred(reference_warehouse, tmp_path_factory):
    """(warehouse, what its first report write did)."""
    warehouse = tmp_path_factory.mktemp("hundred") / "gender_equality.duckdb"
    many_countries(reference_warehouse, warehouse, COUNTRIES)
    return warehouse, write_report_pages(warehouse)


def test_one_page_per_country_and_an_index_linking_each(hundred):
    warehouse, written = hundred
    pages = sorted(country_pages_folder(report_path(warehouse)).glob("*.html"))
    assert written.pages == len(pages) == COUNTRIES
    assert sorted(written.redrawn) == sorted(page.stem for page in pages)
    index = report_path(warehouse).read_text()
    linked = re.findall(r'<a href="report/([^"]+)\.html">', index)
    assert set(linked) == {page.stem for page in pages}
    [countries] = section_tables(index, "countries")
    assert len(countries) == 1 + COUNTRIES


def test_the_matrix_holds_every_country_s_latest_ratings(hundred):
    warehouse, _ = hundred
    [matrix, names] = section_tables(report_path(warehouse).read_text(), "ratings")
    header, *rows = matrix
    with duckdb.connect(str(warehouse), read_only=True) as con:
        latest = con.execute(
            "select country, pi_code, rating from marts.rpt_indicator_rating_matrix "
            "qualify assessment_year = max(assessment_year) over (partition by country)"
        ).fetchall()
    codes = header[2:]
    assert len(rows) == COUNTRIES and len(codes) == len(names) - 1 == 15
    shown = {(row[0], code): cell.split()[0] for row in rows for code, cell in zip(codes, row[2:], strict=True)}
    assert shown == {(country, code): rating for country, code, rating in latest}
    # Drawn from a seed per country: the countries do differ.
    assert len({tuple(row[2:]) for row in rows}) == COUNTRIES


def test_rating_changes_are_counted_by_indicator_over_all_countries(hundred):
    warehouse, _ = hundred
    [changes] = section_tables(report_path(warehouse).read_text(), "changes")
    header, *rows = changes
    assert header[3:] == ["Improved", "Regressed", "Unchanged", "Not comparable", "First assessment"]
    assert len(rows) == 15
    for row in rows:
        assert sum(int(n) for n in row[3:]) == COUNTRIES, row


def test_every_page_opens_offline_without_console_errors(hundred, chromium, tmp_path):  # noqa: F811
    warehouse, _ = hundred
    index = report_path(warehouse)
    browser = DevTools(chromium)
    try:
        for domain in ("Page", "Network", "Runtime", "Log"):
            browser.page(f"{domain}.enable")
        pages = [index, *sorted(country_pages_folder(index).glob("*.html"))]
        opened = [open_page(browser, page) for page in pages]
        assert len(opened) == 1 + COUNTRIES
        for page in opened:
            assert console_problems(page.events) == [], page.url
            assert requests(page.events) == [page.url]
        # The matrix, as a reader sees it: a screenshot of its table, one row per country.
        open_page(browser, index)
        box = browser.evaluate(
            "(() => { const r = document.querySelector('#ratings table.matrix').getBoundingClientRect();"
            " return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height,"
            " rows: document.querySelectorAll('#ratings table.matrix tr').length}; })()"
        )
        assert box["rows"] == 1 + COUNTRIES
        assert box["height"] > COUNTRIES * 15 and box["width"] > 800, box
        shot = browser.page(
            "Page.captureScreenshot",
            format="png",
            captureBeyondViewport=True,
            clip={key: box[key] for key in ("x", "y", "width", "height")} | {"scale": 1},
        )
        screenshot = tmp_path / "matrix.png"
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        assert screenshot.stat().st_size > 100_000
    finally:
        browser.close()


def test_countries_read_in_batches_get_the_rows_of_countries_read_one_by_one(hundred, monkeypatch):
    # What a page shows and its fingerprint come from these rows: 1 reads each country alone (as before batches),
    # 10**6 all of them at once, the default batches in between.
    warehouse, _ = hundred

    def countries() -> list[tuple[str, str, dict]]:
        with read_only(warehouse) as con:
            return [(c.name, c.slug, c.rows) for c in report._countries(con, report._Summary(con).reports)]

    by_default = countries()
    assert len(by_default) > COUNTRIES // 2
    for reports_read_together in (1, 10**6):
        monkeypatch.setattr(report, "REPORTS_READ_TOGETHER", reports_read_together)
        assert countries() == by_default


def test_a_refresh_redraws_only_the_pages_of_countries_that_changed(hundred):
    warehouse, _ = hundred
    folder = country_pages_folder(report_path(warehouse))
    (folder / "notes.html").write_text("<p>a page of the user's own</p>")  # not the report's: left alone
    before = {page.name: page.stat().st_mtime_ns for page in folder.glob("*.html")}
    changed, removed = country_name(7), country_name(8)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.rpt_indicator_rating_matrix set rating = 'Exceeds', rating_score = 3 "
            "where country = ? and pi_code = '1.1'",
            [changed],
        )
        for (table,) in con.execute(
            "select table_name from information_schema.columns where table_schema = 'marts' and column_name = 'country'"
        ).fetchall():
            con.execute(f'delete from marts."{table}" where country = ?', [removed])

    again = write_report_pages(warehouse)
    assert again.redrawn == ["country-007"]
    after = {page.name: page.stat().st_mtime_ns for page in folder.glob("*.html")}
    assert set(before) - set(after) == {"country-008.html"}
    assert {name for name in after if after[name] != before[name]} == {"country-007.html"}
    assert again.pages == COUNTRIES - 1 and (folder / "notes.html").exists()
    assert "Country 008" not in report_path(warehouse).read_text()
