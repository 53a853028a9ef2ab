from django.contrib import admin
from django.urls import include, path

from applications.urls import case_urlpatterns, solution_urlpatterns

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("clusters/", include("clusters.urls")),
    path("applications/", include("applications.urls")),
    path("cases/", include(case_urlpatterns)),
    path("events/", include("events.urls")),
    path("solutions/", include(solution_urlpatterns)),
    path("admin/", admin.site.urls),
]

handler400 = "wego_portal.errors.bad_request"
handler500 = "wego_portal.errors.server_error"
