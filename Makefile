# Joined-Up: `make run` serves the app, `make test` runs every test.
# Each target installs what it needs first, so a fresh clone needs nothing else.
VENV ?= .venv
PYTHON_BIN ?= python3
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
PORT ?= 5000
BUILD := assessment/static/build
GOVUK := node_modules/govuk-frontend/dist/govuk

.PHONY: run test install assets lint check serve clean translations bench screenshots

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BUILD)/app.css: node_modules/.installed $(wildcard assessment/static/src/*)
	mkdir -p $(BUILD)/assets
	npx sass --pkg-importer=node --style=compressed --no-source-map assessment/static/src/app.scss $(BUILD)/app.css
	cp $(GOVUK)/govuk-frontend.min.js $(BUILD)/
	cp assessment/static/src/*.js $(BUILD)/
	cp -r $(GOVUK)/assets/images $(BUILD)/assets/
	mkdir -p $(BUILD)/swagger-ui
	cp $(addprefix node_modules/swagger-ui-dist/,swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE) $(BUILD)/swagger-ui/

assessment/translations/cy/LC_MESSAGES/messages.mo: $(VENV)/.installed assessment/translations/cy/LC_MESSAGES/messages.po
	$(VENV)/bin/pybabel compile --use-fuzzy -d assessment/translations

install: $(VENV)/.installed assets assessment/translations/cy/LC_MESSAGES/messages.mo
assets: $(BUILD)/app.css

# The background-job consumer (assessment/worker.py) runs beside the web server: big workbook
# exports and imports wait for it. with_consumer runs $(1) in the foreground with the consumer
# in the background; Ctrl-C (or the server stopping) stops both.
CONSUMER := $(VENV)/bin/huey_consumer assessment.worker.huey --workers 2 --max-delay 2
define with_consumer
trap 'kill $$consumer 2>/dev/null; wait $$consumer 2>/dev/null' EXIT INT TERM; \
$(CONSUMER) & consumer=$$!; \
$(1)
endef

run: install
	$(FLASK) init-db
	@$(call with_consumer,$(FLASK) run --host 127.0.0.1 --port $(PORT))

# Production-like: gunicorn with gunicorn.conf.py (2 workers x 4 threads, listening on PORT,
# access log on stdout) and the job consumer. In production run the two as separate services
# (README, "Deployment").
serve: install
	$(FLASK) init-db
	@$(call with_consumer,PORT=$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py)

test: install check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest -n 2 --dist loadgroup

# Security checks: bandit on our code ([tool.bandit] in pyproject.toml explains each skip), and
# pip-audit on the pinned requirements. pip-audit asks the package index's advisory service; a
# package it cannot look up is reported as not audited (said plainly, not failed), while a known
# vulnerability fails the check.
AUDIT_LOG := $(VENV)/pip-audit.log
check: $(VENV)/.installed
	$(VENV)/bin/bandit -q -c pyproject.toml -r assessment
	@status=0; $(VENV)/bin/pip-audit --progress-spinner off --no-deps --disable-pip \
	  -r requirements.txt -r requirements-dev.txt > $(AUDIT_LOG) 2>&1 || status=$$?; \
	if grep -q "known vulnerabilit" $(AUDIT_LOG) && ! grep -q "No known vulnerabilities" $(AUDIT_LOG); then \
	  cat $(AUDIT_LOG); exit 1; \
	elif grep -q "could not be audited" $(AUDIT_LOG); then \
	  echo "pip-audit: $$(grep -c 'could not be audited' $(AUDIT_LOG)) packages could not be audited:" \
	    "the advisory service did not answer from here. Run 'make check' where it does."; \
	elif [ $$status -ne 0 ]; then cat $(AUDIT_LOG); exit $$status; \
	else echo "pip-audit: no known vulnerabilities"; fi

# Benchmarks of issue #7 on SQLite and PostgreSQL (127.0.0.1:5432, or BENCH_DATABASE_URL), one
# table; see benchmarks/README.md.  The full workload takes several minutes: SCALE=0.1 for a quick run.
SCALE ?= 1
bench: $(VENV)/.installed
	$(PY) -m benchmarks --scale $(SCALE)

# The README's screenshots: the browser tests save theirs here instead of a temporary folder.
screenshots: install
	JOINED_UP_SCREENSHOTS=docs/screenshots $(PY) -m pytest -p no:cacheprovider tests/browser

# Extract interface text for translation; then edit the Welsh catalogue.
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o assessment/translations/messages.pot .
	$(VENV)/bin/pybabel update -i assessment/translations/messages.pot -d assessment/translations

clean:
	rm -rf $(BUILD) $(VENV) node_modules
