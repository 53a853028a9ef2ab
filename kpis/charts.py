"""A line chart as numbers for an SVG template: no script, no library, the same in every browser and in print.

The template (templates/kpis/includes/line_chart.svg) draws what `line_chart` measures out: one line per
series, a dot per value, axes with round ticks, a legend. Colours are the Okabe-Ito palette (told apart by
people with colour-vision deficiencies), and each line also has its own dash pattern and marker shape.
"""

import datetime as dt
import math
from dataclasses import dataclass, field

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999933")
DASHES = ("", "8 4", "2 4", "10 4 2 4", "4 4", "12 3", "1 3", "6 2 2 2")
MARKERS = ("circle", "square", "diamond", "ring")
WIDTH, HEIGHT = 720, 340
LEFT, RIGHT, TOP, BOTTOM = 78, 16, 16, 44


@dataclass
class Series:
    label: str
    points: list[tuple[dt.date, float]]


def _svg(number: float) -> str:
    """A coordinate as SVG wants it, whatever the reader's language (templates would write "12,5" in French)."""
    return f"{number:.1f}"


@dataclass(frozen=True)
class Marker:
    """Where a value's dot is drawn: its centre, and the corner of its square (8 by 8)."""

    x: str
    y: str
    left: str
    top: str

    @classmethod
    def at(cls, x: float, y: float) -> "Marker":
        return cls(_svg(x), _svg(y), _svg(x - 4), _svg(y - 4))


@dataclass
class Point:
    marker: Marker
    on: dt.date
    value: float


@dataclass
class Line:
    label: str
    colour: str
    dash: str
    marker: str
    points: list[Point]
    path: str = ""


@dataclass
class Tick:
    position: str
    value: object


LEGEND_MARKER = Marker.at(18, 8)


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    bottom_edge: int = HEIGHT - BOTTOM
    lines: list[Line] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)

    legend_marker: Marker = LEGEND_MARKER

    @property
    def legend_height(self) -> int:
        return 22 * len(self.lines) + 8

    @property
    def full_height(self) -> int:
        return self.height + self.legend_height


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values (1, 2 or 5 times a power of ten apart) that cover low..high."""
    if high == low:
        high = low + (abs(low) or 1)
    step = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= step)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 0.5 and len(ticks) < 12:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _date_ticks(first: dt.date, last: dt.date) -> list[dt.date]:
    """At most six dates, on the first of a month, between first and last."""
    months = (last.year - first.year) * 12 + last.month - first.month
    step = max(1, math.ceil((months + 1) / 6))
    ticks, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        day = dt.date(year, month, 1)
        if first <= day <= last:
            ticks.append(day)
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return ticks or [first]


def line_chart(series: list[Series]) -> Chart | None:
    """The chart of `series` (each its points, date and value, in one unit); None when nothing is to be drawn."""
    series = [s for s in series if s.points]
    if not series:
        return None
    chart = Chart()
    dates = [on for s in series for on, _value in s.points]
    values = [value for s in series for _on, value in s.points]
    first, last = min(dates), max(dates)
    if first == last:
        first, last = first - dt.timedelta(days=15), last + dt.timedelta(days=15)
    y_ticks = nice_ticks(min(0.0, min(values)), max(values))
    low, high = y_ticks[0], y_ticks[-1]
    span_x = (last - first).days
    plot_width, plot_height = chart.right_edge - chart.left, chart.bottom_edge - chart.top

    def x_of(on: dt.date) -> float:
        return chart.left + (on - first).days / span_x * plot_width

    def y_of(value: float) -> float:
        return chart.bottom_edge - (value - low) / (high - low) * plot_height

    chart.y_ticks = [Tick(_svg(y_of(value)), value) for value in y_ticks]
    chart.x_ticks = [Tick(_svg(x_of(on)), on) for on in _date_ticks(first, last)]
    for index, one in enumerate(series):
        points = [Point(Marker.at(x_of(on), y_of(value)), on, value) for on, value in sorted(one.points)]
        line = Line(
            label=one.label,
            colour=PALETTE[index % len(PALETTE)],
            dash=DASHES[index % len(DASHES)],
            marker=MARKERS[index % len(MARKERS)],
            points=points,
        )
        line.path = " ".join(f"{'M' if n == 0 else 'L'}{p.marker.x},{p.marker.y}" for n, p in enumerate(points))
        chart.lines.append(line)
    return chart
