from django.urls import path

from . import views

app_name = "events"

# The fixed pages come before the event addresses; models.RESERVED_SLUGS keeps events off them.
urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    path("past/", views.past, name="past"),
    path("mine/", views.mine, name="mine"),
    path("clusters/<slug:slug>/", views.cluster_events, name="cluster"),
    path("registrations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
]

# Calendar feeds live outside the language prefix: a calendar program subscribes to one address for years.
calendar_urlpatterns = (
    [
        path("feed.ics", views.upcoming_feed, name="feed"),
        path("<slug:slug>.ics", views.event_calendar, name="event"),
    ],
    "calendar",
)
