from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app of the portal may use and that imports none of them: the page cache, the error pages,
    paginators, text and rate limits, the client's address, the admin's list and export helpers."""

    name = "core"
    verbose_name = _("WeGO Cluster Portal")

    def ready(self):
        from . import caches

        # Saved and deleted rows retire the cached pages and reads that show them (core/caches.py).
        caches.connect()
