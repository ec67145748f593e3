# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip --disable-pip-version-check

.PHONY: run test lint format check lock worker web browser-deps clean

run: $(VENV)/.base ## set up and run the app with a worker on the embedded default
	mkdir -p var
	./scripts/run

# Tests send their jobs to a queue of their own, so a worker left running by `make run` (or
# another test run on the same broker) never takes them.
test: $(VENV)/.dev browser-deps node_modules/.installed ## set up and run the whole test suite
	mkdir -p var
	CELERY_TASK_DEFAULT_QUEUE=factcheck-test-$$$$ $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: $(VENV)/.base ## a Celery worker alone (production: run beside `make web`)
	$(VENV)/bin/celery -A factcheck worker --loglevel=INFO

web: $(VENV)/.base ## the web server alone
	$(VENV)/bin/gunicorn factcheck.wsgi --config gunicorn.conf.py

lock: ## re-pin requirements/*.lock from pyproject.toml (needs network)
	$(PYTHON) -m venv /tmp/factcheck-uv && /tmp/factcheck-uv/bin/pip install -q uv
	/tmp/factcheck-uv/bin/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/base.lock
	/tmp/factcheck-uv/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/dev.lock

$(VENV)/.base: requirements/base.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --require-hashes -r requirements/base.lock
	touch $@

$(VENV)/.dev: requirements/dev.lock requirements/base.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --require-hashes -r requirements/dev.lock
	touch $@ $(VENV)/.base

# The browser tests load axe-core (pinned in package-lock.json) into the pages they check.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "The accessibility checks need npm: sudo apt-get install npm" >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "Browser tests need /usr/bin/chromium: sudo apt-get install chromium" >&2; exit 1; \
	  fi; }

clean:
	rm -rf $(VENV) var node_modules
