# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install serve lint translations clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The local demo runs on plain HTTP, and its admin may skip the two-factor set-up that
# production requires of admins.
DEMO_ENV := GJESTEBUD_SECURE_COOKIES=0 GJESTEBUD_ADMIN_TOTP_REQUIRED=0 \
            GJESTEBUD_PUBLIC_BASE_URL=http://$(HOST):$(PORT)

## make run: install, migrate the embedded SQLite database, seed the demo and serve it
run: install
	$(DEMO_ENV) $(BIN)/gjestebud db upgrade
	$(DEMO_ENV) $(BIN)/gjestebud demo
	@echo "Serving on http://$(HOST):$(PORT) with a background worker  (Ctrl+C stops both)"
	$(DEMO_ENV) $(BIN)/gjestebud worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 4 \
	  --timeout 60 --graceful-timeout 30 --forwarded-allow-ips '' --access-logfile - \
	  'gjestebud:create_app()'

## make test: install with the test extra and run the whole suite
test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .

## make translations: extract texts and update the nb/nn/en catalogues, then compile them
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d translations

clean:
	rm -rf $(VENV) instance .pytest_cache
