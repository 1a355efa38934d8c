# Kontor: `make run` sets up and starts the appliance; `make test` checks everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help uv install run test lint typecheck pytest bench eval clean

help:
	@echo "make run    set up .venv, migrate, start Kontor on http://127.0.0.1:8000"
	@echo "make test   install what tests need, run ruff, mypy and pytest"
	@echo "make bench  speed figures on the invoice corpus"

uv:
	@command -v $(UV) >/dev/null 2>&1 || $(PYTHON) -m pip install --user --quiet uv

install: uv
	$(UV) sync --frozen

run: install
	bash scripts/ocr-models.sh
	$(BIN)/kontor migrate
	$(BIN)/kontor serve

# The services test-services.sh started are stopped again, whether the checks pass or not.
test: install
	bash scripts/ocr-models.sh
	bash scripts/test-services.sh
	status=0; \
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy && $(BIN)/python -m pytest || status=$$?; \
	bash scripts/test-services.sh stop; \
	exit $$status

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/ocr.py

eval: install
	$(BIN)/kontor eval ../shared/corpus/invoices
	$(BIN)/kontor eval ../shared/corpus/real
	$(BIN)/python -m bench.synth .cache/synth --count 400 --seed 1000 >/dev/null
	$(BIN)/python -m bench.scorer lolo ../shared/corpus/real --extra .cache/synth
	$(BIN)/python bench/learning_curve.py
	$(BIN)/kontor eval --scan ../shared/corpus/real
	$(BIN)/kontor eval --scan ../shared/corpus/invoices
	$(BIN)/kontor eval --scan --rotate 90 ../shared/corpus/real
	$(BIN)/kontor eval --scan --rotate 180 ../shared/corpus/real

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
