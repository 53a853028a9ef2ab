"""`{{ membership.motivation|excerpt }}`: every e-mail template quotes typed text through this filter."""

from django import template

from ..excerpts import excerpt as _excerpt

register = template.Library()


@register.filter
def excerpt(text: str) -> str:
    return _excerpt(text)
