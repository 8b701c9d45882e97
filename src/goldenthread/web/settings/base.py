"""Settings shared by every environment.

Configuration from the environment is read here and only here, through
:func:`env`. Each environment module (local, production, test) imports this
one and changes what differs.
"""

from __future__ import annotations

import os
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from goldenthread.formats.sources import ReadLimits

PACKAGE_DIR = Path(__file__).resolve().parents[2]
#: The repository root when running from a checkout; var/ lives there.
BASE_DIR = PACKAGE_DIR.parents[1]


def env(name: str, default: str | None = None) -> str | None:
    """Read one ``GOLDENTHREAD_*`` (or Django-standard) environment variable."""
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None:
        return default
    try:
        number = int(value.replace("_", ""))
    except ValueError:
        number = 0
    if number < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of 1 or more, not {value!r}.")
    return number


def env_list(name: str) -> list[str]:
    value = env(name) or ""
    return [item.strip() for item in value.split(",") if item.strip()]


VAR_DIR = Path(env("GOLDENTHREAD_VAR_DIR", str(BASE_DIR / "var")) or "var")

SECRET_KEY = env("GOLDENTHREAD_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = env_list("GOLDENTHREAD_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "goldenthread.web",
    "goldenthread.accounts",
    "goldenthread.kit",
    "goldenthread.core",
    "goldenthread.audit",
    "goldenthread.jobs",
    "goldenthread.structure",
    "goldenthread.operating_model",
    "goldenthread.performance",
    "goldenthread.programme",
    "goldenthread.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "goldenthread.web.middleware.RefuseNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "goldenthread.kit.submissions.SubmitOnceMiddleware",
]

ROOT_URLCONF = "goldenthread.web.urls"
WSGI_APPLICATION = "goldenthread.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "goldenthread.web.context_processors.shell",
            ],
        },
    },
]


def database_from_env() -> dict[str, object]:
    """The default database: PostgreSQL when GOLDENTHREAD_DB_NAME is set, else SQLite."""
    name = env("GOLDENTHREAD_DB_NAME")
    if name:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": env("GOLDENTHREAD_DB_USER", "postgres"),
            "PASSWORD": env("GOLDENTHREAD_DB_PASSWORD", ""),
            "HOST": env("GOLDENTHREAD_DB_HOST", "127.0.0.1"),
            "PORT": env("GOLDENTHREAD_DB_PORT", "5432"),
            "CONN_MAX_AGE": 60,
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "goldenthread.sqlite3",
        "OPTIONS": {
            # WAL lets the web server read while the task worker writes.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:organisations"
LOGOUT_REDIRECT_URL = "core:start"

#: Sign-in throttling: this many failures for one username (or from one
#: address) within the window lock further attempts until the window passes.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
#: Past this many failures from one address in the window, every failure from
#: it is answered "too many attempts"; a known user's right password still works.
LOGIN_ADDRESS_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT * 4
#: An invitation to join an organisation can be accepted for this many days.
GOLDENTHREAD_INVITATION_DAYS = float(env("GOLDENTHREAD_INVITATION_DAYS", "14") or 14)
#: How many reverse proxies in front of the service append to X-Forwarded-For:
#: 0 trusts none (the client is REMOTE_ADDR); N takes the Nth address from the right.
GOLDENTHREAD_TRUSTED_PROXY_COUNT = int(env("GOLDENTHREAD_TRUSTED_PROXY_COUNT", "0") or "0")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
#: Dates in the GOV.UK style, "14 March 2024", wherever a page shows one.
FORMAT_MODULE_PATH = ["goldenthread.web.formats"]
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
#: Where `collectstatic` (run by `goldenthread serve` and `goldenthread demo`)
#: puts the static files, each under a name holding a hash of its content,
#: beside gzip copies. WhiteNoise serves the hashed names with a cache
#: lifetime of ten years (`immutable`): a changed file gets a new name.
STATIC_ROOT: Path | None = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# Only the two essential cookies (session and CSRF) are ever set; the cookies
# page explains them.
SESSION_COOKIE_NAME = "goldenthread_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_NAME = "goldenthread_csrftoken"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The Content-Security-Policy: scripts, styles, images, fonts and requests
# come from this site only; no inline script, no eval, no framing
# (docs/adr/0015-content-security-policy.md says why each source is there).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

#: Largest file accepted by an upload form, in bytes.
GOLDENTHREAD_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
#: A file over GOLDENTHREAD_MAX_UPLOAD_BYTES is not kept past the limit (kit.uploads).
FILE_UPLOAD_HANDLERS = [
    "goldenthread.kit.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

#: Background jobs: a running job writes a heartbeat this often; one whose
#: heartbeat is older than the stale limit was lost with its worker and is
#: marked failed. An upload's bytes are deleted this many hours after the work
#: on it ends (0: at once).
GOLDENTHREAD_JOB_HEARTBEAT_SECONDS = float(env("GOLDENTHREAD_JOB_HEARTBEAT_SECONDS", "10") or 10)
GOLDENTHREAD_JOB_STALE_SECONDS = float(env("GOLDENTHREAD_JOB_STALE_SECONDS", "120") or 120)
GOLDENTHREAD_UPLOAD_RETENTION_HOURS = float(env("GOLDENTHREAD_UPLOAD_RETENTION_HOURS", "24") or 24)

# How much of an uploaded CSV file or workbook is read (goldenthread.kit.limits).
_READ = ReadLimits()
GOLDENTHREAD_READ_MAX_ROWS = env_int("GOLDENTHREAD_READ_MAX_ROWS", _READ.max_rows)
GOLDENTHREAD_READ_MAX_COLUMNS = env_int("GOLDENTHREAD_READ_MAX_COLUMNS", _READ.max_columns)
GOLDENTHREAD_READ_MAX_CELLS = env_int("GOLDENTHREAD_READ_MAX_CELLS", _READ.max_cells)
GOLDENTHREAD_READ_MAX_UNPACKED_BYTES = env_int(
    "GOLDENTHREAD_READ_MAX_UNPACKED_BYTES", _READ.max_unpacked_bytes
)
GOLDENTHREAD_READ_MAX_COMPRESSION_RATIO = env_int(
    "GOLDENTHREAD_READ_MAX_COMPRESSION_RATIO", _READ.max_compression_ratio
)
GOLDENTHREAD_READ_MAX_TOTAL_CHARS = env_int(
    "GOLDENTHREAD_READ_MAX_TOTAL_CHARS", _READ.max_total_chars
)

SIMPLE_HISTORY_REVERT_DISABLED = True

#: Hours a form's one-time token is remembered: a second submission within
#: them goes where the first went instead of acting again.
GOLDENTHREAD_SUBMISSION_KEEP_HOURS = int(env("GOLDENTHREAD_SUBMISSION_KEEP_HOURS", "24") or "24")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("GOLDENTHREAD_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
    },
}


def require(name: str, value: object) -> None:
    """Refuse to start when a setting production needs is missing."""
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Production needs it: see docs/configuration.md."
        )


CSRF_FAILURE_VIEW = "goldenthread.web.views.csrf_failure"
