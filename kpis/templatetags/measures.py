"""Numbers of measured values formatted for the reader's language: grouped, without trailing zeros."""

from decimal import Decimal

from django import template

from ..figures import measure

register = template.Library()


@register.filter
def quantity(value: Decimal | float | None) -> str:
    """12000.500000 -> "12,000.5" in English, "12 000,5" in French; None -> "—"."""
    return measure(value)


@register.filter
def figure(value: Decimal | float | None) -> str:
    """A compared (converted) value, with the decimals its size deserves: 19,167; 9.5; 0.0125."""
    return measure(value, rounded=True)


@register.filter
def percent(value: float | None) -> str:
    """Signed, one decimal: +12.5 %; None -> "—"."""
    if value is None:
        return "—"
    return f"{'+' if value > 0 else ''}{measure(round(value, 1))} %"


@register.filter
def share(value: float | None) -> str:
    """Unsigned, one decimal: 62.5 %; None -> "—"."""
    if value is None:
        return "—"
    return f"{measure(round(value, 1))} %"
