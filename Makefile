# goldenthread: every target builds what it needs first, so a fresh clone
# needs only `make demo` or `make test`.

PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
BIN := $(VENV)/bin
ASSETS := src/goldenthread/web/static/build
# uv uses this machine's Python and never downloads an interpreter.
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
# Compile bytecode at install, as an installed package would have it: the
# `goldenthread` command then starts without compiling its libraries.
export UV_COMPILE_BYTECODE := 1

.PHONY: install demo serve test lint pytest pytest-sqlite pytest-postgres bench screenshot clean

install: $(VENV)/.installed $(ASSETS)/.built

$(VENV)/.installed: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# goldenthread.mjs is the source of the bundle build/goldenthread.js, orgchart.mjs of
# build/orgchart.js.
$(ASSETS)/.built: node_modules/.installed assets/build.mjs $(wildcard assets/scss/*.scss) src/goldenthread/web/static/web/goldenthread.mjs src/goldenthread/structure/static/structure/orgchart.mjs
	npm run --silent build
	@touch $@

demo: install
	$(BIN)/goldenthread demo

serve: install
	$(BIN)/goldenthread serve

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# The whole suite on SQLite, then every database test again on PostgreSQL
# (127.0.0.1:5432, database `test`). The browser tests drive the same pages in
# both, and the fuzz tests send the same files through the same forms, so they
# run once, on SQLite; the PostgreSQL run still requests every
# page as a member (tests/test_isolation.py). Without PostgreSQL or Chromium
# those tests skip and say why, unless GOLDENTHREAD_REQUIRE_ALL=1 (set by
# .ci/run), which makes any skip a failure.
pytest-sqlite: install
	$(BIN)/pytest

pytest-postgres: install
	GOLDENTHREAD_TEST_POSTGRES=1 $(BIN)/pytest -m "not browser and not fuzz"

pytest: pytest-sqlite pytest-postgres

test: lint pytest

# Needs PostgreSQL at 127.0.0.1:5432 for the structure and programme pages benchmarks, and
# Chromium for the chart page's first visit.
bench: install
	$(BIN)/python benchmarks/bench_structure.py
	$(BIN)/python benchmarks/bench_structure_web.py
	$(BIN)/python benchmarks/bench_programme.py
	$(BIN)/python benchmarks/bench_assets.py
	$(BIN)/python benchmarks/bench_reading.py
	$(BIN)/python benchmarks/bench_programme_plan.py

clean:
	rm -rf $(VENV) node_modules $(ASSETS) .pytest_cache .mypy_cache .ruff_cache
