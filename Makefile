# Two commands for a fresh machine: `make run` serves the site, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
WEB_CONCURRENCY ?= 3
# `make run` serves the site as production does, debug off (so a missing page is the site's own
# 404, never Django's list of every address), made for this machine: plain http, mail written
# to files under var/mail, demo staff accounts without two-factor sign-in, a secret key made
# once and kept in var/, and links (emails, canonical, sitemap, feeds) on the address it serves.
# Each can be overridden from the environment (DJANGO_DEBUG=1 for Django's debug pages). The
# development tools are installed only to load the demo content, so the site serves without them.
RUN_VAR := $${DJANGO_VAR_DIR:-var}
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-0} \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat "$(RUN_VAR)/secret-key")} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-$(HOST),localhost,127.0.0.1} \
	DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-0} \
	DJANGO_SECURE_COOKIES=$${DJANGO_SECURE_COOKIES:-0} \
	DJANGO_SECURE_HSTS_SECONDS=$${DJANGO_SECURE_HSTS_SECONDS:-0} \
	ADMIN_REQUIRE_2FA=$${ADMIN_REQUIRE_2FA:-0} \
	EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend} \
	DJANGO_LOG_FORMAT=$${DJANGO_LOG_FORMAT:-text} \
	DJANGO_DEMO_ACCOUNTS=$${DJANGO_DEMO_ACCOUNTS:-1} \
	DJANGO_SITE_URL=$${DJANGO_SITE_URL:-http://$(HOST):$(PORT)}

.DEFAULT_GOAL := help
.PHONY: help install run test lint format check superuser bench audit backup restore prod-smoke

help:
	@echo "make run        set everything up and serve the site on http://$(HOST):$(PORT)/"
	@echo "make test       set up and run the whole test suite"
	@echo "make install    create $(VENV) and install the project (both of the above do this)"
	@echo "make lint       ruff, the package layers (import contracts) and a dependency audit"
	@echo "make format     apply ruff's fixes and formatting"
	@echo "make check      Django system checks and a check for missing migrations"
	@echo "make superuser  create a staff superuser interactively"
	@echo "make bench      serve the site as in production and print a speed table"
	@echo "make audit      Lighthouse (mobile) on the main pages, failing below the budgets"
	@echo "make backup     back up the database and every upload (BACKUP_DIR, see README)"
	@echo "make restore BACKUP=<folder>  restore a backup (asks first)"
	@echo "make prod-smoke the production topology on this machine: 2 web, 2 workers, PostgreSQL, Redis"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	@mkdir -p "$(RUN_VAR)"
	@test -s "$(RUN_VAR)/secret-key" || (umask 077; $(BIN)/python -c \
		'import secrets; print(secrets.token_urlsafe(50))' > "$(RUN_VAR)/secret-key")
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) DJANGO_DEVTOOLS=1 $(BIN)/python manage.py seed_demo
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving Restoration U on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	@# The email worker runs beside the web server and stops with it.
	@$(RUN_ENV) $(BIN)/python manage.py notification_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(RUN_ENV) GUNICORN_BIND=$(HOST):$(PORT) WEB_CONCURRENCY=$(WEB_CONCURRENCY) \
		$(BIN)/gunicorn restoration_site.wsgi -c deploy/gunicorn.conf.py

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DJANGO_DEBUG=1 $(BIN)/python manage.py audit_dependencies

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py check --database default
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

superuser: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py createsuperuser

bench: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py bench $(BENCH_ARGS)

audit: install
	cd .ci/lighthouse && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	DJANGO_DEBUG=1 $(BIN)/python manage.py audit_pages

# Backups use the environment as it is: on a server, load the site's environment file first.
backup: install
	$(BIN)/python manage.py backup_site $(BACKUP_ARGS)

restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=<backup folder>"; exit 2; }
	$(BIN)/python manage.py restore_site "$(BACKUP)"

# Needs PostgreSQL and Redis (PROD_SMOKE_POSTGRES, PROD_SMOKE_REDIS); the test process itself
# runs on the embedded defaults, the site's processes get their own environment.
prod-smoke: install
	env -u DATABASE_URL -u REDIS_URL PROD_SMOKE=1 $(BIN)/pytest tests/topology -v $(PYTEST_ARGS)
