# Entry points: `make refresh` (set up, then refresh raw/ into warehouse/), `make test` and `make benchmark`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup refresh test serve benchmark

setup: $(STAMP)

# Reinstall only when the dependency declaration or the pinned set changes.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

refresh: setup
	$(BIN)/gewh refresh

test: setup
	$(BIN)/python -m pytest

# Extraction against bare pdfplumber, refresh stages, no-op and incremental runs, N = 50/200/500
# generated reports, peak memory (~25 min on 2 quiet cores): writes benchmarks/results/latest.{json,md}.
benchmark: setup
	$(BIN)/python benchmarks/run.py
