from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The open-data side of the portal: the REST API, its schema and documentation, feeds, the sitemap and the
    operational endpoints. Sits beside frontoffice and backoffice: it reads the domain apps, nothing imports it."""

    name = "api"
    verbose_name = "Open data and integration"
