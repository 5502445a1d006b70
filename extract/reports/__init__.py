"""The report types extraction knows, one package each, in the order the pipeline asks them.

A package holds everything about its type: the recogniser, the parser, the
record types, the template's data and its layout.  Adding a type is one new
package exposing a `ReportType`, listed here (earlier entries win when two
recognisers accept a document).
"""

from __future__ import annotations

from extract.reports.evaluation import EVALUATION
from extract.reports.inventory import SOURCE_INVENTORY
from extract.reports.report_type import ReportType
from extract.reports.scorecard import SCORECARD

REPORT_TYPES: tuple[ReportType, ...] = (SCORECARD, EVALUATION, SOURCE_INVENTORY)

__all__ = ["REPORT_TYPES", "ReportType"]
