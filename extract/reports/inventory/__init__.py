"""Data-source inventories: numbered lists of organisations that publish gender data on a country."""

from extract.reports.inventory.parser import parse
from extract.reports.inventory.recognise import recognise
from extract.reports.report_type import ReportType

SOURCE_INVENTORY = ReportType("source_inventory", recognise, parse)
