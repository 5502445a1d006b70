"""Data Docs pages pointed at the vendored copies of their CDN files (gewh/refresh/data_docs.py)."""

from __future__ import annotations

import re

import pytest

from gewh.refresh.data_docs import ASSETS, CDN_FILES, OfflineError, offline_page

SAMPLE = """<head>
<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>
<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>
<script src="https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js" integrity="sha384-x" crossorigin="anonymous"></script>
<link rel="shortcut icon" href="../../../static/images/favicon.ico" type="image/x-icon"/>
</head><body>
<img class="NO-CACHE" src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1&dataContextId=2" alt="GX"/>
<a href="https://docs.greatexpectations.io/docs/">docs</a>
</body>"""


def test_every_network_file_points_at_its_copy_from_the_site_root():
    page = offline_page(SAMPLE, "../../../../")
    assert '<link rel="stylesheet" href="../../../../static/vendor/bootstrap-4.3.1/bootstrap.min.css"/>' in page
    assert '<script src="../../../../static/vendor/bootstrap-4.3.1/bootstrap.min.js"></script>' in page
    assert 'src="../../../../static/images/logo-long.png"' in page
    assert 'href="../../../../static/images/favicon.ico"' in page
    assert "vega" not in page and "integrity" not in page and "crossorigin" not in page
    # Links a reader follows stay; nothing the page loads leaves the machine.
    assert '<a href="https://docs.greatexpectations.io/docs/">docs</a>' in page
    assert re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"https?://", page) == []


def test_an_address_without_a_copy_is_an_error_naming_the_page():
    with pytest.raises(OfflineError, match=re.escape("index.html: https://unpkg.com/new@2/x.js has no local copy")):
        offline_page('<script src="https://unpkg.com/new@2/x.js"></script>', "", "index.html")


def test_every_mapped_copy_is_vendored():
    assert all((ASSETS / path).is_file() for path in CDN_FILES.values() if path is not None)
