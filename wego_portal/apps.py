from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "wego_portal"
    verbose_name = _("WeGO Cluster Portal")

    def ready(self):
        from . import caches

        # Saved and deleted rows retire the cached pages and reads that show them (wego_portal/caches.py).
        caches.connect()
