"""Expectation suites, one module per area; each lists `SUITES`.

A `SuiteSpec` validates one DataFrame: the result of ``query`` against the
freshly built warehouse (with the staging database attached as ``staging``).
GX's SQL datasource fails on DuckDB, so every suite validates a pandas frame
read from DuckDB instead.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    query: str
    expectations: Callable[[], list]
    description: str = ""


def all_suites() -> list[SuiteSpec]:
    suites: list[SuiteSpec] = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        suites.extend(getattr(module, "SUITES", []))
    names = [s.name for s in suites]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"expectation suites declared twice: {sorted(duplicates)}")
    return suites
