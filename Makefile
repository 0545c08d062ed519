# Two commands on a fresh machine with Python 3.11+:  make run  |  make test  (make lint: style, types)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: run test lint bench dist test-frozen translations clean

#: The program `make dist` builds (names as in build.spec: lower-case on Linux).
APP_BINARY ?= dist/Freelancer Desk/$(if $(filter Darwin,$(shell uname -s)),Freelancer Desk,freelancer-desk)

run: $(VENV)/.app-installed
	$(PY) main.py

test: $(VENV)/.test-installed
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

#: ruff's rules and formatting, then mypy over the files pyproject.toml names; any finding fails.
lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(VENV)/.test-installed
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

dist: $(VENV)/.build-installed
	$(BIN)/pyinstaller build.spec --noconfirm

test-frozen: $(VENV)/.test-installed
	QT_QPA_PLATFORM=offscreen FREELANCER_DESK_FROZEN="$(CURDIR)/$(APP_BINARY)" \
		$(PY) -m pytest tests/packaging $(PYTEST_ARGS)

translations: $(VENV)/.app-installed
	$(PY) -m freelancer_desk.i18n

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.app-installed: pyproject.toml $(VENV)/.created
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.app-installed
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

$(VENV)/.build-installed: pyproject.toml $(VENV)/.app-installed
	$(PY) -m pip install --quiet -e ".[build]"
	touch $@

clean:
	rm -rf $(VENV) build dist .pytest_cache
