"""Discovery against the ingest log, and staging that replaces a document's rows atomically."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from extract.pipeline import extract_file
from extract.records import ReportInfo, column_names
from gewh.refresh import isolation, stage
from gewh.refresh.discover import RawFile, list_raw_files, plan_refresh
from gewh.refresh.isolation import ExtractionFailure, extract_raw_file
from tests import bad_inputs


def test_plan_sorts_files_into_new_changed_unchanged_removed(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "a.txt").write_text("report A\n")
    (raw / "sub" / "b.md").write_text("report B\n")
    (raw / "c.txt").write_text("report C\n")
    (raw / "notes.docx").write_text("not a report format")
    files = list_raw_files(raw)
    assert [f.source_path for f in files if not f.skipped] == ["a.txt", "c.txt", "sub/b.md"]
    assert [f.skipped for f in files if f.skipped] == [
        "notes.docx: not a report format: .docx (reports are .md, .pdf, .txt; status updates .csv)"
    ]
    known = {f.source_path: f.sha256 for f in files if f.source_path != "c.txt"}
    known["gone.pdf"] = "0" * 64
    (raw / "a.txt").write_text("report A, second edition\n")
    plan = plan_refresh(list_raw_files(raw), known)
    assert [f.source_path for f in plan.new] == ["c.txt"]
    assert [f.source_path for f in plan.changed] == ["a.txt"]
    assert [f.source_path for f in plan.unchanged] == ["notes.docx", "sub/b.md"]
    assert plan.removed == ["gone.pdf"]
    assert [f.source_path for f in plan.to_extract(staged_hashes=set())] == ["a.txt", "c.txt", "sub/b.md"]


def test_duplicate_content_is_extracted_once(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "one.txt").write_text("same bytes\n")
    (raw / "two.txt").write_text("same bytes\n")
    plan = plan_refresh(list_raw_files(raw), {})
    assert len(plan.new) == 2
    assert len(plan.to_extract(staged_hashes=set())) == 1


@pytest.fixture
def staged(tmp_path):
    con = stage.connect(tmp_path / "staging.duckdb")
    yield con
    con.close()


def _seen(con, source_path: str, sha256: str, now: datetime) -> None:
    """Discovery's log of one file of the raw folder, seen ``now``."""
    stage.record_plan(con, stage.Plan(files=[RawFile(source_path, Path(source_path), sha256, 10)]), now)


def test_restaging_a_document_replaces_its_rows(staged, tmp_path):
    pdf = bad_inputs.good_pdf(tmp_path / "r.pdf")
    extraction = extract_file(pdf)
    for _ in range(2):
        stage.stage_extraction(staged, "a" * 64, "r.pdf", extraction)
    lines = staged.execute("select count(*) from text_lines").fetchone()[0]
    assert lines == sum(len(p.lines) for p in extraction.document.pages) > 0
    assert staged.execute("select count(*), min(status) from documents").fetchone() == (1, "loaded")


def test_a_failure_replaces_a_previous_load_and_a_rollback_keeps_it(staged, tmp_path):
    pdf = bad_inputs.good_pdf(tmp_path / "r.pdf")
    extraction = extract_file(pdf)
    stage.stage_extraction(staged, "b" * 64, "r.pdf", extraction)

    class Broken:
        document = extraction.document
        doc_type = "unknown"
        parsed = None  # staging fails half-way through: nothing of the old load may be lost

    with pytest.raises(AttributeError):
        stage.stage_extraction(staged, "b" * 64, "r.pdf", Broken())
    assert staged.execute("select status from documents").fetchall() == [("loaded",)]
    assert staged.execute("select count(*) from text_lines").fetchone()[0] > 0

    stage.stage_failure(staged, "b" * 64, "r.pdf", "r.pdf", ExtractionFailure("r.pdf: broken", 3, "evaluation"))
    assert staged.execute("select status, error, error_page, doc_type from documents").fetchall() == [
        ("failed", "r.pdf: broken", 3, "evaluation")
    ]
    assert staged.execute("select count(*) from text_lines").fetchone()[0] == 0


