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
## (ACCESS_LOG=1 make run also prints every request)
run: install
	$(DEMO_ENV) $(BIN)/gjestebud db upgrade
	@demo="$$($(DEMO_ENV) $(BIN)/gjestebud demo)" || exit 1; \
	  $(DEMO_ENV) $(BIN)/gjestebud worker >>$(VENV)/worker.log 2>&1 & worker=$$!; \
	  $(DEMO_ENV) $(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 4 \
	    --timeout 60 --graceful-timeout 30 --forwarded-allow-ips '' --log-level warning \
	    $(if $(ACCESS_LOG),--access-logfile -,) 'gjestebud:create_app()' & web=$$!; \
	  trap 'kill $$worker $$web 2>/dev/null' EXIT INT TERM; \
	  for _ in $$(seq 1 120); do \
	    $(BIN)/python -c 'import urllib.request as r; r.urlopen("http://$(HOST):$(PORT)/healthz", timeout=2)' \
	      2>/dev/null && break; sleep 0.5; done; \
	  echo; echo "$$demo"; echo; \
	  echo "Gjestebud runs on http://$(HOST):$(PORT)  (Ctrl+C stops it; the worker logs to $(VENV)/worker.log)"; \
	  echo "What to try first:"; \
	  echo "  1. Open a Guests link above in a narrow window (or on your phone) and write a note."; \
	  echo "  2. Log in as staff with the e-mail and password above; open the demo campaign."; \
	  echo "  3. Analysis: run the analysis, look at the themes, rename or move one."; \
	  echo "  4. Open a Host link to see a host's page with the QR posters."; \
	  wait $$web

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
