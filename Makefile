# The two commands of the README's quick start are `make run` and `make test`. Both bootstrap .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test faults profile bench lint format check-deploy clean translations messages schema

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is required.") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

## make run: the zero-setup portal (SQLite, in-process tasks, demo data, e-mails printed here).
run: $(VENV)/.runtime-installed translations
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	@echo ""
	@echo "  The WeGO Cluster Portal is at http://$(HOST):$(PORT)/  (back office: http://$(HOST):$(PORT)/admin/)"
	@echo "  E-mails (sign-up verification links too) are printed below. Stop with Ctrl+C."
	@echo ""
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

## make test: lint, migration check and the whole suite against PostgreSQL and Redis on 127.0.0.1.
test: $(VENV)/.dev-installed lint translations
	DJANGO_SETTINGS_MODULE=wego_portal.test_settings $(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest
	$(PY) -m bench.faults

## make faults: the fault drill alone (its own PostgreSQL and Redis; restarts them under load).
faults: $(VENV)/.dev-installed
	$(PY) -m bench.faults

## make profile PAGE="Application page": where one benchmarked page spends its time (the bench database).
profile: $(VENV)/.dev-installed
	$(PY) -m bench.profile $(if $(PAGE),"$(PAGE)",--list)

## make translations: compile locale/*/LC_MESSAGES/django.po into .mo (pure Python, no gettext needed).
translations: $(VENV)/.runtime-installed
	DEBUG=true $(PY) manage.py compile_translations

## make messages: extract every translatable string into the ko/es/fr catalogues (needs GNU gettext's xgettext).
messages: $(VENV)/.runtime-installed
	DEBUG=true $(PY) manage.py makemessages --locale ko --locale es --locale fr --no-obsolete \
		--ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'staticfiles/*'

## make schema: write the API's OpenAPI 3 schema to docs/api/openapi.yaml (commit it; a test compares).
schema: $(VENV)/.runtime-installed
	DEBUG=true $(PY) manage.py api_schema

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive core accounts clusters kpis applications events teams notifications backoffice frontoffice api wego_portal --severity-level high
	$(BIN)/lint-imports

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache

## make bench: the portal at scale under load (PostgreSQL, Redis, gunicorn, wrk); writes bench/results.json.
bench: $(VENV)/.dev-installed
	$(PY) -m bench.run
