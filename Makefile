# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper (README: "Make targets").
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
DEMO_STUDENTS ?= 400
VAR_DIR ?= var
# Links in emails point at the site make serves. `make run` and `make web` write its address to $(VAR_DIR)/site_url,
# which the settings read when SITE_URL is not set, so a worker or a command started in another terminal links to
# the same site (the commands that send email print which address they use).
SERVED_URL = $(or $(SITE_URL),http://$(HOST):$(PORT))
# honcho gives each process a PORT of its own; the web server listens on WEB_PORT.
WEB_PORT := $(PORT)
export HOST PORT WEB_PORT
# Runs a server in the terminal's foreground: "Ready" once it answers, and one Ctrl-C stops it with exit 0 (make
# alone would end with Error 130 however cleanly the server stopped: scripts/foreground.py says why).
FOREGROUND = $(BIN)/python scripts/foreground.py

.PHONY: run test install install-dev web worker beat check-deploy bench load scale-out faults bench-cohort bench-digests clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Web server, Celery worker and Celery beat together (Procfile, run by honcho); one Ctrl-C stops all three.
# Without REDIS_URL the broker is kombu's filesystem transport under var/celery. `make run PORT=8101` moves it.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --students $(DEMO_STUDENTS)
	$(BIN)/python manage.py rebuild_rollups --missing
	@mkdir -p "$(VAR_DIR)" && echo "$(SERVED_URL)" > "$(VAR_DIR)/site_url"
	@echo "Starting the web server on $(HOST):$(PORT), a Celery worker and beat (one Ctrl-C stops all three)."
	@PATH="$(abspath $(BIN)):$$PATH" SITE_URL="$(SERVED_URL)" \
		exec $(FOREGROUND) --ready http://$(HOST):$(PORT)/ $(BIN)/honcho --procfile Procfile start

# The import contracts (.importlinter: apps depend one way) first, then the whole suite.
test: install-dev
	$(BIN)/lint-imports .importlinter
	$(BIN)/python -m pytest

# gunicorn as in production; whitenoise serves the static files in every profile.
# Each stops with one Ctrl-C and exit 0, as `make run` does.
web: install
	@mkdir -p "$(VAR_DIR)" && echo "$(SERVED_URL)" > "$(VAR_DIR)/site_url"
	@exec $(FOREGROUND) --ready http://$(HOST):$(PORT)/ $(BIN)/gunicorn scholarship.wsgi --bind $(HOST):$(PORT) --workers 2
worker: install
	@exec $(FOREGROUND) $(BIN)/celery -A scholarship worker --loglevel=INFO
beat: install
	@exec $(FOREGROUND) $(BIN)/celery -A scholarship beat --loglevel=INFO

check-deploy: install
	DJANGO_ENV=production SECRET_KEY=$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets;print(secrets.token_urlsafe(50))')} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-example.org} $(BIN)/python manage.py check --deploy --fail-level WARNING

# The whole product at 10,000 students through gunicorn (BENCH_PORT, 8765) and a Celery worker; needs DATABASE_URL
# and REDIS_URL.
bench: install-dev
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "Set DATABASE_URL=postgres://... and REDIS_URL=redis://..."; exit 2;; esac
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python bench/product.py

# The evening before the cut-off: 200 students and 5 staff with locust on loopback (after seed_bench); gunicorn on
# LOAD_PORT (8766).
load: install-dev
	$(BIN)/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	$(BIN)/python bench/load.py

# nginx balancing two gunicorn instances, two Celery workers and one beat on loopback: a student journey
# alternating between the web servers, and a digest with a worker SIGKILLed mid-way (seeds the bench
# cohort first if missing; STUDENTS sets its size). Needs DATABASE_URL and REDIS_URL. Ports: nginx SCALE_OUT_PORT
# (8800), gunicorn SCALE_OUT_WEB_PORT_1 and SCALE_OUT_WEB_PORT_2 (8801, 8802).
scale-out: install
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "Set DATABASE_URL=postgres://... and REDIS_URL=redis://..."; exit 2;; esac
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python bench/scale_out.py

# PostgreSQL and Redis restarted under a light load and during digests, on a cluster and a Redis server of its
# own: what students saw, how long until it recovered, no post or email lost. Ports: FAULTS_PG_PORT (55432),
# FAULTS_REDIS_PORT (56379), gunicorn FAULTS_WEB_PORT (8811).
faults: install
	$(BIN)/python bench/faults.py

# Staff cohort pages at 10,000 students; needs DATABASE_URL pointing at PostgreSQL.
bench-cohort: install
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "Set DATABASE_URL=postgres://... (the benchmark runs on PostgreSQL)"; exit 2;; esac
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_bench --students $${STUDENTS:-10000}
	$(BIN)/python bench/cohort_pages.py

# Weekly digest to the 10,000 bench students through a real worker; needs DATABASE_URL and REDIS_URL.
bench-digests: install
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "Set DATABASE_URL=postgres://... and REDIS_URL=redis://..."; exit 2;; esac
	$(BIN)/python bench/digests.py

clean:
	rm -rf $(VENV) var .pytest_cache
