from django.urls import path

from . import views

app_name = "clusters"

# "lead" and "suggest" come before the cluster addresses; models.RESERVED_SLUGS keeps clusters off them.
urlpatterns = [
    path("", views.cluster_list, name="list"),
    path("lead/", views.leader_page, name="lead"),
    path("lead/requests/<int:pk>/", views.membership_decide, name="decide"),
    path("lead/<slug:slug>/emails/", views.leader_email_preference, name="email_preference"),
    path("suggest/", views.theme_suggest, name="suggest"),
    path("<slug:slug>/", views.cluster_detail, name="detail"),
    path("<slug:slug>/join/", views.cluster_join, name="join"),
    path("<slug:slug>/leave/", views.cluster_leave, name="leave"),
    path("<slug:slug>/withdraw/", views.cluster_withdraw, name="withdraw"),
]
