# Two commands on a fresh machine: `make run` and `make test`. Both create the virtualenv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
CASEBOOK ?= $(firstword $(wildcard $(SHARED)/casebook/approaches_dev.jsonl) examples/approaches.jsonl)

.PHONY: run test lint eval bench clean test-extension extension

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# The web service on http://127.0.0.1:8000 with an invented demo organisation (SQLite under var/demo).
run: $(STAMP)
	COUNTERPITCH_DATA_DIR=$${COUNTERPITCH_DATA_DIR:-var/demo} $(BIN)/counterpitch serve --demo --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy

test: lint test-extension
	$(BIN)/pytest

# The browser extension's own checks (decision 0075): eslint and its unit tests under node (Node 18 or later).
test-extension:
	cd extension && npm ci --silent --no-audit --no-fund && npx eslint . && node --test test/*.test.js

# The extension as a zip for "Load unpacked" (unzipped) or an enterprise policy install: only what it ships.
EXTENSION_FILES := manifest.json src options.html options.js result.html result.js pages.css
extension:
	cd extension && rm -rf dist && mkdir -p dist && $(PY) -m zipfile -c dist/counterpitch-extension.zip $(EXTENSION_FILES)
	@echo "extension/dist/counterpitch-extension.zip"

eval: $(STAMP)
	$(BIN)/counterpitch eval $(CASEBOOK) --cv 10

bench: $(STAMP)
	$(BIN)/python bench/screening.py --out bench/results/screening.json

clean:
	rm -rf $(VENV) build *.egg-info extension/node_modules extension/dist
