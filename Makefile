# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test chromium postgresql nginx biome lint format bench loadtest clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Stamp files re-run pip only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -e .
	touch $@

# The bench extra (torch, ~20 s from the local wheel) lets the PyTorch export's test run.
$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,bench]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Debian's Chromium drives the browser tests (Playwright's own download is blocked here).
chromium:
	@test -x /usr/bin/chromium || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# Debian's PostgreSQL: the store tests start a throwaway server of it (initdb in a temp folder).
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql; }

# Debian's nginx: tests/test_deploy.py runs deploy/nginx.conf in front of the app.
nginx:
	@test -x /usr/sbin/nginx || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx-light; }

# Biome (pinned in package.json) lints and formats the page's JavaScript; npm ci installs it.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

biome: node_modules/.installed

run: install
	$(PY) -m app --host $(HOST) --port $(PORT)

test: install-test chromium postgresql nginx biome
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	node_modules/.bin/biome check static/js
	$(PY) -m pytest

lint:
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .
	node_modules/.bin/biome check --write static/js

bench: install
	$(PY) bench/run_all.py

$(VENV)/.installed-bench: pyproject.toml | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[bench]'
	touch $@

# Learners simulated by locust against `python -m app --workers 2 --shared` on loopback, with
# SQLite and with a throwaway PostgreSQL; a few minutes at most (bench/loadtest.py).
loadtest: $(VENV)/.installed-bench postgresql
	$(PY) bench/loadtest.py

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache .mypy_cache .hypothesis test-results
