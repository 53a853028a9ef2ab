from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django admin with the portal's site (backoffice/admin_site.py) as the default `admin.site`."""

    default_site = "backoffice.admin_site.PortalAdminSite"
