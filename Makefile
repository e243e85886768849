# Creative Cities Exchange. The two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CCX := $(BIN)/ccx
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
export CCX_DEBUG ?= true

.PHONY: run test install install-test-tools lint layers typecheck migrations-check deploy-check audit test-suites test-sqlite test-browser test-postgres messages bench bench-load clean

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(BIN)/.installed

## make run: install, migrate, load the real network data (once), create a demo secretariat account, serve.
## The background worker (ccx db_worker) runs beside the server, so builds never block a request; Ctrl-C
## stops both (a background job ignores Ctrl-C in a script, hence the trap).
run: install
	$(CCX) migrate --noinput -v0
	$(CCX) setup
	@echo "Serving on http://$(HOST):$(PORT)/ with the background worker (Ctrl-C stops both)"
	@export CCX_TASK_WORKER=true CCX_SITE_URL="$${CCX_SITE_URL:-http://$(HOST):$(PORT)}"; \
	$(CCX) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(CCX) runserver $(HOST):$(PORT)

## make test: lint, types, migrations, the suite on SQLite and PostgreSQL, browser tests in Chromium.
test: install install-test-tools lint layers typecheck migrations-check messages-check deploy-check audit test-suites

install-test-tools:
	@command -v chromium >/dev/null || { echo "Installing Debian's Chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; }
	@command -v msgfmt >/dev/null || { echo "Installing gettext to check the compiled translations"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext) >/dev/null; }
	@test -e /usr/share/java/epubcheck.jar || { echo "Installing Debian's epubcheck to validate the EPUB editions"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq epubcheck) >/dev/null; }
	@command -v pg_dump >/dev/null || { echo "Installing PostgreSQL's client tools (pg_dump, pg_restore) for the backup tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client) >/dev/null; }
	@command -v pdftotext >/dev/null || { echo "Installing poppler-utils to check the PDF editions"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils) >/dev/null; }

lint:
	$(BIN)/ruff check ccx tests bench scripts
	$(BIN)/ruff format --check ccx tests bench scripts

# The apps' layers and the forbidden imports ([tool.importlinter] in pyproject.toml, docs/architecture.md).
layers:
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy ccx tests

migrations-check:
	$(CCX) makemigrations --check --dry-run

## The production checklist's variables (README "Security and operations") must give a clean deploy check.
DEPLOY_ENV := CCX_DEBUG=false CCX_SECRET_KEY=deploy-check-$$(date +%s%N)-not-a-real-secret-key-0123456789abcdef \
	CCX_HTTPS=true CCX_HSTS_INCLUDE_SUBDOMAINS=true CCX_HSTS_PRELOAD=true CCX_ALLOWED_HOSTS=exchange.example.org \
	CCX_CSRF_TRUSTED_ORIGINS=https://exchange.example.org CCX_CACHE_URL=redis://127.0.0.1:6379/0 \
	CCX_BEHIND_PROXY=true CCX_VAR_DIR=var/deploy-check
deploy-check:
	@echo "== ccx check --deploy with the production variables =="
	@$(DEPLOY_ENV) $(CCX) collectstatic --noinput -v0
	$(DEPLOY_ENV) $(CCX) check --deploy --fail-level WARNING

## pip-audit over the lock file: "skipped" (never "pass") when its advisory service cannot be reached.
audit:
	@$(BIN)/python scripts/audit_dependencies.py

messages-check:
	$(BIN)/python scripts/check_messages.py

## Three runs side by side on the two cores: the suite on SQLite, the browser tests (SQLite, Chromium) and the
## suite on PostgreSQL. The browser tests alone take as long as the rest of the SQLite suite, so they run apart
## rather than after it. The browser and PostgreSQL runs keep their files (uploads, private documents, search
## index, pytest's temporary folders) under var/test-browser and var/test-postgres, and PostgreSQL uses its own
## Redis database, so no run sees another's; their output is printed when all are done, and any failing fails
## the target.
test-suites:
	@mkdir -p var
	@$(MAKE) --no-print-directory test-postgres > var/test-postgres.log 2>&1 & postgres=$$!; \
	$(MAKE) --no-print-directory test-browser > var/test-browser.log 2>&1 & browser=$$!; \
	$(MAKE) --no-print-directory test-sqlite; sqlite=$$?; \
	wait $$browser; browser=$$?; cat var/test-browser.log; \
	wait $$postgres; pg=$$?; cat var/test-postgres.log; \
	echo "== SQLite suite: exit $$sqlite; browser tests: exit $$browser; PostgreSQL suite: exit $$pg =="; \
	test $$sqlite -eq 0 && test $$browser -eq 0 && test $$pg -eq 0

test-sqlite:
	@echo "== Test suite on SQLite (without the browser tests) =="
	$(BIN)/pytest -q -m "not browser"

BROWSER_VAR := $(CURDIR)/var/test-browser
test-browser:
	@echo "== Browser tests in Chromium, on SQLite =="
	@rm -rf $(BROWSER_VAR) && mkdir -p $(BROWSER_VAR)
	CCX_VAR_DIR="$(BROWSER_VAR)" $(BIN)/pytest -q -m browser --basetemp="$(BROWSER_VAR)/pytest"

POSTGRES_VAR := $(CURDIR)/var/test-postgres
test-postgres:
	@if $(BIN)/python scripts/db_reachable.py "$(POSTGRES_URL)"; then \
		echo "== Test suite on PostgreSQL ($(POSTGRES_URL)) =="; \
		rm -rf $(POSTGRES_VAR) && mkdir -p $(POSTGRES_VAR); \
		DATABASE_URL="$(POSTGRES_URL)" CCX_VAR_DIR="$(POSTGRES_VAR)" \
		CCX_TEST_REDIS_URL="$${CCX_TEST_POSTGRES_REDIS_URL:-redis://127.0.0.1:6379/13}" \
		$(BIN)/pytest -q -m "not browser" --basetemp="$(POSTGRES_VAR)/pytest"; \
	else \
		echo "== SKIPPED: test suite on PostgreSQL: no server answers at $(POSTGRES_URL) (set POSTGRES_URL) =="; \
	fi

## make messages: extract and compile the interface translations (needs gettext).
messages: install
	cd ccx && ../$(CCX) makemessages -l fr -l zh_Hans --no-obsolete --no-location && ../$(CCX) compilemessages

bench: install
	$(BIN)/python bench/run.py

## make bench-load: pages against a bare Django view, then two servers on PostgreSQL + Redis (needs wrk).
bench-load: install
	@command -v wrk >/dev/null || { echo "Installing Debian's wrk for the load benchmarks"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null; }
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/two_servers.py

clean:
	rm -rf $(VENV) var
