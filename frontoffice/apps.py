from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontofficeConfig(AppConfig):
    """The public site's pieces that compose several domain apps: the home page, the navigation's links, the
    language switch and the demo data. Like backoffice for staff, it may import every domain app; none imports it."""

    name = "frontoffice"
    verbose_name = _("Public site")
