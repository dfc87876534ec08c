"""Settings shared by every environment. Values that differ per deployment come from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
# Demo accounts and demo data may only be created when this is on (dev settings turn it on).
DEMO_MODE = env_bool("DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    # Lianmeng domain apps
    "core",
    "accounts",
    "organizations",
    "alliances",
    "pairing",
    "activities",
    "demands",
    "projects",
    "commendations",
    "notifications",
    "workbench",
    "dashboard",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.SessionMiddleware",  # Django's, but automatic polls do not write the session
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",  # a password someone else chose is changed first
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://… in production); SQLite is the embedded default.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'lianmeng.sqlite3'}",
        # Persistent connections: a 50-row list loses ~60 % of its throughput without them.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query it estimates as expensive; for a web request's short queries the
    # compilation is the cost (1.7 s of a 2.3 s count over a million cases, measured by bench/). Off per session.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # One writer at a time: a write waits up to this long for a running import to commit (instead of 5 s).
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout: 5 failures within 30 minutes lock the username (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Idle timeout: the session expires after SESSION_IDLE_MINUTES without a request. core.middleware slides it,
# writing the session at most once every SESSION_REFRESH_SECONDS (not on every request).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
FORMAT_MODULE_PATH = ["config.formats"]  # English dates and times: one 24-hour clock
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
# Uploads that only permission-checked views may serve (activity photos). Never exposed under a public URL.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", str(8 * 1024 * 1024)))
PHOTO_MAX_PIXELS = 40_000_000  # checked from the header before a picture is decoded (decompression bombs)
PHOTO_MAX_SIDE = 2560  # photos are re-encoded as JPEG no larger than this on either side
PHOTOS_PER_ACTIVITY = 30
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
ATTACHMENTS_PER_DEMAND = 10
# The in-process matching indexes: how far back each request looks for changed rows (longer than any transaction),
# and how often they reconcile with the whole table.
MATCH_INDEX_OVERLAP = int(os.environ.get("MATCH_INDEX_OVERLAP", "900"))
MATCH_INDEX_MAX_AGE = int(os.environ.get("MATCH_INDEX_MAX_AGE", "3600"))
# QR sign-in is open from this long before an activity starts until this long after it ends.
SIGNIN_OPENS_BEFORE_MINUTES = 60
SIGNIN_CLOSES_AFTER_MINUTES = 60

# Absolute address of the platform, for links in mails and QR codes printed on paper (empty: taken from the
# request where there is one).
SITE_URL = os.environ.get("SITE_URL", "")
# Mail stays inside the network: an internal relay when configured, otherwise mails are only logged.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
                               if not os.environ.get("EMAIL_HOST") else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lianmeng@localhost")

# Channels beyond the platform's bell (notifications.channels). Mail goes through EMAIL_BACKEND above; a text-message
# (or enterprise WeChat / DingTalk) gateway is added by configuration only: NOTIFY_SMS_URL (+ NOTIFY_SMS_SECRET) posts
# to it, NOTIFY_SMS_FILE writes to a file instead (development). Nothing else is sent anywhere.
NOTIFICATION_CHANNELS: dict[str, dict[str, object]] = {"email": {"BACKEND": "notifications.channels.EmailChannel"}}
if os.environ.get("NOTIFY_SMS_URL"):
    NOTIFICATION_CHANNELS["sms"] = {"BACKEND": "notifications.channels.WebhookChannel", "OPTIONS": {
        "url": os.environ["NOTIFY_SMS_URL"], "secret": os.environ.get("NOTIFY_SMS_SECRET", "")}}
elif os.environ.get("NOTIFY_SMS_FILE"):
    NOTIFICATION_CHANNELS["sms"] = {"BACKEND": "notifications.channels.FileChannel",
                                    "OPTIONS": {"path": os.environ["NOTIFY_SMS_FILE"]}}

# Uploads: rejected before parsing when over these limits (bytes).
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES", str(200 * 1024 * 1024)))
# A sheet is refused, before its rows are read, when its stated size goes beyond these (rows below the header,
# columns); while it is read, as soon as a row beyond them is met (a file may misstate or omit its size).
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "100000"))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "100"))
# Imports are validated, then written, in chunks of this many rows; a report lists at most
# IMPORT_MAX_REPORTED_ERRORS problems and counts the rest.
IMPORT_CHUNK_ROWS = int(os.environ.get("IMPORT_CHUNK_ROWS", "1000"))
IMPORT_MAX_REPORTED_ERRORS = int(os.environ.get("IMPORT_MAX_REPORTED_ERRORS", "1000"))
# Uploads larger than this are imported by a background job (progress on the job's page); smaller ones at once.
IMPORT_BACKGROUND_BYTES = int(os.environ.get("IMPORT_BACKGROUND_BYTES", str(256 * 1024)))
# Background imports parse the sheet in a forked child process, beside the validation and writing.
IMPORT_PARALLEL_READ = env_bool("IMPORT_PARALLEL_READ", True)
# List exports of more rows than this are written by a background job and downloaded from its page.
# Lists count their rows up to this many and then say "more than" (core.paging).
LIST_COUNT_LIMIT = int(os.environ.get("LIST_COUNT_LIMIT", "10000"))
EXPORT_BACKGROUND_ROWS = int(os.environ.get("EXPORT_BACKGROUND_ROWS", "5000"))
# Background jobs: files of finished jobs are deleted after this many days; a job running for longer than
# JOB_STALE_HOURS lost its worker and is marked failed (both by the daily sweep_jobs_task).
JOB_FILE_RETENTION_DAYS = int(os.environ.get("JOB_FILE_RETENTION_DAYS", "7"))
JOB_STALE_HOURS = int(os.environ.get("JOB_STALE_HOURS", "6"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Plaque and agreement PDFs embed (a subset of) these OpenType fonts; Debian's fonts-noto-cjk, installed by the
# setup, provides them. Any font collection with a Simplified Chinese face works.
PDF_FONT_REGULAR = os.environ.get("PDF_FONT_REGULAR", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
PDF_FONT_BOLD = os.environ.get("PDF_FONT_BOLD", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc")

# Field encryption (ID numbers, phones): comma-separated Fernet keys, newest first (rotation keeps old keys).
# Without it the key is derived from SECRET_KEY, which is only acceptable for development and tests.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")

# Background work: Django's tasks API (django-tasks backport on 5.2); the database backend is the default,
# any other backend (e.g. Redis-backed) can take over through TASKS_BACKEND.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Enqueued once a day by `manage.py enqueue_daily_tasks` (cron or a systemd timer); every task is idempotent.
DAILY_TASKS = [
    "activities.tasks.send_series_reminders_task",
    "activities.tasks.send_followup_reminders_task",
    "activities.tasks.sweep_orphan_photos_task",
    "demands.tasks.sweep_orphan_attachments_task",
    "demands.tasks.run_demand_deadlines_task",
    "core.tasks.sweep_jobs_task",
    "pairing.tasks.send_review_reminders_task",
    "projects.tasks.send_milestone_reminders_task",
    "commendations.tasks.send_deadline_reminders_task",
    "notifications.tasks.retry_deliveries_task",
    "notifications.tasks.send_digests_task",
]
FOLLOWUP_REMIND_DAYS = 3  # follow-up items are announced this many days before they fall due
MILESTONE_REMIND_DAYS = 3  # so are project milestones
COMMENDATION_REMIND_DAYS = 3  # and a commendation's nomination and review windows closing

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "core.cache.ReusingRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tokens, roles and region spans kept between requests (core.authz_cache); only with a cache every worker shares.
AUTHZ_CACHE = bool(REDIS_URL)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ScopedPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "api.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lianmeng API",
    "DESCRIPTION": "REST API of Lianmeng, the regional party-building alliance platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ActivityKindEnum": "activities.choices.ActivityKind",
        "DemandStatusEnum": "demands.choices.DemandStatus",
        "RequesterKindEnum": "demands.choices.RequesterKind",
        "ResourceStatusEnum": "demands.choices.ResourceStatus",
        "ProjectStatusEnum": "projects.choices.ProjectStatus",
        "CommendationCategoryKindEnum": "commendations.choices.CategoryKind",
    },
}

DJANGO_TABLES2_TEMPLATE = "core/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# axes.W006 asks for IP-based lockout; we lock by username on purpose (5 failures lock the account whatever the
# client's address, cookies or user agent), which the warning's bypass does not apply to.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Demands (诉求联解): defaults when no deadline tier matches, the rating that reopens a case, and the end of a
# working day (a deadline of N working days ends then).
DEMAND_DEFAULT_ACCEPT_DAYS = 1
DEMAND_DEFAULT_RESOLVE_DAYS = 10
DEMAND_LOW_RATING = 2
DEMAND_MAX_REMIND_DAYS = 30
WORKDAY_ENDS_AT = (17, 30)
