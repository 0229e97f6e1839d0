"""Django settings for ungpkit.

Every value comes from ``ungpkit.config`` (environment variables declared once, documented in
docs/configuration.md); this module only translates them into Django's names. Do not read
``os.environ`` here: declare a ``Setting`` instead.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ungpkit import __version__, config
from ungpkit.web import settings_parts

try:
    CONFIG = config.load()
    SECRET_KEY = config.resolve_secret_key(CONFIG)
except config.ConfigError as error:
    raise ImproperlyConfigured(str(error)) from None

WEB_DIR = Path(__file__).resolve().parent
UNGPKIT_VERSION = __version__

DEBUG = bool(CONFIG.debug)
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)
CSRF_TRUSTED_ORIGINS = list(CONFIG.csrf_trusted_origins)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ungpkit.apps.accounts",
    "ungpkit.apps.check",
    "ungpkit.apps.remedy",
    "ungpkit.apps.triage",
    "ungpkit.apps.transparency",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ungpkit.web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ungpkit.web.urls"
WSGI_APPLICATION = "ungpkit.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ungpkit.web.context_processors.site",
                "ungpkit.web.context_processors.menu",
            ],
        },
    },
]

DATABASES = settings_parts.database_settings(CONFIG)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

TASKS = settings_parts.task_settings(CONFIG)
if CONFIG.task_backend == "immediate":
    # No worker runs the sealer: each request seals what it wrote (decision 0003).
    MIDDLEWARE.append("ungpkit.web.middleware.AuditSealMiddleware")
CACHES = settings_parts.cache_settings(CONFIG)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: the interface speaks English, French, Spanish and Korean.
LANGUAGE_CODE = CONFIG.language_code
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ko", _("Korean")),
]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = CONFIG.time_zone

# Files.
STATIC_URL = "static/"
STATIC_ROOT = CONFIG.static_root
STATICFILES_DIRS = [WEB_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = CONFIG.media_root
UNGPKIT_DATA_DIR = CONFIG.data_dir
UNGPKIT_MAX_UPLOAD_BYTES = CONFIG.max_upload_bytes
UNGPKIT_READ_LIMITS = {
    "max_bytes": CONFIG.max_upload_bytes,
    "max_pages": CONFIG.max_pages,
    "max_uncompressed_bytes": CONFIG.max_uncompressed_bytes,
    "max_compression_ratio": CONFIG.max_compression_ratio,
    "max_zip_entries": CONFIG.max_zip_entries,
}
UNGPKIT_ENCRYPTION_KEYS = config.resolve_encryption_keys(CONFIG)
UNGPKIT_RATE_LIMITS = {
    "intake": (CONFIG.intake_per_hour, 3600),
    "status": (CONFIG.status_per_10_minutes, 600),
}
UNGPKIT_INTAKE_MIN_SECONDS = CONFIG.intake_min_seconds
UNGPKIT_STATISTICS_MIN_COUNT = CONFIG.statistics_min_count
# Pasted text and multipart bodies up to the upload limit reach the engine, which explains
# any refusal on the form; files beyond it stream to disk instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = UNGPKIT_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail.
EMAIL_BACKEND = CONFIG.email_backend
EMAIL_HOST = CONFIG.email_host
EMAIL_PORT = CONFIG.email_port
EMAIL_HOST_USER = CONFIG.email_host_user
EMAIL_HOST_PASSWORD = CONFIG.email_host_password
EMAIL_USE_TLS = CONFIG.email_use_tls
DEFAULT_FROM_EMAIL = CONFIG.default_from_email
SERVER_EMAIL = CONFIG.default_from_email

# Security.
_SECURE_COOKIES = settings_parts.secure_cookies(CONFIG)
SESSION_COOKIE_SECURE = _SECURE_COOKIES
CSRF_COOKIE_SECURE = _SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = _SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600  # a working day: staff can read who complained
CSRF_FAILURE_VIEW = "ungpkit.web.views.csrf_failure"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = CONFIG.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
UNGPKIT_BEHIND_PROXY = CONFIG.behind_proxy
if CONFIG.behind_proxy:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

LOGGING = settings_parts.logging_settings(CONFIG)
