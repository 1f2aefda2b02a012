# The two commands a fresh clone needs: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
CHROMIUM := /usr/bin/chromium
# WeasyPrint's system libraries (progress reports and writing-day compilations as PDF) and the
# Unicode font embedded in them, so macrons survive ("Mātātahi Kāhui Ako").
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core

# Python keeps the bytecode it compiles (in __pycache__, ignored by git) even where the environment
# says not to: every test worker, served process and command after the first imports Netlearn
# without compiling it again (collecting the suite takes 7 s instead of 16).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test lint test-sqlite test-postgres test-browser chromium pdf-libs serve bench format

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: $(STAMP) pdf-libs
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
test-sqlite: $(STAMP) pdf-libs
	env -u DATABASE_URL $(BIN)/pytest -m "not browser" -n auto --dist loadgroup

# Runs only when DATABASE_URL names a PostgreSQL server (CI sets it; see .ci/run): the tests that
# use that database. The others (they need none, or serve a SQLite home of their own) would run as
# they did in test-sqlite. The API fuzzer draws fewer examples here: its schema findings do not
# depend on the database, and the SQLite run has already drawn the full set.
test-postgres: $(STAMP) pdf-libs
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== suite on PostgreSQL"; FUZZ_MAX_EXAMPLES=$${FUZZ_MAX_EXAMPLES:-5} $(BIN)/pytest -m "not browser" -n auto --dist loadgroup --database-tests-only; \
	else echo "== DATABASE_URL not set: skipping the PostgreSQL run"; fi

chromium:
	@test -x $(CHROMIUM) || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

pdf-libs:
	@{ ldconfig -p | grep -q libpangoft2-1.0 && ldconfig -p | grep -q libharfbuzz-subset \
		&& test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; } || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $(PDF_PACKAGES); }

test-browser: $(STAMP) chromium pdf-libs
	env -u DATABASE_URL $(BIN)/pytest -m browser

bench: $(STAMP)
	$(BIN)/python -m bench
