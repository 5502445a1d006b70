"""warehouse/report.html and its country pages in a real browser (headless Debian Chromium over DevTools).

Each page must load with no console errors and no network request, and show its
charts: every chart is an inline SVG of real size, with axes and labels drawn.
A screenshot is taken into the test's temporary folder (look at it when
debugging; it is not kept).  Without Chromium the test is skipped, except in
CI, whose .ci/run installs it.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from gewh.analyst.report import country_pages_folder, report_path
from tests.report_page import section_tables
from tests.warehouse.reference import FAILED_FILE, IMPROVED_2023, REGRESSED_2023

pytestmark = pytest.mark.shared

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HEADLESS_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--window-size=1280,900",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    if not CHROMIUM:
        message = "Chromium not installed (Debian: apt-get install chromium); .ci/run installs it in CI"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="module")
def warehouse(reference_warehouse) -> Path:
    return reference_warehouse


class DevTools:
    """Just enough of the Chrome DevTools protocol: one page target, commands, and the events seen so far."""

    def __init__(self, executable: str):
        from websockets.sync.client import connect

        self.profile = tempfile.mkdtemp(prefix="gewh-chromium-")
        self.process = subprocess.Popen(
            [
                executable,
                *HEADLESS_FLAGS,
                f"--user-data-dir={self.profile}",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        endpoint = self._endpoint()
        self.socket = connect(endpoint, max_size=None, open_timeout=30)
        self.ids = itertools.count(1)
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def _endpoint(self) -> str:
        for line in self.process.stderr:
            found = re.search(r"DevTools listening on (ws://\S+)", line)
            if found:
                return found.group(1)
        raise RuntimeError("Chromium did not start its DevTools endpoint")

    def call(self, method: str, session: bool = False, timeout: float = 60, **params) -> dict:
        message_id = next(self.ids)
        message = {"id": message_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv(timeout=timeout))
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def page(self, method: str, **params) -> dict:
        return self.call(method, session=True, **params)

    def wait_for(self, event: str, timeout: float = 60) -> None:
        while not any(e.get("method") == event for e in self.events):
            self.events.append(json.loads(self.socket.recv(timeout=timeout)))

    def evaluate(self, expression: str):
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.profile, ignore_errors=True)


@dataclass
class OpenedPage:
    """A page as Chromium loaded it: its URL, the DevTools events of its load, and its full-page screenshot."""

    url: str
    events: list[dict]
    screenshot: Path


def open_page(browser: DevTools, page: Path, screenshot: Path | None = None) -> OpenedPage:
    """Load ``page`` in ``browser``'s tab (Page, Network, Runtime and Log enabled), with a full-height screenshot."""
    url = page.resolve().as_uri()
    first = len(browser.events)
    browser.page("Page.navigate", url=url)
    while not any(e.get("method") == "Page.loadEventFired" for e in browser.events[first:]):
        browser.events.append(json.loads(browser.socket.recv(timeout=60)))
    if screenshot:
        height = browser.evaluate("document.documentElement.scrollHeight")
        browser.page(
            "Emulation.setDeviceMetricsOverride", width=1280, height=int(height), deviceScaleFactor=1, mobile=False
        )
        shot = browser.page("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        screenshot.write_bytes(base64.b64decode(shot["data"]))
    return OpenedPage(url, browser.events[first:], screenshot or Path())


def console_problems(events: list[dict]) -> list[dict]:
    return [
        e
        for e in events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
    ]


def requests(events: list[dict]) -> list[str]:
    return [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]


@pytest.fixture(scope="module")
def browser(chromium):
    session = DevTools(chromium)
    try:
        for domain in ("Page", "Network", "Runtime", "Log"):
            session.page(f"{domain}.enable")
        yield session
    finally:
        session.close()


@pytest.fixture(scope="module")
def loaded_report(browser, warehouse, tmp_path_factory):
    """The index and Kazakhstan's page opened in Chromium: {"index": OpenedPage, "country": OpenedPage}; the
    country page stays loaded (the tests read it)."""
    shots = tmp_path_factory.mktemp("report-screenshot")
    index = open_page(browser, report_path(warehouse), shots / "index.png")
    country = open_page(browser, country_pages_folder(report_path(warehouse)) / "kazakhstan.html", shots / "kz.png")
    return {"index": index, "country": country}


def test_loads_without_console_errors(loaded_report):
    for page in loaded_report.values():
        assert console_problems(page.events) == [], page.url


def test_makes_no_network_request(browser, loaded_report):
    for page in loaded_report.values():
        assert requests(page.events) == [page.url]
    assert browser.evaluate("document.querySelectorAll('script, link[rel=stylesheet], img, iframe').length") == 0


def test_shows_every_chart_with_labels(browser, loaded_report):
    charts = browser.evaluate(
        "[...document.querySelectorAll('svg.chart')].map(s => {const r = s.getBoundingClientRect();"
        " return {label: s.getAttribute('aria-label'), width: r.width, height: r.height,"
        " marks: s.querySelectorAll('path, use, rect').length}})"
    )
    labels = [chart["label"] for chart in charts]
    # Two scorecard years for Kazakhstan (heatmap + changes) and one evaluation (budget, donors, recommendations).
    assert labels == [
        "Heatmap of indicator ratings by assessment year for Kazakhstan",
        "Bar chart of rating changes from 2022 to 2023 for Kazakhstan",
        "Bar chart of budget and delivered amounts by period for UN Women Kazakhstan Country Office 2016–2020",
        "Bar chart of the project portfolio by donor for UN Women Kazakhstan Country Office 2016–2020",
        "Stacked bar chart of recommendations by priority and timeframe for UN Women Kazakhstan Country Office 2016–2020",
    ]
    for chart in charts:
        assert chart["width"] > 300 and chart["height"] > 200, chart
        assert chart["marks"] > 20, chart
    assert loaded_report["country"].screenshot.stat().st_size > 50_000


def test_page_says_what_changed(browser, loaded_report):
    text = browser.evaluate("document.body.innerText")
    assert f"2022 → 2023: {len(IMPROVED_2023)} improved, {len(REGRESSED_2023)} regressed" in text
    changes = browser.evaluate(
        "[...document.querySelectorAll('#changes table tr')].slice(1).map(r => [...r.cells].map(c => c.innerText))"
    )
    assert {row[0]: (row[2], row[3]) for row in changes} == {
        code: ratings for code, ratings in {**REGRESSED_2023, **IMPROVED_2023}.items()
    }
    # Budget: US$8 million budget, US$6.3 million delivered over 2016–2020 (the CPE's summary).
    assert "US$8,000,000" in text and "US$6,300,000" in text and "78.8%" in text
    assert "delivery_rate_mismatch" in text
    for section in (
        "Indicator ratings",
        "Rating changes since the previous assessment",
        "Budget and delivery",
        "Project portfolio by donor",
        "Recommendations by priority and timeframe",
        "Reports and completeness",
        "Quality flags",
    ):
        assert section in text


def test_every_recommendation_is_shown_whole_with_the_chart_s_timeframe_labels(warehouse):
    page = (country_pages_folder(report_path(warehouse)) / "kazakhstan.html").read_text()
    [recommendations] = section_tables(page, "recommendations")
    header, *rows = recommendations
    assert header == ["No.", "Priority", "Timeframe", "Management response", "Status", "Recommendation"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        texts = dict(con.execute("select rec_no, text from marts.fct_recommendations").fetchall())
        labels = dict(
            con.execute(
                "select unnest(rec_nos) as rec_no, timeframe_label from marts.rpt_recommendation_priority"
            ).fetchall()
        )
    assert sorted(int(row[0]) for row in rows) == sorted(texts)
    long = 0
    for row in rows:
        text = " ".join(texts[int(row[0])].split())
        assert text in " ".join(row[5].split()), row[0]  # whole: a long one opens in place ("read all")
        long += "read all" in row[5]
        assert row[2] == labels[int(row[0])]  # as the chart's legend says it ("Immediately", not "IMMEDIATELY")
    assert long > 0


def test_index_compares_countries_and_links_each_page(warehouse):
    index = report_path(warehouse).read_text()
    assert FAILED_FILE in index
    for section in ("countries", "ratings", "changes", "delivery", "completeness", "flags", "runs"):
        assert f'<section id="{section}">' in index
    [countries] = section_tables(index, "countries")
    assert [row[0] for row in countries[1:]] == ["Kazakhstan"]
    assert '<a href="report/kazakhstan.html">Kazakhstan</a>' in index
    [matrix, _names] = section_tables(index, "ratings")
    assert matrix[1][:2] == ["Kazakhstan", "2023"]
    assert {cell.split()[0] for cell in matrix[1][2:]} <= {"Missing", "Approaches", "Meets", "Exceeds"}
    [delivery] = section_tables(index, "delivery")
    assert delivery[1][0] == "Kazakhstan" and delivery[1][3:6] == ["US$8,000,000", "US$6,300,000", "78.8%"]


def test_dbt_docs_lineage_graph_renders_offline(chromium, warehouse):
    from gewh.analyst.docs import build_docs

    dbt_docs = warehouse.with_name("dbt_docs") / "index.html"
    if not dbt_docs.exists():
        build_docs(warehouse)
    browser = DevTools(chromium)
    try:
        for domain in ("Page", "Network"):
            browser.page(f"{domain}.enable")
        # The report's exposure page with its lineage graph open.
        browser.page(
            "Page.navigate",
            url=dbt_docs.resolve().as_uri() + "#!/exposure/exposure.gender_equality_warehouse.warehouse_report?g_v=1",
        )
        browser.wait_for("Page.loadEventFired")
        graph = {}
        for _ in range(60):
            graph = browser.evaluate(
                "(() => { const cy = document.querySelector('#cy'); const r = cy && cy.getBoundingClientRect();"
                " return {width: r ? r.width : 0, height: r ? r.height : 0,"
                " canvases: document.querySelectorAll('#cy canvas').length}; })()"
            )
            if graph["canvases"] and graph["width"] > 500:
                break
            browser.page("Runtime.evaluate", expression="new Promise(r => setTimeout(r, 250))", awaitPromise=True)
        assert graph["canvases"] > 0 and graph["width"] > 500 and graph["height"] > 300, graph
        requested = [
            e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"
        ]
        # dbt's page asks for some icons by unresolved template names on file:// (dbt's own quirk) and draws
        # others from data: URLs; nothing leaves the machine.
        assert [url for url in requested if not url.startswith(("file://", "data:"))] == []
    finally:
        browser.close()
