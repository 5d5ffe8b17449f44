# A newcomer's two commands: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast bench hardening lint lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs exactly what requirements.lock pins (hashes checked), then the project itself.
$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/briefing --demo

# Tests run in parallel (pytest-xdist): two workers per core, at most 4. About half of a
# test's time is spent waiting (local servers, child processes, timeouts), so two per core
# keep the cores busy: on an idle 2-core machine 4 workers took 192 s, 2 took 226 s and 6
# took 216 s (each worker loads the app, spaCy and its own PostgreSQL). WORKERS=0 runs them
# in this process.
# Bytecode is written (PYTHONDONTWRITEBYTECODE unset): pytest's rewritten test modules and
# the project's modules, compiled once, are reused by the next run, every worker and every
# `briefing` process the tests start (collection: ~7 s of CPU to ~2.5 s).
WORKERS ?= $(shell $(PYTHON) -c 'import os; print(min(4, 2 * len(os.sched_getaffinity(0))))')
# The inner loop is mostly CPU (no PostgreSQL, few child processes): one worker per core.
FAST_WORKERS ?= auto
# worksteal hands each worker one queue; tests/helpers/schedule.py puts the longest tests of
# the last run (pytest's cache) at the queues' fronts, so the run's tail is short.
PYTEST  = env -u PYTHONDONTWRITEBYTECODE \
          $(BIN)/python -m pytest -q -n $(1) --maxprocesses 4 --dist worksteal

# Everything but the benchmarks and the hardening report (whose cases are tests here).
test: $(STAMP)
	$(call PYTEST,$(WORKERS))

# The inner loop: leaves out the tests marked slow (half a second of CPU or more:
# `pytest --cpu-durations=30` lists them).
test-fast: $(STAMP)
	$(call PYTEST,$(FAST_WORKERS)) -m "not slow and not hardening"

bench: $(STAMP)
	$(BIN)/python -m pytest -q -s tests/bench -p no:cacheprovider

# The quality gates CI runs before the tests: lint, format, types, import contracts.
# Each runs even if one before it failed, so one run shows every problem.
lint: $(STAMP)
	@status=0; \
	echo "== ruff check"; $(BIN)/ruff check . || status=1; \
	echo "== ruff format --check"; $(BIN)/ruff format --check . || status=1; \
	echo "== mypy"; $(BIN)/mypy || status=1; \
	echo "== lint-imports"; $(BIN)/lint-imports --no-cache || status=1; \
	exit $$status

# The hostile tests with many random fuzz examples, then the figures (README).
hardening: $(STAMP)
	HYPOTHESIS_PROFILE=hardening $(call PYTEST,$(WORKERS)) tests/hostile
	$(BIN)/python -m pytest -q -s -m hardening tests/hostile/test_hardening_report.py

# Regenerate the lock after editing dependencies in pyproject.toml (needs `uv`).
lock:
	uv pip compile pyproject.toml --extra test --generate-hashes \
	  --no-emit-index-url --no-emit-find-links --python-version 3.11 \
	  --python-platform linux -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache
