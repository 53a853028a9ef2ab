from django.shortcuts import render

from accounts.selectors import organisation_figures
from clusters.models import Cluster
from clusters.selectors import cluster_figures
from events.models import Event


def home(request):
    """The programme in plain words, with figures counted live from the database."""
    clusters = Cluster.objects.open().filter(kind=Cluster.Kind.THEMATIC).order_by("status", "name")
    upcoming = Event.objects.upcoming()
    return render(
        request,
        "home.html",
        {
            "figures": {
                **organisation_figures(),
                **cluster_figures(),
                "upcoming_events": upcoming.count(),
            },
            "clusters": clusters,
            "next_events": upcoming[:3],
        },
    )
