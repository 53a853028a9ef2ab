"""The indicator catalogue as the worksheet shows it: `{% indicator_catalogue list_id %}`."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.caches import kept

from ..selectors import catalogue_choices

register = template.Library()


@register.simple_tag
def indicator_catalogue(list_id: str) -> str:
    """The suggestions a KPI row offers as its indicator is typed (a datalist with the id `list_id`) and the
    catalogue's table. The same for every city in a language, and the worksheet is shown again after each save
    of a draft: rendered once and kept under "indicator-catalogue" (core/caches.py)."""

    def render() -> str:
        return render_to_string(
            "kpis/includes/indicator_datalist.html", {"indicators": catalogue_choices(), "list_id": list_id}
        )

    return mark_safe(kept("indicator-catalogue", f"{get_language()}:{list_id}", render))  # nosec B308: ours
