# make demo: build the bundled graph, ask it a few questions and write the network page.
# make test: run the test suite. Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install validate clean

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

test: $(STAMP)
	$(BIN)/python -m pytest

validate: $(STAMP)
	$(BIN)/conflictgraph validate

clean:
	rm -rf $(VENV) .conflictgraph
