"""One settings module, driven by environment variables (see README, Configuration)."""

import logging
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

from lonservice.observability import logs

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Reverse proxies in front of the app, each appending the address it saw to X-Forwarded-For
# (nginx in front of gunicorn: 1). 0: X-Forwarded-For is not trusted at all.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The proxies' own addresses or networks: X-Forwarded-For is read only from requests they send.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# seed_demo creates logins whose password the README publishes: never with DEBUG off.
SEED_DEMO_ALLOWED = DEBUG

# Production fails at start-up rather than fall back to SQLite and inline jobs.
if not DEBUG:
    for _required in ("DATABASE_URL", "CELERY_BROKER_URL"):
        if not env.str(_required, default=""):
            raise ImproperlyConfigured(f"{_required} must be set when DEBUG is false (see README, Production).")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "django_structlog",
    "django_prometheus",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Lowest layer first (see README, Project layout).
    "core",
    "people",
    "organisation",
    "customers",
    "pricing",
    "webhooks",
    "payroll",
    "pensions",
    "staffing",
    "workplaces",
    "invoicing",
    "register",
    "certificates",
    "honours",
    "training",
    "economy",
    "reporting",
    "portal",
    "audit",
    "accounts",
    "api",
    "demo",
    "bench",
    "lonservice",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lonservice.middleware.NoStoreMiddleware",
    "lonservice.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_structlog.middlewares.RequestMiddleware",
    "lonservice.observability.logs.RequestIdHeaderMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.ProviderLogoutFormActionMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.AgencyContactFenceMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "lonservice.urls"
WSGI_APPLICATION = "lonservice.wsgi.application"

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
                "lonservice.navigation.navigation",
                "lonservice.observability.version.version",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# The embedded default under load: readers do not block the writer (WAL), a writer waits for
