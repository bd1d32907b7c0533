"""Frontstage settings, read from the environment.

SQLite under DATA_DIR by default; Postgres when DATABASE_URL is set. Any secret may be given
as VAR or as VAR_FILE (a path whose content is the value), the way container secrets arrive.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_flag(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DATA_DIR = Path(env("DATA_DIR") or BASE_DIR.parent / "var")
DEBUG = env_flag("DEBUG")


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    # A single-machine install keeps a generated key beside its database, so the demo and a
    # small deployment need no setup; production passes SECRET_KEY or SECRET_KEY_FILE.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    key = key_file.read_text(encoding="utf-8").strip()
    if not key:
        raise ImproperlyConfigured(f"{key_file} is empty: delete it or set SECRET_KEY.")
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "frontstage.admin_site.FrontstageAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",  # serves the API docs page with its own static files, not from a CDN
    "django_htmx",
    "template_partials",
    "frontstage.units",
    "frontstage.accounts",
    "frontstage.audit",
    "frontstage.cases",
    "frontstage.intake",
    "frontstage.patrol",
    "frontstage.publish",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "frontstage.urls"
WSGI_APPLICATION = "frontstage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontstage.cases.context.open_alerts",
            ],
        },
    },
]

# Parameters sent apart from the SQL, so that a statement run again and again on a connection
# (a report runs the same twenty) is prepared once instead of parsed and planned every time.
# Behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode before
# 1.21), set DATABASE_PREPARED=off.
POSTGRES_OPTIONS: dict[str, object] = (
    {"server_side_binding": True, "prepare_threshold": 5}
    if env_flag("DATABASE_PREPARED", True)
    else {}
)

if env("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL"), conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["OPTIONS"] = {
            **DATABASES["default"].get("OPTIONS", {}),
            **POSTGRES_OPTIONS,
        }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "frontstage.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead
                # of failing mid-transaction; this also serialises appends to the audit chain.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Staff"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:cases"
LOGOUT_REDIRECT_URL = "console:login"

LANGUAGE_CODE = env("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_flag("SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # The redaction engine narrates its set-up (device, recognizers) at INFO.
    "loggers": {"presidio-analyzer": {"level": "WARNING"}},
}

# Intake
# Proof-of-work difficulty: the largest number a browser may have to try (about a second on
# a phone at 100,000). Lower only for benchmarks, and say so.
ALTCHA_MAX_NUMBER = int(env("ALTCHA_MAX_NUMBER", "100000"))
# Per client address (kept only as a daily-keyed hash), per hour, on the form and the API.
INTAKE_REPORTS_PER_HOUR = int(env("INTAKE_REPORTS_PER_HOUR", "30"))
INTAKE_LOOKUPS_PER_HOUR = int(env("INTAKE_LOOKUPS_PER_HOUR", "30"))
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "outbox"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "frontstage@localhost")

# Statements of reasons to the EU DSA Transparency Database (`frontstage sor submit`). Empty
# endpoint or token: submitting refuses to start; exporting to a file needs neither.
SOR_ENDPOINT = env("SOR_ENDPOINT").rstrip("/")  # e.g. https://transparency.dsa.ec.europa.eu/api/v1
SOR_TOKEN = env("SOR_TOKEN")
# ActivityPub: contact http:// servers and private addresses only when asked (tests on loopback,
# development); in production only https:// public addresses are contacted.
FEDERATION_ALLOW_HTTP = env_flag("FEDERATION_ALLOW_HTTP", DEBUG)
