# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
DATA_DIR ?= $(or $(TAWSIYA_DATA_DIR),../shared/data)
DEV_SET := $(DATA_DIR)/upr-info-2018/upr_info_2018_dev.csv

.PHONY: install run test lint import-dev serve clean e2e-deps

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# the CPU build of torch, pinned: an unpinned torch pulls a multi-GB CUDA build
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Import the UPR Info dev set into the default store (skips what is already stored), then serve the API.
run: install import-dev serve

import-dev: install
	$(VENV)/bin/tawsiya import --format upr-info $(DEV_SET)

serve: install
	$(VENV)/bin/tawsiya serve --host 127.0.0.1 --port 8000

## Headless Chromium for the web workspace's end-to-end tests: Debian's package, installed when missing.
CHROMIUM ?= /usr/bin/chromium
e2e-deps:
	@test -x $(CHROMIUM) || { SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

test: install e2e-deps
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check nlp service corpora training evaluation tests

clean:
	rm -rf $(VENV) .pytest_cache
