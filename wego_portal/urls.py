"""The URL configuration: pages people read carry a language prefix (/en/, /ko/, /es/, /fr/); machine
addresses do not.

Unprefixed: the API (/api/: the language of its answers comes from Accept-Language or ?lang=), the calendar
feeds (subscribed to once, for years), sitemap.xml and robots.txt (at the root, where crawlers look), the health
checks (/health/), the language switch (a form target) and the back office (/admin/: staff bookmarks and the
admin's own links stay stable; it speaks the staff member's preferred language, or the language cookie, through
the locale middleware). Every other page is under i18n_patterns (the Atom feeds too: /en/feeds/cases/), so an unprefixed
address such as /clusters/ redirects to the visitor's language.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from api import health, observability
from api.discovery import robots_txt
from api.sitemaps import SITEMAPS
from api.urls import feed_urlpatterns, token_urlpatterns
from applications.urls import benchmark_urlpatterns, call_urlpatterns, case_urlpatterns, solution_urlpatterns
from clusters.views import unsubscribe
from events.urls import calendar_urlpatterns
from frontoffice import views

urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("events/", include(calendar_urlpatterns)),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("health/live", health.live, name="health_live"),
    path("health/ready", health.ready, name="health_ready"),
    path("metrics", observability.metrics, name="metrics"),
    *i18n_patterns(
        path("", views.home, name="home"),
        path("take-part/", views.take_part, name="take_part"),
        path("organisations/<int:pk>/", views.organisation_profile, name="organisation_profile"),
        path("accounts/", include("allauth.urls")),
        path("me/tokens/", include(token_urlpatterns)),
        path("me/", include("accounts.urls")),
        path("clusters/", include("clusters.urls")),
        path("applications/", include("applications.urls")),
        path("cases/", include(case_urlpatterns)),
        path("calls/", include(call_urlpatterns)),
        path("events/", include("events.urls")),
        path("teams/", include("teams.urls")),
        path("solutions/", include(solution_urlpatterns)),
        # The unsubscribe link of notification e-mails (notifications/unsubscribe.py builds it by this name).
        path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
        path("feeds/", include(feed_urlpatterns)),
        path("benchmarks/", include(benchmark_urlpatterns)),
    ),
]

handler400 = "core.errors.bad_request"
handler500 = "core.errors.server_error"
