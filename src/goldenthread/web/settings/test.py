"""Settings for the test suite.

SQLite in memory by default; PostgreSQL when GOLDENTHREAD_DB_NAME is set
(tests/conftest.py does that for the PostgreSQL run). Tasks run at once.
"""

from .base import *  # noqa: F403
from .base import DATABASES, env

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files come straight from the app folders, so the tests need no
# collectstatic; tests/web/test_static_files.py checks the hashed, compressed
# pipeline the other settings use.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if not env("GOLDENTHREAD_DB_NAME"):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}

TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
STATIC_ROOT = None
GOLDENTHREAD_DEMO_STRUCTURE_SCALE = 0.1

if env("GOLDENTHREAD_TEST_POSTGRES") == "1":
    # The PostgreSQL run: tests/conftest.py checks the server answers first.
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": env("GOLDENTHREAD_TEST_PG_NAME", "test"),
        "USER": env("GOLDENTHREAD_TEST_PG_USER", "postgres"),
        "PASSWORD": env("GOLDENTHREAD_TEST_PG_PASSWORD", ""),
        "HOST": env("GOLDENTHREAD_TEST_PG_HOST", "127.0.0.1"),
        "PORT": env("GOLDENTHREAD_TEST_PG_PORT", "5432"),
        "TEST": {"NAME": env("GOLDENTHREAD_TEST_PG_TEST_NAME", "test_goldenthread")},
    }