class CommitFailsForLackOfSpace:
    """A staging connection whose commits fail as DuckDB's do on a full disk: the transaction is rolled back and
    the error names the log file it could not write (seen on a real full tmpfs, tests/e2e/test_full_disk.py)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._con = con

    def execute(self, sql: str, *parameters):
        if sql == "commit":
            self._con.execute("rollback")
            raise duckdb.TransactionException(
                'TransactionContext Error: Failed to commit: Could not write file "staging.duckdb.wal": '
                "No space left on device"
            )
        return self._con.execute(sql, *parameters)

    def __getattr__(self, name: str):
        return getattr(self._con, name)


def test_a_commit_that_fails_for_a_full_disk_is_the_error_raised_and_nothing_is_staged(staged, tmp_path):
    extraction = extract_file(bad_inputs.good_pdf(tmp_path / "r.pdf"))
    full = CommitFailsForLackOfSpace(staged)
    # Not "cannot rollback - no transaction is active", which said nothing of the disk.
    with pytest.raises(duckdb.TransactionException, match=r"Failed to commit: .*No space left on device"):
        stage.stage_extraction(full, "d" * 64, "r.pdf", extraction)
    with pytest.raises(duckdb.TransactionException, match=r"Failed to commit: .*No space left on device"):
        stage.stage_failure(full, "d" * 64, "r.pdf", "r.pdf", ExtractionFailure("r.pdf: broken"))
    assert staged.execute("select count(*) from documents").fetchone() == (0,)
    assert staged.execute("select count(*) from text_lines").fetchone() == (0,)


def test_a_new_extractor_extracts_every_document_again_and_reshapes_changed_record_tables(tmp_path, monkeypatch):
    staging_db = tmp_path / "staging.duckdb"
    report = tmp_path / "report.txt"
    report.write_text("A short report\n")
    with stage.opened(staging_db) as con:
        stage.stage_extraction(con, "d" * 64, "report.txt", extract_file(report))
        stage.stage_failure(con, "e" * 64, "bad.pdf", "bad.pdf", ExtractionFailure("bad.pdf: broken", 1))
        assert stage.staged_hashes(con) == {"d" * 64, "e" * 64}
        # A staging file written by an extractor whose report_info record had one field fewer.
        con.execute("alter table report_info drop column source_page")

    monkeypatch.setattr(stage, "extractor_version", lambda: "a-newer-extractor")
    with stage.opened(staging_db) as con:
        assert stage.staged_hashes(con) == set()
        columns = [row[0] for row in con.execute("describe report_info").fetchall()]
        assert columns == ["document_id", *column_names(ReportInfo)]
        stage.stage_extraction(con, "d" * 64, "report.txt", extract_file(report))
        assert stage.staged_hashes(con) == {"d" * 64}


def test_removed_files_leave_current_documents_but_stay_in_the_log(staged):
    now = datetime.now(UTC)
    _seen(staged, "x.pdf", "c" * 64, now)
    staged.execute(
        "insert into documents (document_id, sha256, file_name, status) values (?, ?, 'x.pdf', 'loaded')",
        [stage.document_id_for("c" * 64), "c" * 64],
    )
    stage.record_removed(staged, ["x.pdf"], now)
    assert staged.execute("select status from documents").fetchall() == [("removed",)]
    assert staged.execute("select removed_at is not null from ingest_log").fetchall() == [(True,)]


def test_a_link_out_of_the_raw_folder_is_listed_refused_and_never_read(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    secret = tmp_path / "shadow.txt"
    secret.write_text("root:$6$salt$hash:19000:0:99999:7:::\n")
    (raw / "x.txt").symlink_to(secret)
    bad_inputs.good_pdf(raw / "report.pdf")
    (raw / "same-report.pdf").symlink_to(raw / "report.pdf")  # a link that stays inside is an ordinary file

    files = {raw_file.source_path: raw_file for raw_file in list_raw_files(raw)}
    assert files["x.txt"].refused == f"x.txt: a link to {secret}, outside the raw folder; not read"
    assert files["x.txt"].size == 0
    assert files["same-report.pdf"].refused is None
    assert files["same-report.pdf"].sha256 == files["report.pdf"].sha256

    assert extract_raw_file(files["x.txt"], timeout_seconds=60, memory_limit_mb=1024) == ExtractionFailure(
        files["x.txt"].refused
    )


def test_entries_named_like_reports_that_are_not_files_are_listed_refused(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "dangling.pdf").symlink_to(tmp_path / "gone.pdf")
    (raw / "loop.pdf").symlink_to(raw / "loop.pdf")
    os.mkfifo(raw / "pipe.pdf")
    (raw / "folder.pdf").mkdir()
    bad_inputs.good_pdf(raw / "folder.pdf" / "inside.pdf")
    (raw / "notes").symlink_to(raw)  # not named like a report: left alone, as other files are

    reasons = {raw_file.source_path: raw_file.refused for raw_file in list_raw_files(raw)}
    assert reasons == {
        "dangling.pdf": f"dangling.pdf: a link to {tmp_path / 'gone.pdf'}, which leads to no file (missing, or a loop); not read",
        "loop.pdf": f"loop.pdf: a link to {raw / 'loop.pdf'}, which leads to no file (missing, or a loop); not read",
        "pipe.pdf": "pipe.pdf: not a regular file (a pipe, socket or device); not read",
        "folder.pdf": "folder.pdf: a folder named like a report (the files in it are read as usual)",
        "folder.pdf/inside.pdf": None,
    }


def test_the_language_is_staged_for_loaded_and_failed_documents(staged, tmp_path):
    stage.stage_extraction(staged, "d" * 64, "r.pdf", extract_file(bad_inputs.good_pdf(tmp_path / "r.pdf")))
    failure = ExtractionFailure("cpe.pdf: no numbered findings", None, "evaluation", "es")
    stage.stage_failure(staged, "e" * 64, "cpe.pdf", "cpe.pdf", failure)
    assert staged.execute("select status, language from documents order by sha256").fetchall() == [
        ("loaded", "en"),
        ("failed", "es"),
    ]


def test_a_staging_database_made_before_documents_had_a_language_gets_the_column(tmp_path):
    path = tmp_path / "old.duckdb"
    with stage.opened(path) as con:
        con.execute("alter table documents drop column language")
    with stage.opened(path) as con:
        stage.stage_failure(con, "f" * 64, "x.pdf", "x.pdf", ExtractionFailure("x.pdf: broken", None, None, None))
        assert con.execute("select status, language from documents").fetchall() == [("failed", None)]


def test_files_that_are_not_inputs_are_listed_skipped_with_the_reason(tmp_path):
    raw = tmp_path / "raw"
    (raw / "status").mkdir(parents=True)
    (raw / "notes.docx").write_bytes(b"PK\x03\x04 a word document")
    (raw / "README").write_text("what this folder is for\n")
    os.mkfifo(raw / "pipe")
    (raw / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    secret = tmp_path / "budget.xlsx"
    secret.write_bytes(b"PK\x03\x04 a spreadsheet outside")
    (raw / "budget.xlsx").symlink_to(secret)
    (raw / "status" / "countries.csv").write_text("country,value\nKazakhstan,1\n")
    (raw / "status" / "typo.csv").write_text("report_id,recommendation,status\nevaluation-x,1,ongoing\n")
    (raw / "status" / "latin-1.csv").write_bytes("report_id,rec_no,status\néval,1,ongoing\n".encode("latin-1"))
    (raw / "status" / "utf-16.csv").write_bytes(
        b"\xff\xfe" + "report_id,rec_no,status\nx,1,ongoing\n".encode("utf-16-le")
    )
    (raw / "blank.txt").write_text(" \n" * 10)  # an input: reading it fails, with its own reason

    listed = {raw_file.source_path: raw_file for raw_file in list_raw_files(raw)}
    expected = "expected report_id, rec_no, status, optionally action_no, status_date, management_response, comment, reported_by"
    assert {path: raw_file.skipped for path, raw_file in listed.items()} == {
        "README": "README: not a report format: no file-name suffix (reports are .md, .pdf, .txt; status updates .csv)",
        "blank.txt": None,
        "budget.xlsx": f"budget.xlsx: a link to {secret}, outside the raw folder; not read",
        "gone.xlsx": f"gone.xlsx: a link to {tmp_path / 'nowhere.xlsx'}, which leads to no file (missing, or a loop); not read",
        "notes.docx": "notes.docx: not a report format: .docx (reports are .md, .pdf, .txt; status updates .csv)",
        "pipe": "pipe: not a regular file (a pipe, socket or device); not read",
        "status/countries.csv": "status/countries.csv: not a recommendation-status CSV: its header lacks column(s) "
        f"report_id, rec_no, status ({expected}; found 'country', 'value')",
        "status/latin-1.csv": "status/latin-1.csv: not UTF-8 text: byte 24 (0xe9) cannot be decoded",
        "status/typo.csv": "status/typo.csv: not a recommendation-status CSV: its header lacks column(s) rec_no "
        f"({expected}; found 'report_id', 'recommendation', 'status')",
        "status/utf-16.csv": None,
    }  # a folder is no entry of its own: its files are
    assert all(raw_file.refused is None and raw_file.size == 0 for raw_file in listed.values() if raw_file.skipped)
    assert [raw_file.source_path for raw_file in plan_refresh(list(listed.values()), {}).to_extract(set())] == [
        "blank.txt",
        "status/utf-16.csv",
    ]


def test_skipped_files_are_documents_with_their_reason_until_they_leave(staged, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "notes.docx").write_bytes(b"PK\x03\x04 a word document")
    first, second, third = (datetime(2026, 1, day, tzinfo=UTC) for day in (1, 2, 3))

    def documents():
        return staged.execute("select file_name, source_path, status, error from documents").fetchall()

    skipped = (
        "notes.docx",
        "notes.docx",
        "skipped",
        "notes.docx: not a report format: .docx (reports are .md, .pdf, .txt; status updates .csv)",
    )
    stage.record_plan(staged, plan_refresh(list_raw_files(raw), stage.known_files(staged)), first)
    assert documents() == [skipped]
    before = stage.fingerprint(staged)
    plan = plan_refresh(list_raw_files(raw), stage.known_files(staged))
    assert [f.source_path for f in plan.unchanged] == ["notes.docx"]
    stage.record_plan(staged, plan, second)
    assert stage.fingerprint(staged) == before  # nothing new to build for a file that is skipped again

    (raw / "notes.docx").unlink()
    stage.record_plan(staged, plan_refresh(list_raw_files(raw), stage.known_files(staged)), third)
    assert [row[2] for row in documents()] == ["removed"]
    (raw / "notes.docx").write_bytes(b"PK\x03\x04 back again")
    stage.record_plan(staged, plan_refresh(list_raw_files(raw), stage.known_files(staged)), third)
    assert documents() == [skipped]


def test_a_transient_failure_is_extracted_again_and_a_permanent_one_is_not(staged):
    assert stage.stage_failure(staged, "a" * 64, "a.pdf", "a.pdf", ExtractionFailure("a.pdf: bad bytes")) is None
    timed_out = ExtractionFailure("b.pdf: extraction stopped at the 120 s per-document CPU time limit", transient=True)
    assert stage.stage_failure(staged, "b" * 64, "b.pdf", "b.pdf", timed_out) is None
    assert stage.staged_hashes(staged) == {"a" * 64}
    assert staged.execute("select status, failure_kind, error from documents order by sha256").fetchall() == [
        ("failed", "permanent", "a.pdf: bad bytes"),
        ("failed", "transient", timed_out.reason),
    ]


def test_a_transient_failure_keeps_a_loaded_extraction_of_the_same_bytes(staged, tmp_path, monkeypatch):
    extraction = extract_file(bad_inputs.good_pdf(tmp_path / "r.pdf"))
    stage.stage_extraction(staged, "c" * 64, "r.pdf", extraction)
    lines = staged.execute("select count(*) from text_lines").fetchone()[0]
    monkeypatch.setattr(stage, "extractor_version", lambda: "a-newer-extractor")

    lost = ExtractionFailure("r.pdf: extraction process died (exit code -9)", transient=True)
    kept = stage.stage_failure(staged, "c" * 64, "r.pdf", "r.pdf", lost)
    assert kept == "kept previous extraction of r.pdf: r.pdf: extraction process died (exit code -9)"
    assert staged.execute("select status, error, failure_kind, last_failure from documents").fetchall() == [
        ("loaded", None, "transient", lost.reason)
    ]
    assert staged.execute("select count(*) from text_lines").fetchone()[0] == lines
    assert staged.execute("select count(*) from report_info").fetchone()[0] == 1
    # Loaded by the earlier extractor: the next run tries the new one again.
    assert stage.staged_hashes(staged) == set()

    stage.stage_extraction(staged, "c" * 64, "r.pdf", extraction)
    assert staged.execute("select status, failure_kind, last_failure from documents").fetchall() == [
        ("loaded", None, None)
    ]
    assert stage.staged_hashes(staged) == {"c" * 64}


def test_a_permanent_failure_of_loaded_bytes_says_their_rows_were_dropped(staged, tmp_path):
    stage.stage_extraction(staged, "c" * 64, "r.pdf", extract_file(bad_inputs.good_pdf(tmp_path / "r.pdf")))
    dropped = stage.stage_failure(staged, "c" * 64, "r.pdf", "r.pdf", ExtractionFailure("r.pdf: no findings", 2))
    assert dropped == "dropped previous extraction of r.pdf: r.pdf: no findings"


def test_new_bytes_that_fail_say_that_the_earlier_version_stays(staged, tmp_path):
    now = datetime.now(UTC)
    _seen(staged, "r.pdf", "c" * 64, now)
    stage.stage_extraction(staged, "c" * 64, "r.pdf", extract_file(bad_inputs.good_pdf(tmp_path / "r.pdf")))
    _seen(staged, "r.pdf", "d" * 64, now)
    failure = ExtractionFailure("r.pdf: extraction stopped at the 120 s per-document CPU time limit", transient=True)
    note = stage.stage_failure(staged, "d" * 64, "r.pdf", "r.pdf", failure)
    assert note == f"kept previous version of r.pdf (document {'c' * 16}): {failure.reason}"
    assert staged.execute("select sha256, status from documents order by sha256").fetchall() == [
        ("c" * 64, "loaded"),
        ("d" * 64, "failed"),
    ]


def test_failures_staged_before_failures_had_a_kind_are_extracted_again(tmp_path):
    path = tmp_path / "old.duckdb"
    with stage.opened(path) as con:
        stage.stage_failure(con, "f" * 64, "x.pdf", "x.pdf", ExtractionFailure("x.pdf: stopped after 240 s"))
        con.execute("alter table documents drop column failure_kind")
        con.execute("alter table documents drop column last_failure")
    with stage.opened(path) as con:
        assert stage.staged_hashes(con) == set()


def test_staging_results_lists_transient_failures_and_kept_extractions(tmp_path):
    staging_db = tmp_path / "staging.duckdb"
    pdf = bad_inputs.good_pdf(tmp_path / "r.pdf")
    [raw] = list_raw_files(tmp_path)
    with stage.opened(staging_db) as con:
        stage.stage_extraction(con, raw.sha256, raw.source_path, extract_file(pdf))
    lost = ExtractionFailure("r.pdf: extraction process died (exit code -9)", transient=True)
    outcome = stage.stage_results(staging_db, [(raw, lost)])
    assert outcome.failures == [lost.reason]
    assert outcome.previous == [f"kept previous extraction of r.pdf: {lost.reason}"]
    # Its rows are this extractor's: nothing to do again.
    assert outcome.retry_next_run == []

    timed_out = ExtractionFailure("s.pdf: extraction stopped at the 120 s per-document CPU time limit", transient=True)
    bad = ExtractionFailure("t.pdf: not a PDF", transient=False)
    other, permanent = (RawFile(f"{name}.pdf", tmp_path / f"{name}.pdf", name * 64, 1) for name in ("e", "f"))
    outcome = stage.stage_results(staging_db, [(other, timed_out), (permanent, bad)])
    assert outcome.failures == [timed_out.reason, bad.reason]
    assert outcome.retry_next_run == [timed_out.reason]


def test_a_file_rewritten_while_it_is_read_is_not_staged_under_its_old_hash(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "report.txt").write_text("The first part of a report still being copied\n")
    [listed] = list_raw_files(raw)

    def copy_goes_on(path, *limits):
        extraction = extract_file(path)
        path.write_text("The first part of a report still being copied\nand the rest of it\n")
        return extraction

    monkeypatch.setattr(isolation, "extract_in_child", copy_goes_on)
    failure = isolation.extract_raw_file(listed, timeout_seconds=60, memory_limit_mb=1024)
    assert isinstance(failure, ExtractionFailure) and failure.transient
    assert failure.reason == "report.txt: changed while it was being read (still being copied?); read again next run"


def test_opening_staging_waits_for_a_process_that_still_holds_it(tmp_path):
    """After kill -9 of a refresh, its children end a moment after it and may still hold staging when the next
    refresh opens it: the open waits for them rather than failing the run."""
    staging = tmp_path / "wh.staging.duckdb"
    stage.connect(staging).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(staging)!r}); print(1, flush=True); time.sleep(1)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "1\n"  # the holder has the file
    with pytest.raises(duckdb.IOException, match="Could not set lock"):
        duckdb.connect(str(staging))
    con = stage.connect(staging)
    try:
        assert con.execute("select count(*) from documents").fetchone() == (0,)
    finally:
        con.close()
    assert holder.wait(timeout=30) == 0


def test_the_ingest_log_says_when_each_file_was_first_and_last_seen_and_removed(staged, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("a.pdf", "b.pdf"):
        (raw / name).write_bytes(b"%PDF-1.4 " + name.encode())
    days = [datetime(2026, 1, day, tzinfo=UTC) for day in (1, 2, 3, 4)]

    def log_rows():
        return staged.execute(
            "select source_path, first_seen_at, last_seen_at, removed_at from ingest_log order by source_path"
        ).fetchall()

    def record(now):
        stage.record_plan(staged, plan_refresh(list_raw_files(raw), stage.known_files(staged)), now)

    record(days[0])
    record(days[1])
    assert log_rows() == [("a.pdf", days[0], days[1], None), ("b.pdf", days[0], days[1], None)]
    (raw / "b.pdf").unlink()
    record(days[2])
    assert log_rows() == [("a.pdf", days[0], days[2], None), ("b.pdf", days[0], days[1], days[2])]
    (raw / "b.pdf").write_bytes(b"%PDF-1.4 b.pdf")
    record(days[3])
    assert log_rows() == [("a.pdf", days[0], days[3], None), ("b.pdf", days[0], days[3], None)]
    # A folder with nothing in it logs nothing new, and fails nothing.
    stage.record_plan(staged, stage.Plan(), days[3])
    assert len(log_rows()) == 2
