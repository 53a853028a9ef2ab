"""Reads of the indicator catalogue that pages reuse."""

from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.utils.translation import get_language

from core.languages import translation_columns

from .models import Indicator


def _name_columns() -> list[str]:
    return translation_columns("name")


def catalogue_choices() -> list[Indicator]:
    """The catalogue for the worksheet's list of suggestions, in the reader's language, each with its
    `cluster_list`: two queries (a list rather than a related manager: no query set made for each indicator)."""
    return list(
        Indicator.objects.catalogue()
        .prefetch_related(Prefetch("clusters", to_attr="cluster_list"))
        .order_by(Lower(f"name_{_language()}"), "pk")
    )


def _language() -> str:
    language = (get_language() or "en").split("-")[0]
    return language if f"name_{language}" in _name_columns() else "en"


def indicator_named(name: str, *, proposals: bool = True) -> Indicator | None:
    """The catalogue indicator with this name in any language (case ignored); else, with `proposals`, a proposal
    of that name, so that two cities typing the same new indicator share one proposal."""
    name = " ".join(name.split())
    if not name:
        return None
    same_name = Q()
    for column in _name_columns():
        same_name |= Q(**{f"{column}__iexact": name})
    found = Indicator.objects.filter(same_name)
    if not proposals:
        found = found.catalogue()
    # The catalogue's indicator before any proposal of the same name.
    return found.order_by("status", "pk").first()


def catalogue_listing(*, q: str = "", cluster=None):
    """The catalogue as the API lists it: an indicator whose name in any language holds `q`, suiting `cluster`."""
    indicators = Indicator.objects.catalogue().prefetch_related("clusters")
    if q:
        name_holds = Q()
        for column in _name_columns():
            name_holds |= Q(**{f"{column}__icontains": q})
        indicators = indicators.filter(name_holds)
    if cluster is not None:
        indicators = indicators.filter(clusters=cluster)
    return indicators
