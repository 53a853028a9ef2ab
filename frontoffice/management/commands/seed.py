from django.core.management.base import BaseCommand
from django.db import transaction

from clusters.seed import seed_clusters
from events.seed import seed_events
from kpis.seed import seed_indicators


class Command(BaseCommand):
    help = (
        "Load the facts from the programme documents (thematic clusters, the 2018 events) and the starter indicator "
        "catalogue. Safe to re-run."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        clusters = seed_clusters()
        events = seed_events()
        indicators = seed_indicators()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seed data loaded: {clusters} new clusters, {events} new events, {indicators} new indicators."
            )
        )
