"""One settings module for every environment, read from the environment.

Defaults are safe for a laptop (SQLite, files instead of servers). With
DJANGO_ENV=production every secret must come from the environment and the
security settings that `manage.py check --deploy` asks for are switched on.
"""

import datetime as dt
import subprocess
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
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from our own static files (never a CDN)
    # The project's apps, lower to higher: each may import those above it in this list, never below.
    "common",
    "accounts",
    "lessons",
    "progress",
    "timers",
    "groups",
    "events",
    "review",
    "notifications",
    "integrations",
    "api",
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
    # A refused query parameter is our 400 page even under DEBUG (Django's would be its technical page).
    "scholarship.middleware.RefusedQueryPageMiddleware",
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
                "timers.context_processors.running_timer",
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
    # SQLite has no covering indexes: it builds the index without its INCLUDE columns, which only PostgreSQL
    # (production) reads. Its warning (models.W040) said so on every `make run`, about nothing to act on.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
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


def _git_revision() -> str:
    """The commit checked out, when RELEASE is not set; empty outside a git checkout."""
    try:
        done = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


REDIS_URL = env.str("REDIS_URL", default="")
# Every entry of the shared cache is named under the release, so a deploy never reads what the release before
# it stored (common.cache_keys). The throttles' counters are not: a deploy must not reset them.
RELEASE = env.str("RELEASE", default="") or _git_revision() or "unreleased"
CACHE_KEY_PREFIX = f"release-{RELEASE}"
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
    # the shared cache an error is a miss (django-redis IGNORE_EXCEPTIONS). The throttles' counters raise
    # instead, so each throttle decides itself whether to refuse or allow (accounts.throttling).
    _redis_options = {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
    CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_CACHE_URL, "KEY_PREFIX": CACHE_KEY_PREFIX,
                    "OPTIONS": {**_redis_options, "IGNORE_EXCEPTIONS": True}},
        "throttle": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_CACHE_URL, "OPTIONS": _redis_options},
    }
else:
    # Embedded default: kombu's filesystem transport needs no server, yet a
    # real worker and beat consume from it, so `make run` runs the jobs.
    CELERY_BROKER_URL = "filesystem://localhost//"  # the host part is unused; naming it silences a warning
    for folder in ("queue", "processed", "control"):
        (CELERY_DATA_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        # Its broadcast files (kombu's default is ./control, which landed in git once): under var/ with the rest.
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": CACHE_KEY_PREFIX},
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
    }
# Sessions live in the database only: no cache failure, flush or stale copy can sign anyone out or bring back a
# session that was deleted (a log-out).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
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

# --- The JSON API (api/, Django REST Framework) -----------------------------
# Requests each personal access token may make (and each signed-in person on the API, and each address before
# signing in): DRF's rate, "number/second|minute|hour|day". The counters live in the "throttle" cache.
API_RATE_PER_TOKEN = env.str("API_RATE_PER_TOKEN", default="120/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # the site's own pages; enforces CSRF
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "api.permissions.TokenScopeAllows"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": API_RATE_PER_TOKEN},
    "DEFAULT_SCHEMA_CLASS": "api.schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Scholarship Tracker API",
    "DESCRIPTION": "Study logs, lessons, plan, status, events and groups of the signed-in student; the cohort's students "
                   "for staff. Authenticate with a personal access token from your profile: `Authorization: Bearer <token>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

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


def _served_url(path: Path) -> str:
    """The address the last `make run` or `make web` served on (they write it to VAR_DIR/site_url); empty if none."""
    try:
        url = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return url if url.startswith(("http://", "https://")) and len(url.split()) == 1 else ""


# Where links in emails point (a background job or a command has no request to read the host from), in order:
# SITE_URL; outside production, the address `make run` or `make web` last served on, so a worker or a command
# started in another terminal (send_weekly_digests, import_students) links to the site that runs; else HOST:PORT.
# The commands that send email print the address and SITE_URL_ORIGIN.
_site_url_file = VAR_DIR / "site_url"
if env.str("SITE_URL", default=""):
    SITE_URL, SITE_URL_ORIGIN = env.str("SITE_URL"), "from SITE_URL"
elif not PRODUCTION and (_served := _served_url(_site_url_file)):
    SITE_URL, SITE_URL_ORIGIN = _served, f"where make last served the site, read from {_site_url_file}; set SITE_URL to change it"
else:
    SITE_URL = f"http://{env.str('HOST', default='127.0.0.1')}:{env.str('PORT', default='8000')}"
    SITE_URL_ORIGIN = "from HOST and PORT; set SITE_URL to change it"
SITE_URL = SITE_URL.rstrip("/")
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
