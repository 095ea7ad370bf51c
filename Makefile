# Palimpsest: `make demo` and `make test` work on a fresh machine (Python 3.11+, make).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: demo test install install-dev lock lock-upgrade browser postgres lint typecheck bench schedule pywb

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Dependencies come from the lock (exact versions, hashes checked); then the project itself.
# After changing dependencies in pyproject.toml: `make lock` (README, "Dependencies").
install: $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@$(COMPILE)

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@$(COMPILE)

# The project's own bytecode, as pip writes it for the packages it installs: with an editable
# install Python writes it on first import, except where PYTHONDONTWRITEBYTECODE is set, and
# then every process (the CLI, each extraction worker) compiles ~150 modules again.
COMPILE := $(BIN)/python -c 'import compileall, pathlib, tomllib; \
  dirs = tomllib.load(open("pyproject.toml", "rb"))["tool"]["setuptools"]["package-dir"]; \
  ok = [compileall.compile_dir(pathlib.Path(d).resolve(), quiet=1) for d in set(dirs.values())]; \
  raise SystemExit(not all(ok))'

# Re-lock: keeps every pin that still fits pyproject.toml (lock-upgrade: newest of all), for
# Linux, macOS and Windows, Python 3.11 and later.
UV_VERSION := 0.13.9
LOCK := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --quiet
lock lock-upgrade: $(BIN)/python
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(LOCK) $(if $(filter lock-upgrade,$@),--upgrade) -o requirements.txt
	$(LOCK) $(if $(filter lock-upgrade,$@),--upgrade) --extra dev -o requirements-dev.txt

# The HTML report test uses a real headless Chromium (Debian's package).
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { echo "installing chromium for the browser test"; \
	    (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
	    echo "could not install chromium: the browser test will be skipped"; }

# The catalog tests also run against a real PostgreSQL server, and the flow tests' Prefect
# API keeps its database there (Debian's package; the tests initdb into a temporary
# directory and start it on 127.0.0.1: tests/postgres.py).
postgres:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1 || \
	  { echo "installing postgresql for the catalog tests"; \
	    (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) || \
	    echo "could not install postgresql: the PostgreSQL catalog tests will be skipped"; }

# The WACZ export test replays in pywb, whose pins clash with the project's: its own venv
# (tests/storage/pywb.py makes the same one if it is missing; keep PYWB_VERSION in step).
PYWB_VERSION := 2.10.0
.venv-pywb/bin/wayback:
	$(PYTHON) -m venv .venv-pywb
	.venv-pywb/bin/pip install --quiet pywb==$(PYWB_VERSION)
pywb: .venv-pywb/bin/wayback

demo: install
	PREFECT_HOME=$(CURDIR)/.prefect-demo $(BIN)/python -m palimpsest.demo

test: install-dev browser postgres pywb
	$(BIN)/ruff check .
	$(MAKE) --no-print-directory typecheck
	$(BIN)/python -m pytest

# mypy over the package as it is installed. pyproject's package-dir puts the stage folders
# under palimpsest.*, which mypy cannot map, so it reads build/typed: links laid out so.
TYPED := build/typed
typecheck:
	@rm -rf $(TYPED) && $(BIN)/python -c 'import pathlib, tomllib; \
	  dirs = tomllib.load(open("pyproject.toml", "rb"))["tool"]["setuptools"]["package-dir"]; \
	  root = pathlib.Path("$(TYPED)/palimpsest"); root.mkdir(parents=True); \
	  [(root / p.name).symlink_to(p.resolve()) for p in pathlib.Path("palimpsest").iterdir()]; \
	  [(root / n.split(".")[1]).symlink_to(pathlib.Path(d).resolve()) \
	   for n, d in dirs.items() if "." in n and pathlib.Path(d, "__init__.py").exists()]'
	cd $(TYPED) && $(CURDIR)/$(BIN)/mypy --config-file $(CURDIR)/pyproject.toml \
	  --cache-dir $(CURDIR)/.mypy_cache --python-executable $(CURDIR)/$(BIN)/python -p palimpsest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install-dev
	$(BIN)/python -m bench

# Scheduling, locally: a Prefect server on 127.0.0.1:$(SCHEDULE_PORT) (UI at that address), the
# `palimpsest` process work pool, every deployment of prefect.yaml, and a worker; Ctrl-C stops
# the worker, then the server (palimpsest/localschedule.py). Archives go to $$PALIMPSEST_STORE
# (default ./archive). Another port: `make schedule SCHEDULE_PORT=4300`.
PREFECT_LOCAL := $(CURDIR)/.prefect-local
SCHEDULE_PORT ?= 4200
schedule: install
	$(BIN)/python -m palimpsest.localschedule --port $(SCHEDULE_PORT) --home $(PREFECT_LOCAL)
