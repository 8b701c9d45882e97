"""Production settings: HTTPS only, secure cookies, HSTS.

Refuses to start without GOLDENTHREAD_SECRET_KEY and GOLDENTHREAD_ALLOWED_HOSTS.
"""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY, env, env_list, require

require("GOLDENTHREAD_SECRET_KEY", SECRET_KEY)
require("GOLDENTHREAD_ALLOWED_HOSTS", ALLOWED_HOSTS)

DEBUG = False
CSRF_TRUSTED_ORIGINS = env_list("GOLDENTHREAD_CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env("GOLDENTHREAD_SSL_REDIRECT", "true") != "false"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
