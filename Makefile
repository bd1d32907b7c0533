# Frontstage: `make demo` runs it, `make test` checks it. Both set up .venv first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PO := $(wildcard frontstage/locale/*/LC_MESSAGES/*.po)
MO := $(PO:.po=.mo)

.PHONY: install demo test lint pytest serve translations clean

install: $(VENV)/.installed $(MO)

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Frontstage needs Python 3.11 or newer; set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

# Translations are compiled in the build, never committed.
%.mo: %.po $(VENV)/.installed
	$(PY) -c 'import sys, polib; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])' $< $@

translations: $(VENV)/.installed
	$(PY) -m frontstage makemessages -l zh_Hans --ignore=.venv --ignore=var --no-location

demo: install
	$(PY) -m frontstage migrate --noinput
	$(PY) -m frontstage demo --url http://127.0.0.1:$(PORT)
	$(PY) -m frontstage runserver --insecure 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports
	$(PY) -m frontstage makemigrations --check --dry-run

pytest: install
	$(VENV)/bin/pytest
	$(VENV)/bin/pytest --postgres

test: lint pytest

clean:
	rm -rf $(VENV) $(MO)
