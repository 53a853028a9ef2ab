"""Parts of the server-rendered charts (kpis/charts.py, templates/kpis/includes/line_chart.svg) written in Python."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..charts import Marker

register = template.Library()

_SHAPES = {
    "square": '<rect x="{left}" y="{top}" width="8" height="8" fill="{colour}"/>',
    "diamond": '<rect x="{left}" y="{top}" width="8" height="8" fill="{colour}" transform="rotate(45 {x} {y})"/>',
    "ring": '<circle cx="{x}" cy="{y}" r="5" fill="#fff" stroke="{colour}" stroke-width="2.5"/>',
    "circle": '<circle cx="{x}" cy="{y}" r="4.5" fill="{colour}"/>',
}


@register.simple_tag
def chart_marker(at: Marker, marker: str, colour: str) -> SafeString:
    """`{% chart_marker point.marker line.marker line.colour %}`: a value's dot, in the line's shape (a circle
    unless it is one of the others). A tag rather than an included template: a chart draws one for each reported
    value (some 80 on a benchmark page), and the include was most of the chart's time."""
    shape = _SHAPES.get(marker, _SHAPES["circle"])
    return format_html(shape, x=at.x, y=at.y, left=at.left, top=at.top, colour=colour)
