# Lönservice — `make demo` runs the product, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench bench-scale load mutation screenshots messages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# make demo PORT=8080 serves on another port.
PORT ?= 8000
demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Serving the demo at http://127.0.0.1:$(PORT)/"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Test-only tools from npm (axe-core, oidc-provider), run on localhost by the tests; never served.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $(NODE_STAMP); \
	else echo "npm not found: the tests that need node_modules are skipped (CI fails them)"; fi

# Two parallel workers (CI has two cores); make test TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
test: install $(NODE_STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Benchmarks at the city's real volume against PostgreSQL: DATABASE_URL, or the local lonservice_bench
# (created when missing). The first run generates five years of data (~3 minutes), later runs reuse it.
BENCH_DATABASE_URL := postgres://postgres@127.0.0.1:5432/lonservice_bench
bench: install
	export DATABASE_URL="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}" \
	&& $(BIN)/python -m bench.ensure_db "$$DATABASE_URL" \
	&& $(MANAGE) migrate --noinput \
	&& $(MANAGE) generate_volume --years 5 --agencies 33 --seed 1 \
	&& $(MANAGE) bench

# Mutation testing of the core rules (tools/mutation.py, mutmut): each module with only its own tests, one
# after the other, on SQLite (invoicing's survivors again on PostgreSQL); the summary goes to bench/mutation.md.
# Not part of `make test`.
# make mutation MODULES="clock pricing" runs some; MUTATION_ARGS=--again re-runs only the last survivors.
MODULES ?=
mutation: install
	$(BIN)/python tools/mutation.py $(MUTATION_ARGS) $(MODULES)

# The benchmarks at two sizes side by side (bench/results.md): the city (1x: 3 million cases, 33 agencies)
# and ten cities (10x: 30 million cases, 330 agencies, 500,000 employees), each in its own database.
# Generating the 10x data takes ~20 minutes of COPY and ~12 GB; later runs reuse it.
# The bench runs get a broker (Redis), so that the close is also run as in production: committed
# through real Celery worker processes with its PDFs, then undone (bench/workers.py).
BENCH_SCALE_URL := postgres://postgres@127.0.0.1:5432/lonservice_bench_scale
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/0
bench-scale: install
	for size in 1 10; do \
	  url="$(BENCH_SCALE_URL)$$( [ $$size = 1 ] && echo _1x )"; \
	  DATABASE_URL="$$url" $(BIN)/python -m bench.ensure_db "$$url" \
	  && DATABASE_URL="$$url" $(MANAGE) migrate --noinput \
	  && DATABASE_URL="$$url" $(MANAGE) generate_volume --scale $$size --years 5 --seed 1 \
	  && DATABASE_URL="$$url" CELERY_BROKER_URL="$(BENCH_BROKER_URL)" \
	     $(MANAGE) bench --label $${size}x --small-database none --no-readme || exit 1; \
	done
	$(MANAGE) bench --compare 1x,10x

# 50 users for 60 s on the work queue, case list, dashboards and invoice PDFs against gunicorn (DEBUG off)
# on 127.0.0.1, with the bench database (make bench first); writes bench/results-load.md.
load: install
	export DATABASE_URL="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}" \
	&& $(MANAGE) bench_load

# The browser journeys in Chromium, saving their screenshots (and an invoice PDF page) for the README.
screenshots: install
	mkdir -p docs/screenshots && rm -f docs/screenshots/*.png
	$(BIN)/pytest tests/browser -q --screenshots=docs/screenshots

# Needs GNU gettext; the compiled .mo files are committed so installs do not.
messages: install
	$(MANAGE) makemessages -l sv --ignore=.venv --ignore=staticfiles
	$(MANAGE) compilemessages -l sv --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
