# Two commands for a newcomer: `make run` and `make test`. Everything installs into .venv from the
# lock files in requirements/ (uv when it is on PATH, pip otherwise).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint bench install install-dev browser postgres redis prod clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base-installed: requirements/base.lock | $(BIN)/python
	@if command -v uv >/dev/null 2>&1; then uv pip install --python $(BIN)/python -r requirements/base.lock; \
	else $(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/python -m pip install --quiet -r requirements/base.lock; fi
	touch $@

$(VENV)/.dev-installed: requirements/dev.lock $(VENV)/.base-installed
	@if command -v uv >/dev/null 2>&1; then uv pip install --python $(BIN)/python -r requirements/dev.lock; \
	else $(BIN)/python -m pip install --quiet -r requirements/dev.lock; fi
	touch $@

install: $(VENV)/.base-installed
install-dev: $(VENV)/.dev-installed

# the demo: migrate, load demo data, then web + Celery worker + beat; Ctrl-C stops all three.
# PORT=N serves on N; every demo notice prints http://127.0.0.1:N in its PDF and QR code (hashed with it,
# so each port keeps its own demo database, var/db-N.sqlite3). Demo mail is written to var/mail/.
run: export PUBLIC_BASE_URL := http://127.0.0.1:$(PORT)
run: export DJANGO_SQLITE_PATH := $(CURDIR)/var/db-$(PORT).sqlite3
run: install
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py seed_demo
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(BIN)/celery -A config worker --loglevel=WARNING --pool=solo --without-gossip --without-mingle -f var/celery-worker.log & \
	$(BIN)/celery -A config beat --loglevel=WARNING --schedule var/celerybeat-schedule -f var/celery-beat.log & \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --noreload & \
	sleep 3; \
	$(BIN)/python manage.py seed_demo --logins-only; \
	echo ""; \
	echo "  Open http://127.0.0.1:$(PORT)/   (demo mail: var/mail/; worker log: var/celery-worker.log; Ctrl-C stops all)"; \
	echo ""; \
	wait

# Debian's chromium for the browser tests (`playwright install` cannot download here)
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; \
	fi

# PostgreSQL, the production database, for a second test pass where row locks are real: Debian's
# package, its local cluster started, a `transfers` role. Best effort: without root or sudo the
# PostgreSQL pass is skipped (and says so).
AS_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo "" || (command -v sudo >/dev/null && echo "sudo -n"))
AS_POSTGRES := $(shell [ "$$(id -u)" = 0 ] && echo "runuser -u postgres --" || echo "sudo -n -u postgres")
postgres:
	@if ! command -v pg_lsclusters >/dev/null 2>&1; then \
		( $(AS_ROOT) apt-get install -y -qq postgresql >/dev/null 2>&1 || \
		  ( $(AS_ROOT) apt-get update -qq && $(AS_ROOT) apt-get install -y -qq postgresql >/dev/null ) ) || true; \
	fi
	@if command -v pg_lsclusters >/dev/null 2>&1; then \
		pg_lsclusters -h | while read version cluster rest; do $(AS_ROOT) pg_ctlcluster $$version $$cluster start 2>/dev/null; done; \
		$(AS_POSTGRES) psql -tAc "SELECT 1 FROM pg_roles WHERE rolname='transfers'" 2>/dev/null | grep -q 1 || \
		$(AS_POSTGRES) psql -qc "CREATE ROLE transfers LOGIN CREATEDB PASSWORD 'transfers'" 2>/dev/null || true; \
	fi

# redis-server for tests/production/ (the tests start their own on a free loopback port); best effort, like
# `postgres`: without it those tests are skipped and say so
redis:
	@if ! command -v redis-server >/dev/null 2>&1; then \
		( $(AS_ROOT) apt-get install -y -qq redis-server >/dev/null 2>&1 || \
		  ( $(AS_ROOT) apt-get update -qq && $(AS_ROOT) apt-get install -y -qq redis-server >/dev/null ) ) || true; \
	fi

# the production stack on one machine (docs/deploy.md); a local trial with the demo: make prod DJANGO_DEMO_DATA=1
prod: install
	PORT=$(PORT) config/deploy/stack.sh

test: install-dev browser postgres redis
	$(BIN)/python manage.py check --settings=config.settings.test
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest -q
	@if pg_isready -q -h localhost 2>/dev/null; then \
		echo "Again on PostgreSQL (row locks, concurrency):"; \
		DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest -q --ds=config.settings.test_postgres -m "not browser"; \
	else echo "PostgreSQL is not available here: the PostgreSQL pass is skipped."; fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy transfers workflows notifications

clean:
	rm -rf var $(VENV)

bench: install-dev
	$(BIN)/python -m benchmarks.case_visibility
	$(BIN)/python -m benchmarks.task_lists
	$(BIN)/python -m benchmarks.transitions
	$(BIN)/python -m benchmarks.public_pages
	$(BIN)/python -m benchmarks.notice_pdf
