"""One settings module for every environment, read from the environment.

Defaults are safe for a laptop (SQLite, files instead of servers). With
DJANGO_ENV=production every secret must come from the environment and the
security settings that `manage.py check --deploy` asks for are switched on.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")
# The embedded defaults' files: the SQLite database, the folder broker, mail, the beat's schedule.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    # No default: a production server without its own key must not start.
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-3f0c9b1e7a2d4c58b6e1")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])

DEBUG = env.bool("DEBUG", default=not PRODUCTION)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    # The project's apps, lower to higher: each may import those above it in this list, never below.
    "common",
    "accounts",
    "lessons",
    "progress",
    "groups",
    "events",
    "review",
    "notifications",
    "integrations",
    "devdata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app itself in every profile, so `make web` (gunicorn) has its CSS too.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "common.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "scholarship.urls"
WSGI_APPLICATION = "scholarship.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "scholarship.context_processors.menu",
            ],
            "builtins": ["common.templatetags.site"],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default must work on a fresh clone
    # IMMEDIATE makes every atomic block take the write lock up front, so two
    # requests checking the 24 h rule for one student can not both pass.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache ---------------------------------------
def _neighbour_database(url: str) -> str:
    """The same Redis server, the next database number (the one before, for the last of the sixteen)."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{number + 1 if number < 15 else number - 1}"))


REDIS_URL = env.str("REDIS_URL", default="")
# Each process's own memory, for small drawings keyed by everything they show, so never stale (the menu's links,
# the cohort filter's group options): reading one costs no round trip, and a new deploy starts new processes.
_LOCAL_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"}
CELERY_DATA_DIR = VAR_DIR / "celery"
# How long staff's cohort charts (funnel, hours per day, histogram) may be reused.
COHORT_CHARTS_CACHE_SECONDS = env.int("COHORT_CHARTS_CACHE_SECONDS", default=300)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A task taken by a worker that died is handed to another after this long (acks_late). It must exceed
    # the longest task (time limits below), or a slow live task is delivered twice (the ledger still
    # keeps that from sending twice).
    # Workers sweep for such tasks every 10 s × CELERY_RESTORE_THROTTLE (kombu's default: 10). A sweep holds a
    # lock in Redis; a worker killed while holding it stops every sweep until the lock expires
    # (CELERY_RESTORE_MUTEX_EXPIRE, kombu's default: 300 s).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        "unacked_restore_throttle": env.int("CELERY_RESTORE_THROTTLE", default=10),
        "unacked_mutex_expire": env.int("CELERY_RESTORE_MUTEX_EXPIRE", default=300),
    }
    # The cache lives in a Redis database of its own, so flushing it never touches the broker's queues.
    REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default=_neighbour_database(REDIS_URL))
    # Redis down must cost the pages nothing but speed: each call gives up within half a second, and for
    # the page cache an error is a miss (django-redis IGNORE_EXCEPTIONS). The throttles' counters raise
    # instead, so each throttle decides itself whether to refuse or allow (accounts.throttling).
    _redis_options = {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
    CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_CACHE_URL,
                    "OPTIONS": {**_redis_options, "IGNORE_EXCEPTIONS": True}},
        "throttle": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_CACHE_URL, "OPTIONS": _redis_options},
        "local": _LOCAL_CACHE,
    }
else:
    # Embedded default: kombu's filesystem transport needs no server, yet a
    # real worker and beat consume from it, so `make run` runs the jobs.
    CELERY_BROKER_URL = "filesystem://localhost//"  # the host part is unused; naming it silences a warning
    for folder in ("queue", "processed"):
        (CELERY_DATA_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "store_processed": False,
    }
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
        "local": _LOCAL_CACHE,
    }
# Sessions live in PostgreSQL, read through the cache (Django's write-through cached_db): a request reads its
# session from Redis, and a Redis restart or outage signs nobody out, as every session is still in PostgreSQL.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# How long a chunk of reminders or digests stays claimed by the worker sending it. A claim outlives
# the chunk task's time limit (150 s), so two live workers never send the same row; after a worker dies
# its rows are taken over once the claim has run out.
NOTIFICATION_CLAIM_LEASE_SECONDS = env.int("NOTIFICATION_CLAIM_LEASE_SECONDS", default=300)
# How long a dispatched row waits for its chunk task (lost if the broker restarts) before it is handed out
# again; and how often the beat looks for such rows. Together: a lost chunk goes out within ten minutes.
NOTIFICATION_DISPATCH_LEASE_SECONDS = env.int("NOTIFICATION_DISPATCH_LEASE_SECONDS", default=300)
NOTIFICATION_CATCH_UP_SECONDS = env.int("NOTIFICATION_CATCH_UP_SECONDS", default=300)
# A row still unsent this long after its first dispatch is given up and shown to staff as expired.
NOTIFICATION_EXPIRE_HOURS = env.int("NOTIFICATION_EXPIRE_HOURS", default=24)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Accounts -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# django-axes refuses logins after repeated failures, by account or by address, before checking the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.throttling.login_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Every throttle (axes, password resets, sign-ups) keys on accounts.throttling.client_ip: behind
# PROXY_COUNT proxies it reads X-Forwarded-For with django-ipware, from connections out of the trusted networks.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
PROXY_TRUSTED_NETWORKS = env.list(
    "PROXY_TRUSTED_NETWORKS", default=["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"]
)
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
AXES_VERBOSE = False
PASSWORD_RESET_LIMIT_PER_HOUR = env.int("PASSWORD_RESET_LIMIT_PER_HOUR", default=5)
SIGN_UP_LIMIT_PER_HOUR = env.int("SIGN_UP_LIMIT_PER_HOUR", default=20)

# --- Chat workspace (Slack) -------------------------------------------------
# The Slack app's signing secret (Basic Information > App Credentials). Empty: every slash command is refused (401).
SLACK_SIGNING_SECRET = env.str("SLACK_SIGNING_SECRET", default="")
SLACK_COMMANDS_PER_MINUTE = env.int("SLACK_COMMANDS_PER_MINUTE", default=20)  # per Slack user
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"  # which sends students to their dashboard and staff to the cohort
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# --- Email ----------------------------------------------------------------
# Default: every message is written as a file under var/mail/ so a newcomer
# can read what the site sent without a mail server.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "common.mail.OneFilePerMessageBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
# Where links in emails sent by background jobs point (a job has no request to read the host from):
# by default the address `make run` serves on, HOST and PORT.
SITE_URL = env.str("SITE_URL", default=f"http://{env.str('HOST', default='127.0.0.1')}:{env.str('PORT', default='8000')}").rstrip("/")
if env.str("EMAIL_BACKEND", default=""):
    # Benchmarks and special setups name a backend class outright.
    EMAIL_BACKEND = env.str("EMAIL_BACKEND")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Scholarship Tracker <noreply@scholarship.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- I18N / time ----------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
# The site is in English only: without the translation machinery, Django skips its per-call language look-ups
# (Django's own advice for a site that does not translate; dates and numbers keep the en-gb formats).
USE_I18N = False
USE_TZ = True

# --- Static ---------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------
# No inline script anywhere (JS lives in static/js); inline styles only for the email preview's HTML.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# In production whitenoise serves the collected, hashed files; elsewhere straight from static/, as they change.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "one_line_for_client_errors": {"()": "common.logs.OneLineForClientErrors"},
        "one_line_for_database_outages": {"()": "common.logs.OneLineForDatabaseOutages"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["one_line_for_client_errors", "one_line_for_database_outages"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own records go to the same handler once (its default config would print them a second time).
    "loggers": {"django": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO"), "propagate": False}},
}
