"""UNCT-SWAP Gender Equality Scorecard reports."""

from extract.reports.report_type import ReportType
from extract.reports.scorecard.parser import parse
from extract.reports.scorecard.recognise import recognise

SCORECARD = ReportType("scorecard", recognise, parse)
