from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("data.json", views.data_download, name="data_download"),
    path("delete/", views.account_delete, name="account_delete"),
    path("organisation/", views.organisation_detail, name="organisation"),
    path("organisation/start/", views.organisation_start, name="organisation_start"),
    path("organisation/new/", views.organisation_create, name="organisation_create"),
    path("organisation/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisation/join/", views.organisation_join, name="organisation_join"),
    path("organisation/join/cancel/", views.membership_cancel, name="membership_cancel"),
    path("organisation/requests/<int:pk>/", views.membership_decide, name="membership_decide"),
    path("organisation/people/<int:pk>/role/", views.membership_role, name="membership_role"),
    path("organisation/people/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    path("organisation/leave/", views.organisation_leave, name="organisation_leave"),
]
