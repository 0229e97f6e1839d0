# Every development command of ungpkit. `make help` lists them.
# The two commands of the README: `make demo` (run the platform on SQLite) and `make test`.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the commands.
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,production]'
	@touch $(STAMP)

.PHONY: install
install: $(STAMP) ## Create .venv and install ungpkit with its development tools.

.PHONY: browser
browser: ## Install Debian's Chromium and a Korean font for the browser and PDF tests.
	@if [ -x /usr/bin/chromium ] && [ -d /usr/share/fonts/opentype/noto ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Chromium and fonts-noto-cjk for the browser and PDF tests..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-noto-cjk >/dev/null) \
	    || echo "Could not install them: the tests that need them will be skipped."; \
	else echo "No Chromium or Korean font, and no root: the tests that need them will be skipped."; fi

.PHONY: demo
demo: $(STAMP) ## Start the demo site on http://127.0.0.1:8000 (SQLite, sample data).
	$(BIN)/ungpkit demo

.PHONY: test
test: $(STAMP) browser lint typecheck ## Install everything and run the whole test suite.
	$(BIN)/python -m pytest $(PYTEST_ARGS)

.PHONY: pytest
pytest: $(STAMP) ## Run only pytest (PYTEST_ARGS="-k name" to select).
	$(BIN)/python -m pytest $(PYTEST_ARGS)

.PHONY: lint
lint: $(STAMP) ## Check style with ruff (lint and format).
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

.PHONY: format
format: $(STAMP) ## Format and auto-fix with ruff.
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

.PHONY: typecheck
typecheck: $(STAMP) ## Type-check the pure core with mypy --strict.
	$(BIN)/mypy

.PHONY: validate
validate: $(STAMP) ## Validate the shipped framework data.
	$(BIN)/ungpkit framework validate

.PHONY: bench
bench: $(STAMP) ## Run the benchmarks (prints ratios against in-run baselines).
	$(BIN)/python -m benchmarks

.PHONY: messages
messages: $(STAMP) ## Extract and compile interface translations.
	cd src/ungpkit/web && ../../../$(BIN)/ungpkit manage makemessages -l fr -l es -l ko
	$(BIN)/python -m ungpkit.web.i18n_compile

.PHONY: constraints
constraints: ## Regenerate constraints.txt from a fresh environment.
	rm -rf /tmp/ungpkit-constraints && $(PYTHON) -m venv /tmp/ungpkit-constraints
	/tmp/ungpkit-constraints/bin/pip install --quiet -e '.[dev,production]'
	{ head -2 constraints.txt; /tmp/ungpkit-constraints/bin/pip freeze --exclude-editable; } > constraints.new
	mv constraints.new constraints.txt

.PHONY: clean
clean: ## Remove the virtual environment, caches and the demo database.
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
