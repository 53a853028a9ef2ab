from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "wego_portal"
    verbose_name = _("WeGO Cluster Portal")

    def ready(self):
        from .cache_versions import row_changed
        from .page_cache import content_changed

        # Any change to what the public pages show retires the cached copies (wego_portal/page_cache.py).
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(content_changed, dispatch_uid="public-pages")
        # Cached matchmaking and the leader page's cached submissions (wego_portal/cache_versions.py).
        for signal in (post_save, post_delete):
            signal.connect(row_changed, dispatch_uid="cache-versions")
