from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("clusters/", include("clusters.urls")),
    path("events/", include("events.urls")),
    path("admin/", admin.site.urls),
]
