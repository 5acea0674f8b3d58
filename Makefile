# RAAS — `make help` lists the targets. The README names two: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RAAS := $(BIN)/raas
STAMP := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help setup run start stop status test lint unit streams-tests integration chaos bench bench-quick bench-following quix-peer clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) (3.11+) is not installed"; exit 4; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

kafka/lib/.fetched: kafka/pom.xml registry/pom.xml | $(STAMP)
	$(RAAS) stack fetch
	@touch $@

setup: $(STAMP) kafka/lib/.fetched ## Create .venv, install the project, fetch the Kafka jars and the schema registry

run: setup ## The main job in the foreground: broker, worker, demo tenant and data; Ctrl-C stops all
	$(RAAS) run

start: setup ## Start the broker, the schema registry (and PostgreSQL where installed) in the background
	$(RAAS) stack up

stop: ## Stop everything `start` or `run` started
	$(RAAS) stack down

status: ## Show the services and whether they are up
	$(RAAS) stack status

lint: $(STAMP) ## ruff, mypy and import-linter
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

unit: $(STAMP) ## The unit tier: no I/O
	$(BIN)/pytest -q tests/unit

streams-tests: $(STAMP) ## The streams tier: agents in Faust's test context, memory:// tables
	$(BIN)/pytest -q tests/streams

integration: setup ## The integration tier: the real broker and PostgreSQL (run `make start` first)
	$(BIN)/pytest -q -m "not chaos" tests/integration

chaos: setup ## Long runs that restart or kill workers under load (three rolling restarts); starts the stack
	$(RAAS) stack up
	$(BIN)/pytest -q -m chaos tests/integration

test: setup ## Set up, start the stack, lint, run all three tiers, stop what was started
	@if $(RAAS) stack status >/dev/null 2>&1; then touch var/.stack-was-up; else rm -f var/.stack-was-up; fi
	$(RAAS) stack up --install-postgres
	status=0; \
	$(MAKE) --no-print-directory lint || status=$$?; \
	if [ $$status -eq 0 ]; then $(BIN)/pytest -q -p no:cacheprovider -m "not chaos" tests/unit tests/streams tests/integration || status=$$?; fi; \
	if [ -e var/.stack-was-up ]; then rm -f var/.stack-was-up; else $(RAAS) stack down; fi; \
	exit $$status

bench/peers/quix/.venv/.installed-stamp: bench/peers/quix/requirements.txt
	bash bench/peers/quix/setup.sh

quix-peer: bench/peers/quix/.venv/.installed-stamp ## The Quix Streams peer's own venv (bench/peers/quix/.venv)

bench: setup quix-peer ## Benchmarks, every figure of issue 10 (12-15 min on quiet cores); figures go to bench/results/
	$(RAAS) stack up
	$(BIN)/python bench/codec_throughput.py
	$(BIN)/python -m bench.register
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.daily
	$(BIN)/python -m bench.projection_throughput
	$(BIN)/python -m bench.following

bench-following: setup ## Identity changes to notifications at 1, 3, 10 tenants per INSZ (issue 11)
	$(RAAS) stack up
	$(BIN)/python -m bench.following

bench-quick: setup quix-peer ## A short register bench (20k commands, about 5 min) to /tmp/register_quick.json
	$(RAAS) stack up
	$(BIN)/python -m bench.register --commands 20000 --insz 5000 --paced-seconds 10 --output /tmp/register_quick.json

clean: stop ## Remove the venv, the jar cache and var/
	rm -rf $(VENV) kafka/lib registry/app var
