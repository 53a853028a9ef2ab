from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django admin with the portal's site (wego_portal/admin_site.py) as the default `admin.site`."""

    default_site = "wego_portal.admin_site.PortalAdminSite"
