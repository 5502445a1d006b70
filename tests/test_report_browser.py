"""warehouse/report.html in a real browser (headless Debian Chromium over the DevTools protocol).

The page must load with no console errors and no network request, and show its
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
from pathlib import Path

import pytest

from tests.analyst_reference import FAILED_FILE, IMPROVED_2023, REGRESSED_2023, reference_warehouse

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
def warehouse(shared_dir, refresh_warehouse, tmp_path_factory) -> Path:
    return reference_warehouse(shared_dir, refresh_warehouse, tmp_path_factory)


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


@pytest.fixture(scope="module")
def loaded_report(chromium, warehouse, tmp_path_factory):
    """The report opened in Chromium: (DevTools session, page URL, screenshot path)."""
    report = warehouse.with_name("report.html")
    url = report.resolve().as_uri()
    browser = DevTools(chromium)
    try:
        for domain in ("Page", "Network", "Runtime", "Log"):
            browser.page(f"{domain}.enable")
        browser.page("Page.navigate", url=url)
        browser.wait_for("Page.loadEventFired")
        height = browser.evaluate("document.documentElement.scrollHeight")
        browser.page(
            "Emulation.setDeviceMetricsOverride", width=1280, height=int(height), deviceScaleFactor=1, mobile=False
        )
        shot = browser.page("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        screenshot = tmp_path_factory.mktemp("report-screenshot") / "report.png"
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        yield browser, url, screenshot
    finally:
        browser.close()


def test_loads_without_console_errors(loaded_report):
    browser, _, _ = loaded_report
    problems = [
        e
        for e in browser.events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
    ]
    assert problems == []


def test_makes_no_network_request(loaded_report):
    browser, url, _ = loaded_report
    requested = [
        e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"
    ]
    assert requested == [url]
    assert browser.evaluate("document.querySelectorAll('script, link[rel=stylesheet], img, iframe').length") == 0


def test_shows_every_chart_with_labels(loaded_report):
    browser, _, screenshot = loaded_report
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
    assert screenshot.stat().st_size > 50_000


def test_page_says_what_changed(loaded_report):
    browser, _, _ = loaded_report
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
    assert FAILED_FILE in text
    for section in (
        "Indicator ratings",
        "Rating changes since the previous assessment",
        "Budget and delivery",
        "Project portfolio by donor",
        "Recommendations by priority and timeframe",
        "Quality flags",
        "Run summary",
    ):
        assert section in text


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
