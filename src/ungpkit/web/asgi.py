"""ASGI entry point: ``uvicorn ungpkit.web.asgi:application`` (or any ASGI server)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungpkit.web.settings")

application = get_asgi_application()
