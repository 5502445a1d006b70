"""The pipeline: the report type that recognises a document owns its failure as well as its records."""

from __future__ import annotations

import pytest

from extract import pipeline
from extract.document.errors import ExtractionError
from extract.pipeline import UNKNOWN, extract_file
from extract.reports.report_type import ReportType
from gewh.refresh.isolation import ExtractionFailure, extract_in_child
from tests import bad_inputs


def test_a_recognised_report_that_breaks_its_template_fails_under_its_type(tmp_path):
    pdf = bad_inputs.good_pdf(tmp_path / "cpe.pdf", "Country Program Evaluation: Ghana")
    with pytest.raises(ExtractionError, match="no numbered findings or recommendations") as failure:
        extract_file(pdf)
    assert failure.value.doc_type == "evaluation"
    assert failure.value.language == "en"


def test_a_parser_bug_is_that_reports_failure_under_its_type(tmp_path, monkeypatch):
    def broken(document):
        raise KeyError("a cell the parser expected")

    monkeypatch.setattr(pipeline, "REPORT_TYPES", (ReportType("evaluation", lambda document: True, broken),))
    with pytest.raises(ExtractionError, match="unexpected KeyError while parsing it as evaluation") as failure:
        extract_file(bad_inputs.good_pdf(tmp_path / "r.pdf"))
    assert failure.value.file_name == "r.pdf" and failure.value.doc_type == "evaluation"


def test_a_document_no_type_recognises_is_unknown(tmp_path):
    assert extract_file(bad_inputs.good_pdf(tmp_path / "r.pdf")).doc_type == UNKNOWN


def test_the_extraction_child_reports_the_type_with_the_failure(tmp_path):
    pdf = bad_inputs.good_pdf(tmp_path / "cpe.pdf", "Country Programme Evaluation of Ghana")
    failure = extract_in_child(pdf, timeout_seconds=120, memory_limit_mb=2048)
    assert isinstance(failure, ExtractionFailure)
    assert failure.doc_type == "evaluation" and failure.reason.startswith("cpe.pdf")
    assert failure.language == "en"
    unreadable = extract_in_child(
        bad_inputs.zero_byte(tmp_path / "empty.pdf"), timeout_seconds=120, memory_limit_mb=2048
    )
    assert isinstance(unreadable, ExtractionFailure) and unreadable.doc_type is None
