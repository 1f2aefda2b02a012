# The two commands a fresh clone needs: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
CHROMIUM := /usr/bin/chromium

.PHONY: demo test lint test-sqlite test-postgres test-browser chromium serve bench format

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: $(STAMP)
	$(BIN)/netlearn demo

test: $(STAMP) lint test-sqlite test-postgres test-browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The suite runs on every core (pytest-xdist: one in-memory database, or one PostgreSQL test database,
# per worker); the browser tests stay in one process beside their live server.
test-sqlite: $(STAMP)
	env -u DATABASE_URL $(BIN)/pytest -m "not browser" -n auto --dist loadgroup

# Runs only when DATABASE_URL names a PostgreSQL server (CI sets it; see .ci/run). The API fuzzer
# draws fewer examples here: its schema findings do not depend on the database, and the SQLite run
# has already drawn the full set.
test-postgres: $(STAMP)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== suite on PostgreSQL"; FUZZ_MAX_EXAMPLES=$${FUZZ_MAX_EXAMPLES:-5} $(BIN)/pytest -m "not browser" -n auto --dist loadgroup; \
	else echo "== DATABASE_URL not set: skipping the PostgreSQL run"; fi

chromium:
	@test -x $(CHROMIUM) || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

test-browser: $(STAMP) chromium
	env -u DATABASE_URL $(BIN)/pytest -m browser

bench: $(STAMP)
	$(BIN)/python -m bench
