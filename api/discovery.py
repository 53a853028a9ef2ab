"""robots.txt: crawlers may read the public pages, not the private ones, and are pointed at sitemap.xml."""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_GET

# Addresses under each language prefix that only a signed-in person (or nobody) reads.
PRIVATE_UNDER_LANGUAGE = [
    "accounts/",
    "me/",
    "applications/",
    "clusters/lead/",
    "clusters/suggest/",
    "events/mine/",
    "solutions/mine/",
    "solutions/new/",
]


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /i18n/"]
    for code, _name in settings.LANGUAGES:
        lines += [f"Disallow: /{code}/{path}" for path in PRIVATE_UNDER_LANGUAGE]
    lines += ["Allow: /", "", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
