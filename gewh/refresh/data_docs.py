"""Data Docs that open offline and say what the refresh's checks meant.

GX 1.24 renders its pages with scripts, stylesheets and a logo from CDNs, so offline the run list stays empty
and the pages unstyled; it calls a run "Failed" whenever any expectation failed, whatever its severity; and a
dataframe asset's name never reaches the validation page's header.  `finish_data_docs` runs after GX has
built the site: it copies the vendored files (expectations/data_docs_assets, listed in its NOTICE.md) next to
the pages, points every page at them, and corrects the status and data asset from the stored results.

GX also writes the values an expectation found into its pages as they are, markup included: a disagreement
quoting a report's "<script>" would run in the analyst's browser.  `escape_stored_values` runs before GX builds
the site and HTML-escapes every found value in the stored results, once, so the pages show them as text.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import expectations

ASSETS = Path(expectations.__file__).parent / "data_docs_assets"
_VENDOR = "static/vendor/"
# Every network address GX 1.24's templates put in a script, stylesheet or image, and its vendored copy; None
# for vega, whose charts no page of ours draws (the tag is dropped).
CDN_FILES: dict[str, str | None] = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap-4.3.1/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap-4.3.1/bootstrap.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js-1.12.9/popper.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table-1.19.1/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table-1.19.1/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
        "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.js"
    ),
    # The index asks for the minified stylesheet, the other pages for the plain one: one copy serves both.
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
        "bootstrap-table-1.19.0/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": (
        "bootstrap-table-1.19.0/bootstrap-table-filter-control.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker-1.9.0/bootstrap-datepicker.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker-1.9.0/bootstrap-datepicker.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome-free-6.6.0/css/all.min.css",
    # GX's own styles darken its tables under prefers-color-scheme: dark and rely on this sheet for the rest.
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "bootstrap-dark-1.1.0/bootstrap-prefers-dark.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/vega@5": None,
    "https://cdn.jsdelivr.net/npm/vega-lite@5": None,
    "https://cdn.jsdelivr.net/npm/vega-embed@6": None,
}
# The navbar's logo: GX writes the same images into the site's static/images itself.
_GX_IMAGES = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
_NETWORK_TAG = re.compile(
    r"""<(?P<tag>script|link|img)\b(?P<attrs>[^>]*?)\b(?P<attr>src|href)=["'](?P<url>https?://[^"']*)["'](?P<rest>[^>]*)>"""
    r"""(?P<close>\s*</script>)?""",
    re.IGNORECASE,
)
# GX climbs one folder too few from a validation page to the favicon: every page takes it from the site's root.
_FAVICON = re.compile(r"""href=["'](?:\.\./)*static/images/favicon\.ico["']""")
# Subresource integrity on a file:// page makes Chromium refuse the script (no CORS for local files).
_INTEGRITY = re.compile(r"""\s(?:integrity|crossorigin)=["'][^"']*["']""", re.IGNORECASE)

_FAILED_STATUS = '<i class="fas fa-times text-danger" aria-hidden="true"></i> Failed'
_FAILED_ICON = "fas fa-times text-danger ge-failed-icon"
_WARNING_ICON = "fas fa-exclamation-triangle text-warning"
_NO_ASSET = "Data asset: None<br>"


class OfflineError(ValueError):
    """A page asks the network for something this module has no copy of (a GX upgrade changed its templates)."""


def offline_page(page: str, root: str, where: str = "page") -> str:
    """``page`` with every network script, stylesheet and image pointed at the site's own copies.

    ``root`` is the way from the page up to the site's folder ("" or "../../"); ``where`` names the page in
    the error raised for an address that has no copy.
    """

    def local(found: re.Match[str]) -> str:
        url = found["url"]
        if url.startswith(_GX_IMAGES):
            path = "static/images/" + url.removeprefix(_GX_IMAGES).split("?")[0]
        elif url in CDN_FILES:
            vendored = CDN_FILES[url]
            if vendored is None:
                return ""
            path = _VENDOR + vendored
        else:
            raise OfflineError(f"{where}: {url} has no local copy (add it to expectations/data_docs_assets)")
        attrs = _INTEGRITY.sub("", found["attrs"])
        rest = _INTEGRITY.sub("", found["rest"])
        return f'<{found["tag"]}{attrs}{found["attr"]}="{root}{path}"{rest}>{found["close"] or ""}'

    return _FAVICON.sub(f'href="{root}static/images/favicon.ico"', _NETWORK_TAG.sub(local, page))


@dataclass(frozen=True)
class StoredRun:
    """What one stored validation result says that GX's page leaves out or gets wrong."""

    page: str  # the validation page, relative to the site's folder
    data_asset: str | None
    failed: int
    warnings: int

    @property
    def passed_with_warnings(self) -> bool:
        return self.failed == 0 and self.warnings > 0

    @property
    def status(self) -> str:
        return f"Passed with {self.warnings} warning{'s' if self.warnings != 1 else ''}"


def page_of_result(results_dir: Path, path: Path) -> str:
    """The page of the result stored at ``path``, relative to the site's folder: GX mirrors the results' layout
    (suite/run name/run time/batch) under validations/."""
    return f"validations/{path.relative_to(results_dir).with_suffix('.html').as_posix()}"


def stored_runs(results_dir: Path) -> Iterator[StoredRun]:
    """Each stored result, in the layout GX mirrors into the site (suite/run name/run time/batch)."""
    for path in sorted(results_dir.rglob("*.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        failed = [r for r in result["results"] if not r["success"]]
        blocking = [r for r in failed if r["expectation_config"].get("severity", "critical") == "critical"]
        asset = (result["meta"].get("active_batch_definition") or {}).get("data_asset_name")
        yield StoredRun(
            page=page_of_result(results_dir, path),
            data_asset=asset,
            failed=len(blocking),
            warnings=len(failed) - len(blocking),
        )


# Marks a stored result whose found values are escaped already (escaping twice would show "&amp;lt;").
_ESCAPED = "gewh_values_html_escaped"


def escape_stored_values(results_dir: Path, paths: Iterable[Path] | None = None) -> None:
    """HTML-escape the values each stored result found (its `result` and `exception_info`), once per result: those
    stored at ``paths``, or every result in ``results_dir``."""
    for path in sorted(results_dir.rglob("*.json")) if paths is None else paths:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored.get("meta", {}).get(_ESCAPED):
            continue
        for outcome in stored.get("results", []):
            for part in ("result", "exception_info"):
                if outcome.get(part):
                    outcome[part] = _escaped(outcome[part])
        stored.setdefault("meta", {})[_ESCAPED] = True
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(json.dumps(stored), encoding="utf-8")
        shutil.copymode(path, partial)
        partial.replace(path)


def _escaped(value: object) -> object:
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


def finish_data_docs(docs_dir: Path, results_dir: Path, pages: Iterable[str] | None = None) -> None:
    """Make the site GX built in ``docs_dir`` (from the results in ``results_dir``) whole without a network: the
    ``pages`` GX has just written (relative to ``docs_dir``), or every page of a site GX drew whole.  A page is
    finished once, after GX writes it."""
    shutil.copytree(ASSETS, docs_dir / _VENDOR, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md"))
    runs = {run.page: run for run in stored_runs(results_dir)}
    # A page GX failed to draw (it logs the error and goes on) is not there to finish.
    written = (
        sorted(docs_dir.rglob("*.html")) if pages is None else [docs_dir / p for p in pages if (docs_dir / p).exists()]
    )
    for page in written:
        relative = page.relative_to(docs_dir).as_posix()
        text = offline_page(page.read_text(encoding="utf-8"), "../" * relative.count("/"), relative)
        if relative in runs:
            text = _correct_header(text, runs[relative])
        elif relative == "index.html":
            text = _mark_index_warnings(text, {path for path, run in runs.items() if run.passed_with_warnings})
        page.write_text(text, encoding="utf-8")


def _correct_header(page: str, run: StoredRun) -> str:
    if run.data_asset:
        page = page.replace(_NO_ASSET, f"Data asset: {html.escape(run.data_asset)}<br>", 1)
    if run.passed_with_warnings:
        if _FAILED_STATUS not in page:
            raise OfflineError(f"{run.page}: GX's 'Failed' status is not where this module expects it")
        page = page.replace(_FAILED_STATUS, f'<i class="{_WARNING_ICON}" aria-hidden="true"></i> {run.status}', 1)
    return page


def _mark_index_warnings(index: str, warning_pages: set[str]) -> str:
    """The run list's rows of runs that only warned get a warning sign and filter as "Warnings".

    GX writes the list as one JS array of row objects, each beginning with its status cell and naming its
    page in ``_table_row_link_path``.
    """
    rows = index.split("{'validation_success': ")
    for number, row in enumerate(rows[1:], start=1):
        link = re.search(r"'_table_row_link_path': '([^']*)'", row)
        # GX quotes the link (a space in the run name is %20); the pages' files carry the plain name.
        if link and unquote(link[1]) in warning_pages:
            rows[number] = row.replace(_FAILED_ICON, _WARNING_ICON, 1).replace(
                "'_validation_success_text': 'Failed'", "'_validation_success_text': 'Warnings'", 1
            )
    return "{'validation_success': ".join(rows)
