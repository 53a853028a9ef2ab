"""The portal's URLs plus the benchmark's floor: the cheapest response the same stack can serve."""

from django.http import HttpResponse
from django.urls import path

from wego_portal.urls import urlpatterns as portal_urlpatterns


def floor(request):
    """A fixed short response with no database and no template: what the framework alone costs."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *portal_urlpatterns]
