# Two commands for a new machine (README):
#   make run    set up, create the SQLite database with demo data, start at http://127.0.0.1:5000
#   make test   set up, lint (ruff), then run the whole suite on SQLite and, if reachable, PostgreSQL
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint setup setup-dev browser bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

setup: $(VENV)/.runtime

setup-dev: $(VENV)/.dev browser

# Browser tests drive Debian's Chromium and the premium calculator's JS is checked in Node. As
# root, Debian's packages are installed when missing; elsewhere Playwright's own download is the
# browser's fallback. Tests whose tool is still missing are skipped, but fail when CI is set.
browser:
	@need=""; \
	[ -x /usr/bin/chromium ] || need="$$need chromium fonts-noto-core"; \
	command -v node >/dev/null || need="$$need nodejs"; \
	if [ -z "$$need" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null) \
	  || echo "could not install$$need; their tests will be skipped (and fail in CI)"; \
	else \
	  command -v node >/dev/null || echo "no node (apt-get install nodejs); its tests will be skipped"; \
	  [ -x /usr/bin/chromium ] || $(BIN)/python -m playwright install chromium \
	  || echo "no browser; browser tests will be skipped"; \
	fi

run: setup
	$(BIN)/flask --app app init-db
	$(BIN)/flask --app app seed-demo --if-empty
	@echo "fieldapp is starting at http://$(HOST):$(PORT)/  (sign in as supervisor / demo)"
	$(BIN)/flask --app app run --host $(HOST) --port $(PORT)

# Lint first (seconds), then the suite on SQLite and, if reachable, on PostgreSQL.
test: setup-dev lint
	$(BIN)/python tests/run_all.py

lint: setup-dev
	$(BIN)/ruff check .

bench: setup-dev
	$(BIN)/python -m bench.push
	$(BIN)/python -m bench.pull
	$(BIN)/python -m bench.app_shell
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.peers
	$(BIN)/python -m bench.load --db postgres --devices 500 --rush 60

clean:
	rm -rf $(VENV) instance .pytest_cache
