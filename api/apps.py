from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The open-data side of the portal: the REST API, its schema and documentation, feeds, the sitemap and the
    operational endpoints. Sits beside frontoffice and backoffice: it reads the domain apps, nothing imports it."""

    name = "api"
    verbose_name = "Open data and integration"

    def ready(self):
        from django.conf import settings

        from . import authentication  # noqa: F401 - registers the token's OpenAPI description

        if settings.PROMETHEUS_METRICS:
            from .observability import install_metrics

            install_metrics()
