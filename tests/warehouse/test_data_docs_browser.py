"""The reference warehouse's Data Docs in headless Chromium with no network (as test_report_browser.py drives it).

The run list fills, the pages are styled by the vendored Bootstrap, nothing is asked of the network, and a
suite whose only failures are warnings (the CPE's stated figures that disagree) reads as passed with warnings.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.test_report_browser import DevTools, chromium  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def _open(browser: DevTools, page: Path) -> list[str]:
    """Load ``page``; the addresses it asked for that are not files of the site."""
    browser.events.clear()
    browser.page("Page.navigate", url=page.resolve().as_uri())
    browser.wait_for("Page.loadEventFired")
    requested = [
        e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"
    ]
    return [url for url in requested if not url.startswith(("file://", "data:"))]


def _problems(browser: DevTools) -> list[dict]:
    return [
        e
        for e in browser.events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
    ]


@pytest.fixture(scope="module")
def browser(chromium):  # noqa: F811
    session = DevTools(chromium)
    for domain in ("Page", "Network", "Runtime", "Log"):
        session.page(f"{domain}.enable")
    yield session
    session.close()


@pytest.fixture(scope="module")
def docs(reference_warehouse) -> tuple[Path, str]:
    """The site and the run id of the refresh that published the warehouse."""
    with duckdb.connect(str(reference_warehouse), read_only=True) as con:
        run_id = con.sql("select run_id from marts.refresh_runs order by started_at desc limit 1").fetchone()[0]
    return reference_warehouse.with_name("data_docs"), f"refresh {run_id}"


def test_no_page_loads_anything_from_the_network(docs):
    site, _ = docs
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=[\"']https?://[^\"']*", text) == [], page


def test_index_lists_the_runs_styled_and_offline(browser, docs):
    site, run_id = docs
    assert _open(browser, site / "index.html") == []
    assert _problems(browser) == []
    rows = browser.evaluate(
        "[...document.querySelectorAll('.bootstrap-table tbody tr')].map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    assert len(rows) >= 8
    assert sum(run_id in row for row in rows) >= 8
    assert any("marts.fct_evaluation_checks" in row for row in rows)
    # Bootstrap's reboot sets the body's font; a warning sign from Font Awesome marks the warned run.
    assert "Segoe UI" in browser.evaluate("getComputedStyle(document.body).fontFamily")
    assert browser.evaluate("document.querySelectorAll('.bootstrap-table .fa-exclamation-triangle').length") >= 1
    assert "Font Awesome" in browser.evaluate(
        "getComputedStyle(document.querySelector('.fa-check-circle'), '::before').fontFamily"
    )


def test_a_suite_with_only_warnings_passes_with_warnings(browser, docs):
    site, run_id = docs
    page = next((site / "validations" / "evaluation" / run_id).rglob("*.html"))
    assert _open(browser, page) == []
    assert _problems(browser) == []
    text = re.sub(r"\s+", " ", browser.evaluate("document.body.innerText"))
    assert "Data asset: marts.fct_evaluation_checks" in text
    assert re.search(r"Status: Passed with \d+ warnings?", text)
    assert "Failed" not in text.split("Status:")[1][:40]
    assert f"Validations / evaluation / {run_id} /" in text
