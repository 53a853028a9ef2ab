"""The portal's URLs plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import path

from wego_portal.urls import handler400, handler500
from wego_portal.urls import urlpatterns as portal_urlpatterns

__all__ = ["handler400", "handler500", "urlpatterns"]


def broken(request):
    raise RuntimeError("a bug")


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    *portal_urlpatterns,
    path("test-errors/broken/", broken),
    path("test-errors/database/", database_gone),
    path("test-errors/forbidden/", forbidden),
]
