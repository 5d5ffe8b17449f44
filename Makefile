# A newcomer's two commands: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench hardening lint lock clean

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

test: $(STAMP)
	$(BIN)/python -m pytest -q

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

hardening: $(STAMP)
	$(BIN)/python -m pytest -q -s tests/hostile/test_hardening_report.py

# Regenerate the lock after editing dependencies in pyproject.toml (needs `uv`).
lock:
	uv pip compile pyproject.toml --extra test --generate-hashes \
	  --no-emit-index-url --no-emit-find-links --python-version 3.11 \
	  --python-platform linux -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache
