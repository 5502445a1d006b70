# Entry points: `make demo` (set up, then refresh generated sample reports into warehouse/samples/), `make refresh`
# (the same for your reports in raw/), `make test`, `make check` and `make benchmark`;
# `make help` lists every target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help setup demo refresh serve docs seeds test lint check benchmark

# The lines that start with "## " under a target are its help text.
help:
	@awk '/^[a-z]+:/ {target = $$1; sub(/:.*/, "", target)} /^## / {sub(/^## /, ""); printf "  %-10s %s\n", target, $$0}' $(MAKEFILE_LIST)

setup: $(STAMP)
## create .venv with the pinned dependencies (again only when pyproject.toml or constraints.txt change)

# Reinstall only when the dependency declaration or the pinned set changes.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: setup
## generate sample reports and refresh them into warehouse/samples/ (its report.html beside it); the README's first command
	$(BIN)/gewh demo

refresh: setup
## refresh raw/ into warehouse/gender_equality.duckdb (its report.html and Data Docs beside it)
	$(BIN)/gewh refresh

serve: setup
## run the refresh on the schedule in gewh.toml (default: daily at 06:00 UTC) until Ctrl-C
	$(BIN)/gewh serve

docs: setup
## dbt's documentation site of the published warehouse (lineage, every model and column)
	$(BIN)/gewh docs

seeds: setup
## write the scorecard framework seeds in dbt_project/seeds from extract/reports/scorecard/frameworks/*.toml
	$(BIN)/python -m extract.reports.scorecard.seeds

# Pytest workers: "auto" is one per core.  Tests that share a warehouse or a module fixture run on one
# worker (tests/conftest.py); under 10 minutes on 2 cores.
TEST_WORKERS ?= auto
XDIST := -n $(TEST_WORKERS) --dist loadscope

# Everything: tests/unit, tests/warehouse, tests/e2e.
test: setup
## the whole test suite (tests/unit, tests/warehouse, tests/e2e) on every core; the README's test command
	$(BIN)/python -m pytest $(XDIST)

lint: setup
## ruff, ruff format --check, mypy and sqlfluff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/analyses

# Before a commit (under 2 minutes): lint, types, and the unit tests that run no refresh.
check: lint
## before a commit: lint, then the unit tests that run no refresh (under 2 minutes)
	$(BIN)/python -m pytest tests/unit -m "not slow" $(XDIST) -q

# Issue 17's targets with the figures before and after: extraction against bare pdfplumber, refresh stages, no-op
# and one-report refreshes, N = 50/200/500/2000 generated reports, peak memory (benchmarks/results/latest.{json,md},
# about 40 min on 2 quiet cores); then the checks (GX against DuckDB SQL, checks.md, about 3 min) and Prefect's
# start-up (prefect_startup.md, about 15 min).
benchmark: setup
## every measurement in benchmarks/results/, with the machine (about 60 minutes)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/checks.py
	$(BIN)/python benchmarks/prefect_startup.py --rounds 5
