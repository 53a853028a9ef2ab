"""The URL configuration: pages people read carry a language prefix (/en/, /ko/, /es/, /fr/); machine
addresses do not.

Unprefixed: the calendar feeds (subscribed to once, for years), the language switch (a form target) and the
back office (/admin/: staff bookmarks and the admin's own links stay stable; it speaks the staff member's
preferred language, or the language cookie, through the locale middleware). Every other page is under
i18n_patterns, so an unprefixed address such as /clusters/ redirects to the visitor's language.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from applications.urls import benchmark_urlpatterns, case_urlpatterns, solution_urlpatterns
from events.urls import calendar_urlpatterns
from frontoffice import views

urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("events/", include(calendar_urlpatterns)),
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("", views.home, name="home"),
        path("accounts/", include("allauth.urls")),
        path("me/", include("accounts.urls")),
        path("clusters/", include("clusters.urls")),
        path("applications/", include("applications.urls")),
        path("cases/", include(case_urlpatterns)),
        path("events/", include("events.urls")),
        path("solutions/", include(solution_urlpatterns)),
        path("benchmarks/", include(benchmark_urlpatterns)),
    ),
]

handler400 = "core.errors.bad_request"
handler500 = "core.errors.server_error"
