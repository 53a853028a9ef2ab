import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wego_portal.settings")
application = get_asgi_application()

from core.startup import freeze_startup_objects  # noqa: E402 (needs the apps that get_asgi_application loads)

freeze_startup_objects()
