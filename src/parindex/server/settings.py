"""Django settings, all derived from :class:`parindex.server.config.Settings`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from parindex.server.config import Settings
from parindex.server.logs import logging_config
from parindex.server.translations import compile_catalogues

CONFIG = Settings.from_environ()
PACKAGE_DIR = Path(__file__).resolve().parent

# Compiled here, before django.setup(): Django's own auth models already translate while they
# are imported, which loads and caches the default language's catalogues for the process.
compile_catalogues()

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)
PARINDEX_DEMO = CONFIG.demo
# Province boundary files for the geographic map of the results pages (docs/results.md); none:
# the tile-grid cartogram only. Relative paths are read from the working directory.
PARINDEX_BOUNDARIES = CONFIG.boundaries

INSTALLED_APPS = [
    # First: its ``flush`` (history guards lifted) overrides Django's.
    "parindex.server.audit",
    "parindex.server.accounts",
    "parindex.server.assessments",
    "parindex.server.surveys",
    "parindex.server.ratings",
    "parindex.server.feedback",
    "parindex.server.results",
    "parindex.server.plans",
    "parindex.server.jobs",
    "parindex.server.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

# Long work (sample draws, imports, renders: server/jobs) runs as tasks stored in the database; `parindex
# worker` runs them (`parindex serve` and `parindex demo` start one beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Uploads wait here until their task has read them.
UPLOAD_STAGING_ROOT = CONFIG.data_dir / "uploads"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "parindex.server.middleware.RefusedAccessLogMiddleware",
    # Device ratings with a bearer token, before the middleware they do not need (ratings/gateway.py)
    "parindex.server.ratings.gateway.IngestGatewayMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "parindex.server.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parindex.server.urls"
WSGI_APPLICATION = "parindex.server.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parindex.server.context.site",
            ],
        },
    },
]

if CONFIG.database_url:
    DATABASES = {"default": dj_database_url.parse(CONFIG.database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(CONFIG.sqlite_path),
            # WAL lets readers go on while one writer commits; IMMEDIATE avoids lock upgrades
            # failing half-way through a transaction.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "parindex.server.accounts.backends.LoginThrottle",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "landing"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["parindex.server.formats"]
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Ho_Chi_Minh"

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Outside production, serve static files straight from the apps: no collectstatic step to forget.
STATIC_ROOT = CONFIG.data_dir / "static" if CONFIG.production else None
WHITENOISE_USE_FINDERS = not CONFIG.production
MEDIA_ROOT = CONFIG.data_dir / "media"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Production posture (docs/configuration.md, docs/security.md). Behind a proxy that terminates
# TLS, its X-Forwarded-Proto says whether the request was HTTPS; never trust it otherwise.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if CONFIG.behind_tls_proxy else None
CSRF_TRUSTED_ORIGINS = list(CONFIG.csrf_trusted_origins)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if CONFIG.production:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = CONFIG.ssl_redirect
    SECURE_HSTS_SECONDS = CONFIG.hsts_seconds
    SECURE_HSTS_INCLUDE_SUBDOMAINS = CONFIG.hsts_include_subdomains
    SECURE_HSTS_PRELOAD = CONFIG.hsts_preload

# The pages load scripts, styles, images and fonts from the site's own static files only, and
# run no inline script. Inline style *attributes* stay allowed (a bar's width set from a
# number); style elements and scripts do not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login throttling (django-axes): an account name is locked after repeated wrong passwords,
# whatever address they come from (guessing is spread over many addresses), for a while.
AXES_FAILURE_LIMIT = CONFIG.login_failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=CONFIG.login_lockout_minutes)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "parindex.server.accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_IPWARE_PROXY_COUNT = 1 if CONFIG.behind_tls_proxy else None
AXES_VERBOSE = False
# axes.W006 wants the client address in the lockout key: here the lock is on the account name,
# which rotating addresses, agents or cookies cannot escape, and a ministry's whole office
# behind one NAT address is not locked out by five colleagues' typos (docs/security.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LOGGING = logging_config(CONFIG.log_level)

# Ballot codes that open nothing, per 10 minutes, before the web form pauses code entry.
WEBFORM_FAILURES_PER_CLIENT = CONFIG.webform_failures_per_client
FEEDBACK_INFO_CLOCK = CONFIG.feedback_info_clock
HOUSEKEEPING_HOURS = CONFIG.housekeeping_hours
JOB_RETENTION_DAYS = CONFIG.job_retention_days
WEBFORM_FAILURES_PER_SURVEY = CONFIG.webform_failures_per_survey

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
