PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install dev clean bench prometheus

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[local]'

dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

demo: install
	$(BIN)/monitor demo

# Checked first, so a machine that cannot get Prometheus stops before the venv is built.
test: prometheus dev
	@# Bytecode compiled once: the suite starts `monitor` in hundreds of processes, and where
	@# PYTHONDONTWRITEBYTECODE is set each of them would compile every module again.
	$(BIN)/python -m compileall -q monitor
	$(BIN)/python -m pytest

# promtool and a Prometheus server for tests/test_exporter_prometheus.py: installed with apt-get
# where that works, else the one command to run (scripts/ensure-prometheus).
prometheus:
	@scripts/ensure-prometheus

bench: dev
	$(BIN)/python benchmarks/bench_apply.py
	$(BIN)/python benchmarks/bench_patterns.py
	$(BIN)/python benchmarks/bench_regex.py
	$(BIN)/python benchmarks/bench_exporter.py

clean:
	rm -rf $(VENV) build dist *.egg-info
