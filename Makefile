# The two commands: `make run` and `make test`. Everything else here serves them.
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

# The first Python 3.12+ on PATH (pyenv shims included); Django 6 needs it.
FIND_PYTHON = for candidate in python3.13 python3.12 python3 python; do \
	if command -v $$candidate >/dev/null 2>&1 && \
	   $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	   echo $$candidate; break; fi; done

.PHONY: run test lint serve database demo install install-dev benchmark bench bench-quick profile faults clean test-under-load backup restore multinode messages translations

$(PY):
	@python=$$($(FIND_PYTHON)); \
	if [ -z "$$python" ]; then \
	  echo "Newsroom needs Python 3.12 or newer and found none on PATH (install python3.12, or 'pyenv install 3.12')." >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$($$python --version)"; \
	$$python -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(PY) requirements.txt
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

database: install
	@$(PY) -m newsroom.dbsetup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: database
	$(PY) manage.py seed_demo

# The interface in every language of ARTICLE_LANGUAGES: the .po files are kept in the repo,
# the .mo files are compiled from them here (GNU gettext's msgfmt; Debian's `gettext`).
translations: install
	@command -v msgfmt >/dev/null 2>&1 || { echo "Compiling translations needs GNU gettext (apt-get install gettext, brew install gettext)." >&2; exit 1; }
	$(PY) manage.py compilemessages --ignore='.venv/*' --ignore='staticfiles/*' --verbosity 0

# After changing interface strings: find them all again and update each language's .po.
MESSAGE_LANGUAGES ?= ur
messages: install
	$(PY) manage.py makemessages $(foreach lang,$(MESSAGE_LANGUAGES),--locale $(lang)) \
	  --ignore='.venv/*' --ignore='staticfiles/*' --ignore='media/*' --ignore='tests/*' \
	  --ignore='benchmarks/*' --no-obsolete --add-location file

run: demo translations
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Newsroom is at http://$(HOST):$(PORT)/ (admin at /admin/). Ctrl-C stops it."
	@# The task worker makes image renditions in the background; it stops with gunicorn.
	@$(PY) manage.py db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn newsroom.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint translations
	@$(PY) -m newsroom.dbsetup
	$(PY) manage.py makemigrations --check --dry-run
	@# A fresh test database every time: it proves the migrations build one from nothing.
	$(VENV)/bin/pytest --create-db $(PYTEST_ARGS)

# The suite RUNS times in a row while a CPU-bound job takes one core: flaky tests show here.
RUNS ?= 5
test-under-load: install-dev
	@$(PY) -m newsroom.dbsetup
	@$(PY) -c 'while True: pass' & hog=$$!; \
	trap 'kill $$hog 2>/dev/null' EXIT INT TERM; \
	for run in $$(seq 1 $(RUNS)); do \
	  echo "== run $$run of $(RUNS), one core busy"; \
	  $(VENV)/bin/pytest -q --create-db $(PYTEST_ARGS) || exit 1; \
	done

# Fault drills on loopback: restarts this machine's PostgreSQL and a Redis of its own
# during load (never run beside other people's tests). The fast cases are in `make test`.
faults: install-dev
	$(PY) scripts/faults.py

# The reference deployment on loopback (README: "Reference deployment"): PostgreSQL primary
# and streaming replica, Redis, moto's S3 server, a task worker, two gunicorn servers and
# Varnish, each started and stopped by the test. Debian's packages come first if missing.
MULTINODE_PACKAGES = $$(command -v varnishd >/dev/null 2>&1 || echo varnish) \
	$$(ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1 || echo varnish-modules) \
	$$(command -v redis-server >/dev/null 2>&1 || echo redis-server) \
	$$(ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || echo postgresql)
multinode: install-dev
	@missing="$(MULTINODE_PACKAGES)"; missing=$$(echo $$missing); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian's $$missing for the multi-node test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	$(VENV)/bin/pytest tests/multinode -m multinode $(PYTEST_ARGS)

benchmark: install-dev
	@for script in benchmarks/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# Pages over HTTP under load (gunicorn + wrk), as ratios to a constant view: see README.
bench: install-dev
	$(PY) benchmarks/pages_http.py $(BENCH_ARGS)

bench-quick: install-dev
	$(PY) benchmarks/pages_http.py --quick

# Each public page rendered in-process with the page cache off: CPU time and where it goes.
profile: install-dev
	$(PY) benchmarks/profile_pages.py

# The database (pg_dump, one snapshot) and every stored file, into backups/newsroom-<UTC time>
# (BACKUP_ROOT moves it). `make restore BACKUP=backups/newsroom-...` brings one back into an
# empty database (created if missing) and empty storage; it refuses anything else.
backup: install
	$(PY) manage.py backup

restore: install
	@if [ -z "$(BACKUP)" ]; then echo "Name the backup folder: make restore BACKUP=backups/newsroom-..." >&2; exit 2; fi
	@$(PY) -m newsroom.dbsetup
	$(PY) manage.py restore "$(BACKUP)"

# Lighthouse's four scores for the demo's reader pages (slow, so not part of `make test`):
# the npm package is installed under .lighthouse/ (git ignores it) and drives Debian's
# chromium. LIGHTHOUSE_ARGS=--desktop for the desktop preset.
LIGHTHOUSE_VERSION := 12.8.2
lighthouse: demo
	@if [ "$$(.lighthouse/node_modules/.bin/lighthouse --version 2>/dev/null)" != "$(LIGHTHOUSE_VERSION)" ]; then \
	  npm install --prefix .lighthouse --no-audit --no-fund --silent lighthouse@$(LIGHTHOUSE_VERSION); fi
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) scripts/lighthouse.py $(LIGHTHOUSE_ARGS)

clean:
	rm -rf $(VENV) staticfiles .lighthouse
