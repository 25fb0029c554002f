# RareGate: the two commands are `make demo` and `make test`.
# Needs only GNU make and Python 3.11+ (PYTHON=python3.12 make ... to pick another one).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Re-installs only when the dev lock file changes (the dev lock includes everything).
INSTALLED := $(VENV)/.installed-dev
PYTEST_ARGS ?=
DEMO_ADDR ?= 127.0.0.1:8000
REQUIREMENTS_DIR ?= requirements
# Extra pip-compile options for `make lock`, e.g. LOCK_ARGS=--upgrade or LOCK_ARGS="-P django".
LOCK_ARGS ?=
LOCK_VENV ?= $(VENV)/pip-tools

# The demo is always the embedded default: SQLite file db.sqlite3, Celery tasks run eagerly,
# cache in memory. DATABASE_URL and REDIS_URL are removed from the environment on purpose
# (keep them out of .env too: the settings read that file).
DEMO_MANAGE := env -u DATABASE_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=config.settings.local \
	$(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help venv install demo demo-setup demo-data screenshots test lint format lock clean clean-demo

help:
	@echo "RareGate"
	@echo "  make demo    set everything up (SQLite, no services) and serve on http://$(DEMO_ADDR)/"
	@echo "  make test    run the whole test suite (PYTEST_ARGS='-k licence -x' to narrow it)"
	@echo "  make lint    ruff check + ruff format --check"
	@echo "  make format  ruff format + ruff check --fix"
	@echo "  make lock    regenerate requirements/*.txt from pyproject.toml (pip-tools)"
	@echo "  make venv    create .venv and install the dev lock file"
	@echo "  make clean   remove .venv, caches and collected static files (keeps db.sqlite3, media/)"
	@echo "  make clean-demo  remove the demo database db.sqlite3 and uploaded files in media/"
	@echo "  make screenshots  PNGs of each role's pages, desktop and phone, in docs/screenshots/"

venv install: $(INSTALLED)

$(INSTALLED): requirements/dev.txt
	@test -x $(BIN)/python || $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) \
		and "RareGate needs Python 3.11+; set PYTHON=python3.x (this is " + sys.version + ")")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --require-hashes -r requirements/dev.txt
	@rm -f $(VENV)/.installed-*
	touch $@

# The licensing check (licence statuses, alerts) runs at start and every hour beside the server,
# as Celery beat runs it in production; Ctrl-C stops both.
demo: demo-setup
	@echo "RareGate demo on http://$(DEMO_ADDR)/ (log-ins above; Ctrl-C stops it)"
	@( while true; do $(DEMO_MANAGE) raise_alerts || true; sleep 3600; done ) & \
	$(DEMO_MANAGE) runserver $(DEMO_ADDR)

demo-setup: $(INSTALLED)
	$(DEMO_MANAGE) migrate --noinput
	$(DEMO_MANAGE) load_reference
	$(DEMO_MANAGE) create_demo_users
	@$(MAKE) --no-print-directory demo-data

# The customs figures in data/exports/, through the same import path as an upload; a file
# already imported is reported and left alone, so this can run again.
demo-data: $(INSTALLED)
	$(DEMO_MANAGE) import_exports data/exports/*.csv

# PNGs of each role's main pages, desktop and phone, in docs/screenshots/ (for the README),
# from a temporary demo database: db.sqlite3 is left alone. Needs Chromium (apt-get install chromium).
screenshots: $(INSTALLED)
	$(BIN)/python docs/screenshots.py

test: $(INSTALLED)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# pip-tools lives in its own throwaway venv so it never mixes with the project's packages.
# pip-compile keeps the existing pins unless LOCK_ARGS asks otherwise; the lock files name no
# index or find-links, so they install the same anywhere (the Docker image uses base.txt).
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip pip-tools; }
	$(LOCK_VENV)/bin/pip-compile --quiet --strip-extras --generate-hashes \
		--no-emit-index-url --no-emit-find-links $(LOCK_ARGS) \
		--output-file=$(REQUIREMENTS_DIR)/base.txt pyproject.toml
	$(LOCK_VENV)/bin/pip-compile --quiet --strip-extras --generate-hashes \
		--no-emit-index-url --no-emit-find-links $(LOCK_ARGS) --extra dev \
		--output-file=$(REQUIREMENTS_DIR)/dev.txt pyproject.toml

clean:
	rm -rf $(VENV) staticfiles .ruff_cache .pytest_cache test-results build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

clean-demo:
	rm -rf db.sqlite3 media
