from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("mine/", views.my_teams, name="mine"),
    path("rounds/<slug:slug>/", views.round_detail, name="round"),
    path("from-application/<int:application_pk>/", views.team_form, name="form"),
    path("requests/<int:membership_pk>/", views.request_decide, name="decide"),
    path("invitations/<int:membership_pk>/", views.invitation_answer, name="answer"),
    path("<int:pk>/", views.team_detail, name="detail"),
    path("<int:pk>/edit/", views.team_edit, name="edit"),
    path("<int:pk>/roles/<int:role_pk>/ask/", views.team_ask, name="ask"),
    path("<int:pk>/invite/", views.team_invite, name="invite"),
    path("<int:pk>/leave/", views.team_leave, name="leave"),
]
