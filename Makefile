# PTSP front office bot. `make run` starts it, `make test` proves it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8080
# Debian packages the test suite uses (PostgreSQL server binaries; Chromium and its
# driver for the sandbox browser test; poppler-utils to render the printed reports).
SYSDEPS ?= postgresql chromium chromium-driver poppler-utils
HOST ?= 127.0.0.1
# pytest-xdist workers for `make test` (one per core of the 2-core machine)
TEST_WORKERS ?= 2

.PHONY: run test lint sysdeps install install-dev migrate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -qq -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install -qq -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/ptsp db upgrade

run: migrate
	PTSP_PUBLIC_URL=$${PTSP_PUBLIC_URL:-http://$(HOST):$(PORT)} \
		$(BIN)/ptsp serve --host $(HOST) --port $(PORT)

# Debian packages the tests need. Idempotent; only acts when run as root.
sysdeps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		missing=""; \
		for p in $(SYSDEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
		if [ -n "$$missing" ]; then \
			echo "installing:$$missing"; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null 2>&1 || \
			(apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null) || \
			echo "sysdeps: could not install$$missing (browser tests will skip)"; \
		fi; \
	else echo "sysdeps: not root, skipping Debian packages"; fi

test: install-dev
	@if [ "$$(id -u)" = "0" ]; then $(MAKE) --no-print-directory sysdeps; fi
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

# ruff over the whole tree (rules in pyproject.toml); CI runs it before the tests
lint: install-dev
	$(BIN)/ruff check .

bench: install-dev
	$(BIN)/python benchmarks/queue_bench.py
	$(BIN)/python benchmarks/nlu_bench.py
	$(BIN)/python benchmarks/whatsapp_latency.py

clean:
	rm -rf $(VENV) var .pytest_cache
