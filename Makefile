# Two commands work on a fresh machine with Python 3.11, make and Node 20 (npm):
#   make run    serve the SPARQL endpoint on the bundled article (http://127.0.0.1:5000/sparql)
#   make test   run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck check clean

# npm ci fetches the web pages' assets (world-atlas geometries, CodeMirror 5 for the SPARQL
# editor) from the npm registry as package-lock.json pins them; rcsgraph.web.assets copies them
# into rcsgraph/web/static/vendor/.
$(STAMP): pyproject.toml package.json package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	npm ci --no-audit --no-fund --silent
	$(BIN)/python -m rcsgraph.web.assets
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/rcsgraph serve

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check rcsgraph tests hatch_build.py
	$(BIN)/ruff format --check rcsgraph tests hatch_build.py

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache node_modules rcsgraph/web/static/vendor
