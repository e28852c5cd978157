# Joined-Up: `make run` serves the app, `make test` runs every test.
# Each target installs what it needs first, so a fresh clone needs nothing else.
VENV ?= .venv
PYTHON_BIN ?= python3
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
PORT ?= 5000
BUILD := assessment/static/build
GOVUK := node_modules/govuk-frontend/dist/govuk

.PHONY: run test install assets lint check serve clean translations

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BUILD)/app.css: node_modules/.installed assessment/static/src/app.scss
	mkdir -p $(BUILD)/assets
	npx sass --pkg-importer=node --style=compressed --no-source-map assessment/static/src/app.scss $(BUILD)/app.css
	cp $(GOVUK)/govuk-frontend.min.js $(BUILD)/
	cp assessment/static/src/*.js $(BUILD)/
	cp -r $(GOVUK)/assets/images $(BUILD)/assets/

assessment/translations/cy/LC_MESSAGES/messages.mo: $(VENV)/.installed assessment/translations/cy/LC_MESSAGES/messages.po
	$(VENV)/bin/pybabel compile --use-fuzzy -d assessment/translations

install: $(VENV)/.installed assets assessment/translations/cy/LC_MESSAGES/messages.mo
assets: $(BUILD)/app.css

run: install
	$(FLASK) init-db
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest

# Extract interface text for translation; then edit the Welsh catalogue.
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o assessment/translations/messages.pot .
	$(VENV)/bin/pybabel update -i assessment/translations/messages.pot -d assessment/translations

clean:
	rm -rf $(BUILD) $(VENV) node_modules
