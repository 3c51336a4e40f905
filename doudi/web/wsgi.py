"""WSGI entry point: ``waitress-serve doudi.web.wsgi:application`` or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.web.settings")
application = get_wsgi_application()
