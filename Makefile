# DariRumah — the two commands are `make demo` and `make test`; everything else is a step of them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL pass: DATABASE_URL if it points at PostgreSQL, else a local server if one answers.
PG_URL ?= postgres://postgres@127.0.0.1:5432/darirumah

.PHONY: help install system-check assets messages messages-update demo serve worker test lint pytest-sqlite pytest-postgres bench clean

help:
	@echo "make demo   — set up, create the demo agencies and serve on http://$(HOST):$(PORT)/"
	@echo "make test   — lint, format check, migrations check, tests on SQLite and PostgreSQL"
	@echo "make bench  — run the benchmarks in bench/"

system-check:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is required ($(PYTHON) not found)."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
		|| { echo "Python 3.11 or newer is required; found $$($(PYTHON) --version)."; exit 1; }
	@command -v msgfmt >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing gettext (needed to compile translations)…"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
		else echo "gettext is required: install it (Debian/Ubuntu: sudo apt-get install gettext)."; exit 1; fi; }

$(STAMP): pyproject.toml requirements.lock
	@$(MAKE) --no-print-directory system-check
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	@if ls darirumah/locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then \
		cd darirumah && ../$(PY) -m django compilemessages -v 0 --settings=darirumah.settings; fi

# After adding user-facing strings: extract them into the catalogues, then translate them.
messages-update: $(STAMP)
	cd darirumah && ../$(PY) -m django makemessages -l id -l en --no-obsolete \
		--ignore 'tests/*' --ignore 'static/*' --settings=darirumah.settings

# Front-end libraries come from the npm registry (pinned in package.json + lock) and are copied
# into static; nothing is fetched from a CDN at run time.
assets: darirumah/static/vendor/.stamp
darirumah/static/vendor/.stamp: package.json package-lock.json scripts/copy-assets.sh
	@command -v npm >/dev/null || { echo "Node.js and npm are required for the front-end assets (Debian: apt-get install nodejs npm)."; exit 1; }
	npm ci --silent --no-audit --no-fund
	bash scripts/copy-assets.sh
	@touch $@

# The demo runs with DEBUG on: it creates logins with a printed password.
demo: export DEBUG = 1
# The job worker (timed jobs: the 07:00 reminder…) runs beside the web server, its log in
# var/worker.log; Ctrl-C stops the server, and the trap then stops the worker.
demo: install assets
	$(PY) -m darirumah migrate -v 0
	$(PY) -m darirumah demo
	@$(PY) -m darirumah worker >>var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Job worker started (pid $$worker, log in var/worker.log)."; \
	$(PY) -m darirumah serve --host $(HOST) --port $(PORT)

serve: export DEBUG = 1
serve: install assets
	$(PY) -m darirumah serve --host $(HOST) --port $(PORT)

worker: install
	$(PY) -m darirumah worker

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install lint
	DATABASE_URL=sqlite:///:memory: $(PY) -m darirumah makemigrations --check --dry-run -v 1
	$(MAKE) --no-print-directory pytest-sqlite
	$(MAKE) --no-print-directory pytest-postgres

pytest-sqlite: $(STAMP)
	@echo "== pytest on SQLite"
	DATABASE_URL=sqlite:///var/test.sqlite3 $(VENV)/bin/pytest -n 2 -p no:cacheprovider

pytest-postgres: $(STAMP)
	@url="$${DATABASE_URL:-}"; \
	if [[ "$$url" != postgres* ]]; then \
		if $(PY) scripts/pg_ready.py "$(PG_URL)"; then url="$(PG_URL)"; else url=""; fi; \
	fi; \
	if [ -z "$$url" ]; then \
		if [ -n "$${REQUIRE_POSTGRES:-}" ]; then echo "PostgreSQL is required but not reachable."; exit 1; fi; \
		echo "== PostgreSQL not reachable: the PostgreSQL pass is skipped (set DATABASE_URL to run it)"; \
	else \
		echo "== pytest on PostgreSQL"; \
		DATABASE_URL="$$url" $(VENV)/bin/pytest -n 2 -p no:cacheprovider; \
	fi

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules darirumah/static/vendor var/*.sqlite3
