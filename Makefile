# Rollout Readiness — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Local runs: DEBUG on, a dev secret. Production sets DJANGO_DEBUG=0 and DJANGO_SECRET_KEY.
export DJANGO_DEBUG ?= 1

.PHONY: run test install install-test system-deps migrate seed worker beat lint format bench bench-imports bench-pages bench-deps screenshots clean

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed system-deps
install-test: $(VENV)/.installed-test system-deps

# WeasyPrint needs pango (present on Debian 12); harfbuzz-subset makes it quiet and fonts small.
# Browser tests use Debian's chromium; pdftoppm comes with poppler-utils.
system-deps:
	@missing=""; \
	ldconfig -p | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -qq $$missing >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq $$missing)) >/dev/null; \
	  else echo "Please install:$$missing"; fi; \
	fi

browser-deps:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -qq chromium poppler-utils >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium poppler-utils)) >/dev/null; \
	  else echo "Browser tests need Debian's chromium; they are skipped without it."; fi; \
	fi

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo "Rollout Readiness on http://127.0.0.1:$(PORT)/  (log in as demo-lead / readiness-demo)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: migrate
	$(VENV)/bin/celery -A config worker --loglevel=INFO --concurrency=2

beat: migrate
	$(VENV)/bin/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install-test browser-deps lint
	DJANGO_SECRET_KEY=test-only $(PY) manage.py makemigrations --check --dry-run
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

bench: install-test
	$(PY) benchmarks/dossier.py

# Needs DATABASE_URL pointing at PostgreSQL: the targets are for it.
bench-imports: install-test
	$(PY) benchmarks/imports.py

# The page benchmark drives the app with wrk (Debian's package).
bench-deps:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk)) >/dev/null; \
	  else echo "Please install wrk"; exit 1; fi; \
	fi

bench-pages: install-test bench-deps
	$(PY) benchmarks/pages.py $(BENCH_ARGS)

# Every page at 1366 and 390 px into var/screenshots/ (a throwaway SQLite demo, Debian's chromium).
screenshots: install-test browser-deps
	$(PY) tools/screenshots.py $(SCREENSHOTS_ARGS)

clean:
	rm -rf $(VENV) var
