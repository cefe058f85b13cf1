"""WSGI entry point for gunicorn: `gunicorn linli.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings.production")
application = get_wsgi_application()
