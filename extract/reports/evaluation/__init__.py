"""Country portfolio / country programme evaluations, and the recommendation-status CSVs that follow them up."""

from extract.reports.evaluation.parser import parse
from extract.reports.evaluation.recognise import recognise
from extract.reports.report_type import ReportType

EVALUATION = ReportType("evaluation", recognise, parse)
