# make demo: build the bundled graph, ask it a few questions and write the network page.
# make test: check the code (layers, ruff, mypy), then run the whole test suite (what CI runs).
# make test-fast: the same without the tests marked slow (under a minute).
# All of them create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint lint-imports install validate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/conflictgraph build
	$(BIN)/conflictgraph query launchers-of-operation --param operation="Operation 1107"
	$(BIN)/conflictgraph query alliance-members --param alliance="Three Brotherhood Alliance"
	$(BIN)/conflictgraph show KNPLF
	$(BIN)/conflictgraph viz --view alliance --color-by camp -o alliances.html
	@echo "Network page: $(CURDIR)/alliances.html (open it in a browser; it works offline)"

lint-imports: $(STAMP)
	$(BIN)/lint-imports --no-cache

lint: lint-imports
	$(BIN)/ruff check src benchmarks scripts tests conftest.py
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

test-fast: lint
	$(BIN)/python -m pytest -m "not slow"

validate: $(STAMP)
	$(BIN)/conflictgraph validate

clean:
	rm -rf $(VENV) .conflictgraph
