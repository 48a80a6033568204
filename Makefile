# grantbot: `make demo` (local wiki + one run) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
WIKI_DIR ?= var/wiki
DEMO_CONFIG ?= var/demo.toml
GRANTBOT := $(VENV)/bin/grantbot
# Debian packages for the embedded MediaWiki (php8.2-cgi and micro-httpd keep
# apt from pulling in apache2), the venv module, and a local PostgreSQL and
# MariaDB (ToolsDB's engine) that the state tests start in temp dirs.
APT_PACKAGES := mediawiki php-cli php-sqlite3 php8.2-cgi micro-httpd python3-venv postgresql \
	mariadb-server mariadb-client
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system-packages test demo wiki-up wiki-down clean

setup: system-packages $(VENV)/.installed

# Idempotent: apt runs only when a package is missing.
system-packages:
	@missing=""; \
	for pkg in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	else echo "Debian packages: all present"; fi

# Reinstalled only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -e '.[test,mysql]'
	touch $@

# pytest exit 5 (no tests collected) is a failure like any other, and says so.
test: setup
	@$(VENV)/bin/pytest; code=$$?; \
	if [ $$code -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	exit $$code

wiki-up: setup
	$(GRANTBOT) wiki up --dir $(WIKI_DIR)

demo: wiki-up
	$(GRANTBOT) wiki seed --dir $(WIKI_DIR)
	$(GRANTBOT) wiki config --dir $(WIKI_DIR) --output $(DEMO_CONFIG)
	$(GRANTBOT) run --config $(DEMO_CONFIG)
	@$(GRANTBOT) status --config $(DEMO_CONFIG) --runs 1
	@echo
	@echo "Status page: $$($(GRANTBOT) wiki url --dir $(WIKI_DIR) 'User:GrantBot/Grant status')"
	@echo "Stop the wiki with: make wiki-down   (or: $(GRANTBOT) wiki down --dir $(WIKI_DIR))"

wiki-down:
	@if [ -x $(GRANTBOT) ]; then $(GRANTBOT) wiki down --dir $(WIKI_DIR); fi

# Removes the local wiki and generated files; keeps .venv and the wiki template cache.
clean: wiki-down
	rm -rf var .pytest_cache .hypothesis
	find . -path ./.venv -prune -o -name __pycache__ -type d -print0 | xargs -0 rm -rf
