"""Settings for the demo and local use: SQLite (WAL) under var/, no HTTPS.

DEBUG stays off unless GOLDENTHREAD_DEBUG is set, so the demo shows the same
error pages and static files (through WhiteNoise) that production does.
"""

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

DEBUG = env_bool("GOLDENTHREAD_DEBUG", default=False)
SECRET_KEY = env("GOLDENTHREAD_SECRET_KEY", "local-only-key-never-used-in-production") or ""
ALLOWED_HOSTS = env_list("GOLDENTHREAD_ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "[::1]"]

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405

if DEBUG:
    # While developing, static files come straight from the app folders, and
    # an edited file shows at the next request: no collectstatic, no hashing.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    STATIC_ROOT = None
    STORAGES = {
        **STORAGES,  # noqa: F405
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
