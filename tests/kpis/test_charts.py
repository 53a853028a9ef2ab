"""The benchmark chart's markers (kpis/templatetags/charts.py): a line's shape at each value and in its legend."""

import datetime as dt
from xml.etree import ElementTree

from django.template.loader import render_to_string

from kpis import charts
from kpis.templatetags.charts import chart_marker

SVG = "{http://www.w3.org/2000/svg}"


def test_each_line_draws_its_own_marker_shape_at_each_value_and_in_the_legend():
    days = [dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2026, 7, 1)]
    series = [
        charts.Series(label=f"City {n}: project", points=[(day, 10.0 + n + i) for i, day in enumerate(days)])
        for n in range(4)
    ]
    chart = charts.line_chart(series)
    svg = render_to_string(
        "kpis/includes/line_chart.svg", {"chart": chart, "title": "Energy", "description": "Four cities", "unit": "MWh"}
    )

    drawing = ElementTree.fromstring(svg)  # well-formed SVG
    circles, rects = drawing.iter(f"{SVG}circle"), list(drawing.iter(f"{SVG}rect"))
    # Circles (filled) and rings for the first and fourth lines, squares and diamonds for the second and third: three
    # values and a legend entry each.
    assert len(list(circles)) == 2 * (len(days) + 1) and len(rects) == 2 * (len(days) + 1)
    assert sum(1 for rect in rects if rect.get("transform", "").startswith("rotate(45 ")) == len(days) + 1
    colours = [line.colour for line in chart.lines]
    assert {element.get("fill") for element in rects} == {colours[1], colours[2]}


def test_a_marker_is_drawn_at_its_point_with_its_colour_escaped():
    at = charts.Marker.at(100, 50)
    assert chart_marker(at, "square", "#0072B2") == '<rect x="96.0" y="46.0" width="8" height="8" fill="#0072B2"/>'
    assert chart_marker(at, "diamond", "#D55E00") == (
        '<rect x="96.0" y="46.0" width="8" height="8" fill="#D55E00" transform="rotate(45 100.0 50.0)"/>'
    )
    assert chart_marker(at, "ring", "#009E73") == (
        '<circle cx="100.0" cy="50.0" r="5" fill="#fff" stroke="#009E73" stroke-width="2.5"/>'
    )
    assert (
        chart_marker(at, "circle", '"><script>')
        == '<circle cx="100.0" cy="50.0" r="4.5" fill="&quot;&gt;&lt;script&gt;"/>'
    )
    assert chart_marker(at, "unknown", "#000") == chart_marker(at, "circle", "#000")
