"""WSGI entry point. Production uses goldenthread.web.settings.production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.web.settings.production")

application = get_wsgi_application()
