# Entry points: `make refresh` (set up, then refresh raw/ into warehouse/), `make test`, `make check` and `make benchmark`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup refresh test lint check serve benchmark

setup: $(STAMP)

# Reinstall only when the dependency declaration or the pinned set changes.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

refresh: setup
	$(BIN)/gewh refresh

# Pytest workers: "auto" is one per core.  Tests that share a warehouse or a module fixture run on one
# worker (tests/conftest.py); under 10 minutes on 2 cores.
TEST_WORKERS ?= auto
XDIST := -n $(TEST_WORKERS) --dist loadscope

# Everything: tests/unit, tests/warehouse, tests/e2e.
test: setup
	$(BIN)/python -m pytest $(XDIST)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/sqlfluff lint dbt_project/models analyses

# Before a commit (under 2 minutes): lint, types, and the unit tests that run no refresh.
check: lint
	$(BIN)/python -m pytest tests/unit -m "not slow" $(XDIST) -q

# Extraction against bare pdfplumber, refresh stages, no-op and incremental runs, N = 50/200/500
# generated reports, peak memory (~25 min on 2 quiet cores): writes benchmarks/results/latest.{json,md}.
benchmark: setup
	$(BIN)/python benchmarks/run.py
