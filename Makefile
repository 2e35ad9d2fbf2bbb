# Yinling: `make run` serves the site with demo data; `make test` runs every check.
# Both set everything up first: the virtualenv, the packages, the private
# PostgreSQL under .data/ (unless DATABASE_URL is set), migrations, demo data.
# `make db` is the one thing that starts that server (core/devdb.py): it keeps
# running between commands, and settings read its URL from .data/database_url.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Development commands run with DEBUG on (a development SECRET_KEY); production sets its own.
MANAGE := DEBUG=1 $(PY) manage.py
DEVDB := $(PY) -m core.devdb
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run worker test setup db db-stop demo lint format migrations browser-deps e2e benchmark bench bench-deps clean-db messages

run: setup demo
	@echo ""
	@echo "  银龄台账 is running at http://$(HOST):$(PORT)/"
	@$(MANAGE) list_demo_accounts
	@echo ""
	@# The queue worker (imports, large exports) runs beside the server and stops with it.
	$(MANAGE) db_worker --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# The queue worker alone (e.g. beside `make run` in another checkout): runs background jobs.
worker: setup
	$(MANAGE) db_worker --queue-name '*'

# The suite migrates its own databases (test_yinling_gw0, _gw1): the development one is left alone.
test: $(VENV)/.installed db messages browser-deps lint
	$(MANAGE) makemigrations --check --dry-run
	DEBUG=0 $(BIN)/pytest -n 2 --create-db

setup: $(VENV)/.installed db messages
	$(MANAGE) migrate --noinput

# Starts the private PostgreSQL unless it runs (a few milliseconds then) and writes its URL.
db: $(VENV)/.installed
	@if [ -n "$$DATABASE_URL" ]; then echo "Using DATABASE_URL"; else $(DEVDB) start; fi

db-stop:
	$(DEVDB) stop

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

messages: $(VENV)/.installed db
	@if command -v msgfmt >/dev/null; then $(MANAGE) compilemessages --ignore=.venv -v 0; \
	else echo "msgfmt not found: install gettext to build the English catalogue" >&2; fi

demo: setup
	$(MANAGE) load_demo

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Browser tests drive Debian's Chromium (Playwright never downloads a browser here).
browser-deps:
	@if [ ! -x "$(CHROMIUM)" ] || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "The browser tests need Chromium and CJK fonts: sudo apt-get install chromium fonts-noto-cjk" >&2; exit 1; \
	  fi; \
	fi

benchmark: setup demo
	YINLING_TESTING=1 DEBUG=0 $(PY) manage.py benchmark

# The production server over HTTP at province scale, beside Django admin and the bare SQL, in its
# own database (reused by the next run); the table goes to docs/benchmark.md. Not part of make test.
BENCH_COUNTIES ?= 100
BENCH_ARGS ?=
bench: setup bench-deps
	DATABASE_URL="$${BENCH_DATABASE_URL:-$$(sed 's#/[^/?]*$$#/yinling_bench#' .data/database_url)}" \
	  SECRET_KEY=bench-only-not-a-secret ALLOWED_HOSTS=127.0.0.1,localhost DEBUG=0 $(PY) manage.py bench_http --counties $(BENCH_COUNTIES) $(BENCH_ARGS)

bench-deps:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "make bench needs wrk: sudo apt-get install wrk" >&2; exit 1; fi; \
	fi

# Stops every private server under .data/ (an older one too), then deletes the folder.
clean-db:
	if [ -x $(PY) ]; then $(DEVDB) destroy; else rm -rf .data; fi
