"""Django settings for factcheck, read from the environment (see README, "Configuration")."""

import datetime as dt
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .env import (
    broker_from_env,
    database_from_env,
    env_bool,
    env_int,
    env_list,
    env_share,
    secret_key_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# Where the embedded default keeps its files (SQLite, broker folders, a generated key). The
# commands that need it create it (make run, make test, the Celery app); settings create
# nothing.
VAR_DIR = Path(os.environ.get("FACTCHECK_VAR_DIR", BASE_DIR / "var")).resolve()
SECURE_HTTPS = env_bool("SECURE_HTTPS", default=False)

SECRET_KEY = secret_key_from_env(VAR_DIR, production=SECURE_HTTPS)
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "annotations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "factcheck.security.PermissionsPolicyMiddleware",
    "factcheck.security.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it answers for a locked-out login
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": database_from_env(VAR_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out login before a password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "annotations.authentication.RoleModelBackend",  # ModelBackend, role groups read with the user
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/articles/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"  # filled by collectstatic
# No manifest: static/ holds plain ES modules that import each other by relative path, which
# hashed names would break. WhiteNoise still serves them compressed after collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Security: HTTPS-only cookies, HSTS and the redirect to HTTPS come with SECURE_HTTPS=true;
# off by default, for the embedded default on localhost over plain HTTP.
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", False) else None
)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script and no eval anywhere (the editor's data is a JSON block, its code static
# modules; Swagger UI loads its start-up script as a file); styles from our files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name
# from one address, that pair waits AXES_COOLOFF_MINUTES; the page and the token endpoint
# say until when. An administrator unlocks sooner with `axes_reset_username`.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", default=15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "factcheck.security.lockout"
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_HTTPS_PROXY", False) else 0

# Large enough for the longest article text (2,000,000 characters) sent as JSON with every
# character escaped (12 bytes for an emoji) or pasted in a form (urlencoded, up to 12 bytes).
DATA_UPLOAD_MAX_MEMORY_SIZE = 25_000_000

# Celery: a real worker in every mode; results live in our own tables, not a result backend.
# A related-coverage search gets this long before it is killed and later swept as failed.
COVERAGE_SEARCH_TIME_LIMIT = env_int("COVERAGE_SEARCH_TIME_LIMIT", default=120, minimum=5)
# A search that still waits for a worker after this long is failed by the sweep, with the
# reason (a lost message: Redis here keeps nothing on disk). Longer than any backlog an
# import of a whole archive queues.
COVERAGE_SEARCH_QUEUE_LIMIT = env_int("COVERAGE_SEARCH_QUEUE_LIMIT", default=3600, minimum=60)
# Redis gives a job whose worker died back to the queue after the visibility timeout: a run
# plus the longest retry back-off (tasks.py caps it at the time limit), with a margin.
VISIBILITY_TIMEOUT = 2 * COVERAGE_SEARCH_TIME_LIMIT + 10
CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = broker_from_env(
    VAR_DIR, visibility_timeout=VISIBILITY_TIMEOUT
)
# A search still waiting this long after its message was sent is sent again by the sweep
# (a message the broker lost). Past the visibility timeout, so Redis has given back what a
# dead worker held before the sweep doubles it.
COVERAGE_SEARCH_RESEND_AFTER = env_int(
    "COVERAGE_SEARCH_RESEND_AFTER", default=VISIBILITY_TIMEOUT + 60, minimum=30
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "factcheck")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# A dotted path to another SearchBackend; empty picks ours from the database engine.
COVERAGE_SEARCH_BACKEND = os.environ.get("COVERAGE_SEARCH_BACKEND", "")
# A dotted path to the sentence embedder of the semantic side (annotations.search.embedding).
COVERAGE_EMBEDDER = os.environ.get(
    "COVERAGE_EMBEDDER", "annotations.search.embedding.MiniLMEmbedder"
)
# Batches embedded at once, each on a thread of its own, when many texts are (imports,
# embed_articles, scoring an article's sentences); a search encodes its query on one.
EMBEDDING_THREADS = env_int("EMBEDDING_THREADS", default=os.cpu_count() or 1, minimum=1)
# Suggested claims (README, "Suggested claims"): the share of an article's sentences flagged,
# how many new labels (claims, dismissed suggestions) make the model retrain, how many claims
# it takes before a learned model replaces the cue heuristic, and the least time between two
# trainings (the beat asks every few minutes; a retrain waits for both conditions).
SUGGESTIONS_TOP_SHARE = env_share("SUGGESTIONS_TOP_SHARE", default=0.25)
SUGGESTIONS_RETRAIN_EVERY = env_int("SUGGESTIONS_RETRAIN_EVERY", default=50, minimum=1)
SUGGESTIONS_MIN_CLAIMS = env_int("SUGGESTIONS_MIN_CLAIMS", default=30, minimum=2)
SUGGESTIONS_RETRAIN_INTERVAL = env_int("SUGGESTIONS_RETRAIN_INTERVAL", default=3600, minimum=0)
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-coverage-searches": {
        "task": "annotations.tasks.sweep_stale_coverage_searches",
        "schedule": 60.0,
    },
    "refresh-search-statistics": {
        "task": "annotations.tasks.refresh_search_statistics",
        "schedule": 3600.0,
    },
    "retrain-suggestions": {
        "task": "annotations.tasks.retrain_suggestions",
        "schedule": 300.0,
    },
}

# What approving a claim needs (README, "The record"): any of verdict, summary, sources.
APPROVAL_REQUIREMENTS = ["verdict", "summary", "sources"]
FACTCHECK_APPROVAL_REQUIRES = env_list("FACTCHECK_APPROVAL_REQUIRES", default=APPROVAL_REQUIREMENTS)
if set(FACTCHECK_APPROVAL_REQUIRES) - set(APPROVAL_REQUIREMENTS):
    raise ImproperlyConfigured(
        f"FACTCHECK_APPROVAL_REQUIRES={','.join(FACTCHECK_APPROVAL_REQUIRES)!r}: use any of "
        f"{', '.join(APPROVAL_REQUIREMENTS)} (comma-separated), or an empty value for none"
    )

# History keeps a transition's or revert's reason in full (the default column is 100 long).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Who publishes the fact-checks (ClaimReview's author) and where the app lives (absolute ids
# in exports).
FACTCHECK_SITE_URL = os.environ.get("FACTCHECK_SITE_URL", "http://localhost:8000")
FACTCHECK_ORGANIZATION_NAME = os.environ.get("FACTCHECK_ORGANIZATION_NAME", "factcheck")
FACTCHECK_ORGANIZATION_URL = os.environ.get("FACTCHECK_ORGANIZATION_URL", "")

REST_FRAMEWORK = {
    # Token first: an anonymous request then gets 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "annotations.authentication.RoleTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "EXCEPTION_HANDLER": "annotations.api.errors.exception_handler",
    # JSON only: nested claims cannot be sent as a form, so no form is advertised.
    "DEFAULT_PARSER_CLASSES": ["annotations.api.parsers.StrictJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "annotations.api.pagination.Pagination",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "factcheck API",
    "DESCRIPTION": "Claims, sources, verdicts and review for fact-checking desks.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs are for the API's users: editors and reviewers (README).
    "SERVE_PERMISSIONS": ["annotations.api.permissions.IsEditor"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "annotations.api.schema.add_shared_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "annotations.models.ClaimStatus",
        "SearchStatusEnum": "annotations.models.SearchStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
