"""Reads about organisations that several pages share."""

from django.db.models import Count, Q

from .models import Organisation


def organisation_figures() -> dict[str, int]:
    """How many cities, companies and other organisations take part, in one query."""
    kinds = Organisation.Kind
    return Organisation.objects.aggregate(
        cities=Count("pk", filter=Q(kind=kinds.CITY)),
        companies=Count("pk", filter=Q(kind=kinds.COMPANY)),
        other_organisations=Count("pk", filter=Q(kind__in=[kinds.NONPROFIT, kinds.ACADEMIA, kinds.OTHER])),
    )
