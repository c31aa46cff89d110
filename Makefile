PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install dev clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[local]'

dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

demo: install
	$(BIN)/monitor demo

test: dev
	$(BIN)/python -m pytest

bench: dev
	$(BIN)/python benchmarks/bench_apply.py
	$(BIN)/python benchmarks/bench_patterns.py
	$(BIN)/python benchmarks/bench_regex.py
	$(BIN)/python benchmarks/bench_exporter.py

clean:
	rm -rf $(VENV) build dist *.egg-info
