"""Charts as server-side SVG (pygal), the same on pages and in PDFs.

pygal's JavaScript is switched off; the SVG is shown through an <img> with a
data: URI, so the page's CSP (no inline scripts or styles) is kept: styles
inside an image document do not belong to the page.
"""

import base64
import functools
import math
import re
from dataclasses import dataclass

import pygal
from django.utils import formats
from django.utils.formats import date_format
from django.utils.translation import get_language
from pygal.style import Style

from core.periods import period_start

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1d2430",
    foreground_strong="#1d2430",
    foreground_subtle="#5b6575",
    colors=("#1f4e79", "#5b9bd5", "#ed7d31", "#a5a5a5", "#ffc000", "#70ad47", "#b3261e"),
    font_family="DejaVu Sans, Arial, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    title_font_size=14,
    value_font_size=10,
)


@dataclass(frozen=True)
class Chart:
    title: str
    svg: bytes

    @functools.cached_property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")


def month_label(period: str) -> str:
    """A month on a chart's axis in the reader's language: "dec 2012"."""
    return date_format(period_start(period), "b Y")


def _number(value, places: int = 0) -> str:
    """Figures on the axes and bars in the locale's format: 3 558 333, 92,5 (a whole number without decimals)."""
    if value is None:
        return ""
    value = round(value, places)
    return formats.number_format(value, 0 if float(value).is_integer() else places, use_l10n=True, force_grouping=True)


def _places(values) -> int:
    """Whole numbers stay whole; figures with decimals get one."""
    return 0 if all(v is None or float(v).is_integer() for v in values) else 1


def _nice_range(values, *, floor_zero: bool) -> tuple[int, int]:
    """An axis from the data with room above and below, so that no line lies on the chart's edge
    and no bar is clipped: 15 % of the spread (at least 5 % of the largest value) on either side."""
    present = [v for v in values if v is not None]
    if not present:
        return (0, 1)
    low, high = min(present), max(present)
    pad = max((high - low) * 0.15, abs(high) * 0.05, 1)
    bottom = 0 if floor_zero or low - pad < 0 <= low else low - pad
    return (math.floor(bottom), math.ceil(high + pad))


def _config(chart, title, *, places: int = 0, rotate_labels: bool = False):
    chart.title = title
    chart.js = []  # no scripts in the SVG
    chart.truncate_label = -1
    chart.truncate_legend = -1
    chart.disable_xml_declaration = False
    chart.value_formatter = functools.partial(_number, places=places)
    if rotate_labels:
        chart.x_label_rotation = 30
    return chart


def _long_labels(labels) -> bool:
    """Labels that would run into each other side by side on an 800 px chart."""
    return bool(labels) and sum(len(label) for label in labels) * 7.5 > 640


SCRIPT = re.compile(rb"<script\b.*?</script>", re.DOTALL)

# pygal drew the unit dashboard's three charts on every view (~18 ms a request), although a closed
# month's charts never change. Charts are cached by their content (kind, title, labels, series, target,
# all as plain strings and floats, in the active language), so the same figures give the same
# image without pygal, and any changed figure, label or language is a different chart.
# A cached chart holds its SVG and data: URI, ~80 KB for 13 months × 5 channels: 64 of them ≤ ~5 MB.
CACHE_SIZE = 64

Values = tuple[float | None, ...]
Series = tuple[tuple[str, Values], ...]


def _all(series: Series) -> list[float | None]:
    return [v for _name, values in series for v in values]


def _values(values) -> Values:
    return tuple(None if v is None else float(v) for v in values)


def _series(series: dict) -> Series:
    return tuple((str(name), _values(values)) for name, values in series.items())


def _render(chart, title) -> Chart:
    # pygal always writes its config as a <script>; a static chart has no use for it.
    return Chart(title=title, svg=SCRIPT.sub(b"", chart.render(is_unicode=False)))


def bar_chart(*, title: str, labels: list[str], series: dict[str, list], stacked=False) -> Chart:
    """Bars per label, one colour per series (stacked: the series add up)."""
    key = (str(title), tuple(str(label) for label in labels), _series(series), bool(stacked), get_language())
    return _bar_chart(*key)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _bar_chart(title: str, labels: tuple[str, ...], series: Series, stacked: bool, language: str) -> Chart:
    kind = pygal.StackedBar if stacked else pygal.Bar
    if stacked:
        totals = [sum(v or 0 for v in column) for column in zip(*(values for _n, values in series), strict=True)]
    else:
        totals = _all(series)
    chart = _config(
        kind(style=STYLE, width=800, height=360, legend_at_bottom=True, print_values=False),
        title,
        places=_places(_all(series)),
        rotate_labels=_long_labels(labels),
    )
    chart.range = _nice_range(totals, floor_zero=True)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return _render(chart, title)


TARGET_COLOUR = "#b3261e"


def line_chart(*, title: str, labels: list[str], series: dict[str, list], target=None) -> Chart:
    """Lines per series; ``target`` = (name, value) draws the target as a red dashed line, (name, [values])
    a target of its own for each label (a month's budget)."""
    key_target = None
    if target is not None:
        values = target[1] if isinstance(target[1], list | tuple) else [target[1]] * len(labels)
        key_target = (str(target[0]), tuple(None if v is None else float(v) for v in values))
    key = (str(title), tuple(str(label) for label in labels), _series(series), key_target, get_language())
    return _line_chart(*key)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _line_chart(
    title: str,
    labels: tuple[str, ...],
    series: Series,
    target: tuple[str, tuple[float | None, ...]] | None,
    language: str,
) -> Chart:
    style = STYLE
    if target is not None:
        style = Style(**{**STYLE.to_dict(), "colors": (*STYLE.colors[: len(series)], TARGET_COLOUR)})
    values = _all(series) + ([v for v in target[1] if v is not None] if target is not None else [])
    chart = _config(
        pygal.Line(style=style, width=800, height=360, legend_at_bottom=True),
        title,
        places=_places(values),
        rotate_labels=_long_labels(labels),
    )
    chart.range = _nice_range(values, floor_zero=False)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    if target is not None:
        chart.add(
            target[0],
            list(target[1]),
            show_dots=False,
            stroke_style={"width": 3, "dasharray": "10,6"},
        )
    return _render(chart, title)


def hbar_chart(*, title: str, labels: list[str], values: list, series_name: str) -> Chart:
    """One horizontal bar per label, e.g. each indicator as a percentage of its target (the value
    printed at the end of its bar; the axis reaches past the longest bar, so 111 % is not cut off)."""
    key = (str(title), tuple(str(label) for label in labels), _values(values), str(series_name), get_language())
    return _hbar_chart(*key)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _hbar_chart(title: str, labels: tuple[str, ...], values: Values, series_name: str, language: str) -> Chart:
    height = 80 + 36 * len(labels)
    chart = _config(
        pygal.HorizontalBar(style=STYLE, width=800, height=height, show_legend=False, print_values=True),
        title,
        places=_places(values),
    )
    present = [v for v in values if v is not None]
    chart.range = (0, math.ceil(max([100, *present]) * 1.12))
    chart.x_labels = list(labels)
    chart.add(series_name, list(values))
    return _render(chart, title)
