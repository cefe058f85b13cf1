# Linli: `make demo` sets up and runs the demo; `make test` runs the tests. Nothing needs installing by hand:
# uv comes from PyPI into .tools/ if the machine lacks it, Python packages from uv.lock, front-end from npm.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
UV_DEP := $(if $(shell command -v uv 2>/dev/null),,$(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --frozen
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: install demo serve test test-e2e test-postgres lint bench bench-tiny clean

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock $(UV_DEP)
	$(UV) sync --frozen
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: .venv/.synced node_modules/.installed

# `linli demo` migrates the database first, seeds it once and prints the demo logins, then the server starts.
demo: install
	$(RUN) python manage.py demo
	@echo "邻里演示系统：http://127.0.0.1:$(PORT)/ （按 Ctrl+C 停止）"
	$(RUN) python manage.py runserver 127.0.0.1:$(PORT) --noreload

test: install
	$(RUN) pytest -m "not e2e" -n $(PYTEST_WORKERS)

test-e2e: install
	LINLI_TEST_E2E=1 $(RUN) pytest -m e2e -p no:xdist

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) python manage.py makemigrations --check --dry-run

# The benchmark (docs/performance.md): seeds a dedicated database per size (SQLite under var/bench/, or
# <name>_bench_<size> beside a PostgreSQL DATABASE_URL), times every page, the ledger, the import and an
# HTTP load against their floors, and prints one table. bench-tiny only checks that it works (CI).
bench: install
	$(RUN) python -m linli.manage bench all --sizes tenth,district

bench-tiny: install
	$(RUN) python -m linli.manage bench all --sizes tiny --quick

clean:
	rm -rf .venv .tools node_modules var