# another up to SQLITE_BUSY_TIMEOUT seconds instead of failing at once, and every transaction
# takes the write lock when it begins (IMMEDIATE), so a read-then-write never dies half-way
# with "database is locked".
EMBEDDED_SQLITE_OPTIONS = {
    "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(EMBEDDED_SQLITE_OPTIONS)
# Parallel test runs (several developers on one machine) need their own test database.
# A PostgreSQL read replica for the reports and dashboards (core.replica); optional.
if env.str("REPORTS_DATABASE_URL", default=""):
    DATABASES["reports"] = env.db("REPORTS_DATABASE_URL")
    DATABASES["reports"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["reports"]["TEST"] = {"MIRROR": "default"}  # tests read the primary through this alias
DATABASE_ROUTERS = ["core.replica.ReportsReplicaRouter"]
if env.str("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on with OpenID Connect (accounts/oidc.py, mozilla-django-oidc). Off while OIDC_ISSUER is
# empty; the provider's endpoints come from its discovery document. Local passwords always work.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").rstrip("/")
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGO", default="RS256")
OIDC_USE_PKCE = True
OIDC_TOKEN_USE_BASIC_AUTH = True  # client_secret_basic, the OpenID Connect default
OIDC_STORE_ID_TOKEN = True  # the hint for the provider's logout
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_PROVIDER_LOGOUT = env.bool("OIDC_PROVIDER_LOGOUT", default=True)
# Claims and their mapping (accounts/claims.py): JSON objects from a group name to a role key of
# accounts/roles.py, a unit code or an agency code (or a list of them).
OIDC_USERNAME_CLAIM = env.str("OIDC_USERNAME_CLAIM", default="preferred_username")
OIDC_ROLES_CLAIM = env.str("OIDC_ROLES_CLAIM", default="groups")
OIDC_UNIT_CLAIM = env.str("OIDC_UNIT_CLAIM", default="groups")
OIDC_AGENCIES_CLAIM = env.str("OIDC_AGENCIES_CLAIM", default="groups")
OIDC_ROLE_GROUPS = env.json("OIDC_ROLE_GROUPS", default={})
OIDC_UNIT_GROUPS = env.json("OIDC_UNIT_GROUPS", default={})
OIDC_AGENCY_GROUPS = env.json("OIDC_AGENCY_GROUPS", default={})

# Sessions end after inactivity; a password change logs out every other session (Django's auth hash).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling: lock a user name from one address after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The lock-out is keyed on the client's real address behind the proxy, not the proxy's.
AXES_CLIENT_IP_CALLABLE = "lonservice.observability.logs.request_client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# A user name alone is only slowed down, never locked (accounts.throttle): after this many failures
# from any addresses, each attempt waits 1, 2, 4 … seconds, at most LOGIN_USERNAME_MAX_DELAY.
LOGIN_USERNAME_SLOWDOWN_AFTER = env.int("LOGIN_USERNAME_SLOWDOWN_AFTER", default=10)
LOGIN_USERNAME_MAX_DELAY = env.int("LOGIN_USERNAME_MAX_DELAY", default=60)
# No "AXES: BEGIN version …" INFO line at every start of manage.py, a worker or gunicorn.
AXES_VERBOSE = False

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["core.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Stockholm")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Documents attached to cases: PDF and images, at most this size (core/documents.py).
CASE_DOCUMENT_MAX_BYTES = env.int("CASE_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Largest file an import accepts (a month of payslips is ~3 MB).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=100 * 1024 * 1024)
# Files one person may upload to the import pages in an hour (all pages together).
IMPORT_UPLOADS_PER_HOUR = env.int("IMPORT_UPLOADS_PER_HOUR", default=30)

# Celery: without a broker, tasks run inline (eager) so the demo needs no services.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# The monthly close runs on this day of the following month.
MONTHLY_CLOSE_DAY = env.int("MONTHLY_CLOSE_DAY", default=10)
# The reminder to agencies with returned documents outstanding goes this many Swedish working days
# before the month's document deadline (the 8th, or the next working day).
RETURN_REMINDER_WORKING_DAYS = env.int("RETURN_REMINDER_WORKING_DAYS", default=3)
# The service centre's contact routes on the portal's information page.
SERVICE_CENTRE_PHONE = env.str("SERVICE_CENTRE_PHONE", default="08-508 00 000")
SERVICE_CENTRE_EMAIL = env.str("SERVICE_CENTRE_EMAIL", default="lonservice@stad.example.se")
# Beat's tick: a task every HEARTBEAT_SECONDS records that beat sent it and a worker ran it.
HEARTBEAT_SECONDS = env.int("HEARTBEAT_SECONDS", default=60)
# A running close or import stamps its heartbeat every JOB_HEARTBEAT_SECONDS; beat's check (every
# JOB_CHECK_SECONDS) marks failed one silent for JOB_STALE_SECONDS, and one still queued after
# JOB_QUEUED_MAX_SECONDS (its message lost, or no worker running).
JOB_HEARTBEAT_SECONDS = env.int("JOB_HEARTBEAT_SECONDS", default=15)
JOB_STALE_SECONDS = env.int("JOB_STALE_SECONDS", default=120)
JOB_QUEUED_MAX_SECONDS = env.int("JOB_QUEUED_MAX_SECONDS", default=10 * 60)
JOB_CHECK_SECONDS = env.int("JOB_CHECK_SECONDS", default=60)
# A task still running after this long (a hung worker, whose heartbeat would go on) is stopped: first
# SoftTimeLimitExceeded inside it (the job ends failed with it), then the process is killed (its
# heartbeat stops, beat's check fails the job). The largest import takes ~1.5 minutes, a close seconds.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("JOB_TIME_LIMIT_SECONDS", default=30 * 60)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
CELERY_BEAT_SCHEDULE = {
    "close-previous-month": {
        "task": "invoicing.tasks.close_previous_month",
        "schedule": crontab(minute=0, hour=6, day_of_month=MONTHLY_CLOSE_DAY),
    },
    # The monthly and tertial reports e-mailed to their subscribers after the close (once each).
    "deliver-reports": {
        "task": "reporting.tasks.deliver_due_reports",
        "schedule": crontab(minute=30, hour=7),
    },
    # Closes and imports whose worker is gone are marked failed (and operations told).
    "check-jobs": {
        "task": "lonservice.tasks.check_jobs",
        "schedule": JOB_CHECK_SECONDS,
        "options": {"expires": JOB_CHECK_SECONDS},
    },
    "heartbeat": {
        "task": "lonservice.tasks.heartbeat",
        "schedule": HEARTBEAT_SECONDS,
        "options": {"expires": HEARTBEAT_SECONDS},
    },
    # Housekeeping, at night.
    "purge-personal-data": {
        "task": "lonservice.tasks.purge_personal_data",
        "schedule": crontab(minute=30, hour=3, day_of_month=1),
    },
    # The coming months' payroll case partitions, and the months past retention dropped (payroll.partitions).
    "case-partitions": {
        "task": "payroll.tasks.maintain_case_partitions",
        "schedule": crontab(minute=45, hour=3, day_of_month=1),
    },
    "clear-sessions": {"task": "lonservice.tasks.clear_sessions", "schedule": crontab(minute=0, hour=3)},
    "webhooks-due": {"task": "webhooks.tasks.send_due_deliveries", "schedule": 60, "options": {"expires": 60}},
    "clean-login-log": {"task": "lonservice.tasks.clean_login_log", "schedule": crontab(minute=10, hour=3)},
    # The reminder before the 8th to agencies with returned documents outstanding (once per agency and month).
    "return-reminders": {
        "task": "payroll.tasks.send_return_reminders",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon-fri"),
    },
    "delete-expired-exports": {"task": "payroll.tasks.delete_expired_case_exports", "schedule": crontab(minute=20)},
}
# A big download of a list, made in the background, is kept this long for its user, then deleted.
EXPORT_RETENTION_HOURS = env.int("EXPORT_RETENTION_HOURS", default=24)

# Readiness (/healthz/ready) fails when beat's last tick is older than this, or a close or
# import has been queued or running longer than this.
HEALTH_BEAT_MAX_AGE = env.int("HEALTH_BEAT_MAX_AGE", default=5 * 60)
HEALTH_JOB_MAX_AGE = env.int("HEALTH_JOB_MAX_AGE", default=30 * 60)
# E-mail (alerts to operations and finance): EMAIL_URL, e.g. smtp+tls://user:password@smtp.stad.se:587;
# with DEBUG on, mails are printed on the console.
vars().update(env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"))
SERVER_EMAIL = DEFAULT_FROM_EMAIL = env.str("SERVER_EMAIL", default="lonservice@localhost")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# The address users reach the service at, for the links in e-mails to agencies (customers.notices).
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# ADMINS: the addresses of operations (comma-separated); OPS_ALERT_EMAILS defaults to them.
ADMINS = [(address, address) for address in env.list("ADMINS", default=[])]
OPS_ALERT_EMAILS = env.list("OPS_ALERT_EMAILS", default=[address for _name, address in ADMINS])
# Finance hears of a scheduled close that failed or did not run; empty: the users who may run the close.
FINANCE_ALERT_EMAILS = env.list("FINANCE_ALERT_EMAILS", default=[])
# An alert about the same thing (a failing health part) is sent again after this many minutes.
ALERT_REPEAT_MINUTES = env.int("ALERT_REPEAT_MINUTES", default=60)
# The scheduled close counts as not run this many hours after its time (06:00 on MONTHLY_CLOSE_DAY).
SCHEDULED_CLOSE_GRACE_HOURS = env.int("SCHEDULED_CLOSE_GRACE_HOURS", default=2)

# Days of login attempts (django-axes' access log) kept; older ones are deleted every night.
LOGIN_LOG_DAYS = env.int("LOGIN_LOG_DAYS", default=90)

# The service centre as invoice sender.
SERVICE_CENTRE = {
    "name": env.str("SERVICE_CENTRE_NAME", default="Serviceförvaltningen, Lön och pension"),
    "address": env.str("SERVICE_CENTRE_ADDRESS", default="Box 8310, 104 20 Stockholm"),
    "org_number": env.str("SERVICE_CENTRE_ORG_NUMBER", default="212000-0142"),
    "email": env.str("SERVICE_CENTRE_EMAIL", default="lonservice@example.se"),
}
INVOICE_PAYMENT_DAYS = env.int("INVOICE_PAYMENT_DAYS", default=30)
# From this month on, unit managers are reminded of agencies without next year's service agreement.
AGREEMENT_RENEWAL_MONTH = env.int("AGREEMENT_RENEWAL_MONTH", default=10)
# The city's ledger (SIE vouchers and the Agresso file): the centre's revenue account per
# price-list item (SIE_REVENUE_ACCOUNTS, e.g. "pension_case=3612,addon_hour=3613"; other items
# SIE_REVENUE_ACCOUNT) and the buyer's internal account debited. README, "E-invoices, SIE and Agresso".
SIE_REVENUE_ACCOUNT = env.str("SIE_REVENUE_ACCOUNT", default="3611")
SIE_REVENUE_ACCOUNTS = env.dict("SIE_REVENUE_ACCOUNTS", default={"pension_case": "3612", "addon_hour": "3613"})
SIE_INTERNAL_ACCOUNT = env.str("SIE_INTERNAL_ACCOUNT", default="7611")
SIE_VOUCHER_SERIES = env.str("SIE_VOUCHER_SERIES", default="F")
PERSONAL_DATA_RETENTION_YEARS = env.int("PERSONAL_DATA_RETENTION_YEARS", default=7)

# Security headers. Production (DEBUG=false) is HTTPS only.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Only for trying the production settings over plain http on one's own machine (README).
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Probes and scrapers talk to the container directly, over http.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$", r"^metrics$", r"^version$"]

CSP_DEFAULT_SRC = ("'self'",)
CSP_SCRIPT_SRC = ("'self'",)
CSP_STYLE_SRC = ("'self'",)
CSP_IMG_SRC = ("'self'", "data:")
CSP_FONT_SRC = ("'self'",)
CSP_FRAME_ANCESTORS = ("'none'",)
CSP_FORM_ACTION = ("'self'",)
CSP_OBJECT_SRC = ("'none'",)
CSP_BASE_URI = ("'self'",)

# Filter drop-downs say "All" rather than Django's "---------".
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

# Logs: JSON lines on stdout (LOG_FORMAT=console for people reading a terminal).
LOGGING = logs.logging_config(
    level=env.str("LOG_LEVEL", default="INFO"),
    fmt=env.str("LOG_FORMAT", default="console" if DEBUG else "json"),
)
logs.configure_structlog()
DJANGO_STRUCTLOG_CELERY_ENABLED = True
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False  # client_ip is bound from TRUSTED_PROXY_COUNT instead
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logging.DEBUG  # one line a request: request_finished
# A 503 from readiness is a state, not an error to report; a view that raises logs request_failed.
DJANGO_STRUCTLOG_STATUS_5XX_LOG_LEVEL = logging.WARNING

# /metrics answers only a scraper that sends "Authorization: Bearer <METRICS_TOKEN>"; unset: off.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
PROMETHEUS_EXPORT_MIGRATIONS = False

# Error reports to Sentry when SENTRY_DSN is set (personal data scrubbed, lonservice/observability/errors.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")

# The API for the city's systems (api/, README "API"): tokens of system accounts, problem details,
# cursor pages, per-token rate limits (counted in the cache: per web process unless CACHES is shared).
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="1200/hour")
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=100)
# How long an Idempotency-Key of a POST is remembered (its response is given again for the same key).
API_IDEMPOTENCY_HOURS = env.int("API_IDEMPOTENCY_HOURS", default=24)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_RATE_LIMIT},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CursorPage",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lönservice API",
    "DESCRIPTION": "For the city's systems: agencies, price lists, volumes, invoices, payroll and pension "
    "cases, payslip files and webhooks. Errors are RFC 9457 problem details, in Swedish or English "
    "(Accept-Language).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {"WebhookEvent": "webhooks.models.Event"},
}
# Webhooks (webhooks/): each delivery is tried again after these many seconds, then given up.
WEBHOOK_RETRY_SECONDS = env.list("WEBHOOK_RETRY_SECONDS", cast=int, default=[30, 120, 600, 3600, 6 * 3600])
WEBHOOK_TIMEOUT = env.int("WEBHOOK_TIMEOUT", default=10)

# The running build (/version and the page footer): set by the image; else read from git.
BUILD_COMMIT = env.str("BUILD_COMMIT", default="")
BUILD_DATE = env.str("BUILD_DATE", default="")

if SENTRY_DSN:
    from lonservice.observability.errors import init_sentry

    init_sentry(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, release=BUILD_COMMIT or None)
