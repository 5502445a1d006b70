"""Where a build starts: a copy of the published warehouse only when the same project, extractor and libraries
built it; otherwise an empty file, with the reason in the run's summary."""

from __future__ import annotations

from gewh.refresh.transform import build_version, new_build, start_build


def test_a_build_copies_the_warehouse_the_same_version_built(tmp_path):
    published = tmp_path / "gender_equality.duckdb"
    published.write_bytes(b"the published warehouse")
    build_db = new_build(tmp_path / "build", published.name)

    assert start_build(build_db, published, build_version(), full_rebuild=False) == (
        "incremental, from the published warehouse"
    )
    assert build_db.read_bytes() == b"the published warehouse"


def test_a_build_starts_empty_when_asked_or_when_another_version_built_the_warehouse(tmp_path):
    published = tmp_path / "gender_equality.duckdb"
    build_db = new_build(tmp_path / "build", published.name)

    assert start_build(build_db, published, build_version(), full_rebuild=False) == (
        "full: no published warehouse to start from"
    )
    published.write_bytes(b"the published warehouse")
    assert start_build(build_db, published, None, full_rebuild=False) == (
        "full: the published warehouse was built by another version of the dbt project, extractor or libraries"
    )
    assert start_build(build_db, published, build_version(), full_rebuild=True) == (
        "full: a full rebuild was asked for"
    )
    assert not build_db.exists()
