"""Charts as server-side SVG (pygal), the same on pages and in PDFs.

pygal's JavaScript is switched off; the SVG is shown through an <img> with a
data: URI, so the page's CSP (no inline scripts or styles) is kept: styles
inside an image document do not belong to the page.
"""

import base64
import functools
import re
from dataclasses import dataclass

import pygal
from pygal.style import Style

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


def _config(chart, title):
    chart.title = title
    chart.js = []  # no scripts in the SVG
    chart.truncate_label = -1
    chart.truncate_legend = -1
    chart.disable_xml_declaration = False
    return chart


SCRIPT = re.compile(rb"<script\b.*?</script>", re.DOTALL)

# pygal drew the unit dashboard's three charts on every view (~18 ms a request), although a closed
# month's charts never change. Charts are cached by their content (kind, title, labels, series, target,
# all as plain strings and floats, in the active language), so the same figures give the same
# image without pygal, and any changed figure, label or language is a different chart.
# A cached chart holds its SVG and data: URI, ~80 KB for 13 months × 5 channels: 64 of them ≤ ~5 MB.
CACHE_SIZE = 64

Values = tuple[float | None, ...]
Series = tuple[tuple[str, Values], ...]


def _values(values) -> Values:
    return tuple(None if v is None else float(v) for v in values)


def _series(series: dict) -> Series:
    return tuple((str(name), _values(values)) for name, values in series.items())


def _render(chart, title) -> Chart:
    # pygal always writes its config as a <script>; a static chart has no use for it.
    return Chart(title=title, svg=SCRIPT.sub(b"", chart.render(is_unicode=False)))


def bar_chart(*, title: str, labels: list[str], series: dict[str, list], stacked=False) -> Chart:
    """Bars per label, one colour per series (stacked: the series add up)."""
    return _bar_chart(str(title), tuple(str(label) for label in labels), _series(series), bool(stacked))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _bar_chart(title: str, labels: tuple[str, ...], series: Series, stacked: bool) -> Chart:
    kind = pygal.StackedBar if stacked else pygal.Bar
    chart = _config(
        kind(style=STYLE, width=800, height=360, legend_at_bottom=True, x_label_rotation=0, print_values=False),
        title,
    )
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return _render(chart, title)


TARGET_COLOUR = "#b3261e"


def line_chart(*, title: str, labels: list[str], series: dict[str, list], target=None) -> Chart:
    """Lines per series; ``target`` = (name, value) draws the target as a red dashed line."""
    key_target = None if target is None else (str(target[0]), float(target[1]))
    return _line_chart(str(title), tuple(str(label) for label in labels), _series(series), key_target)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _line_chart(title: str, labels: tuple[str, ...], series: Series, target: tuple[str, float] | None) -> Chart:
    style = STYLE
    if target is not None:
        style = Style(**{**STYLE.to_dict(), "colors": (*STYLE.colors[: len(series)], TARGET_COLOUR)})
    chart = _config(pygal.Line(style=style, width=800, height=360, legend_at_bottom=True, x_label_rotation=30), title)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    if target is not None:
        chart.add(
            target[0],
            [target[1]] * len(labels),
            show_dots=False,
            stroke_style={"width": 3, "dasharray": "10,6"},
        )
    return _render(chart, title)


def hbar_chart(*, title: str, labels: list[str], values: list, series_name: str) -> Chart:
    """One horizontal bar per label, e.g. each indicator as a percentage of its target."""
    return _hbar_chart(str(title), tuple(str(label) for label in labels), _values(values), str(series_name))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _hbar_chart(title: str, labels: tuple[str, ...], values: Values, series_name: str) -> Chart:
    height = 80 + 36 * len(labels)
    chart = _config(pygal.HorizontalBar(style=STYLE, width=800, height=height, show_legend=False), title)
    chart.x_labels = list(labels)
    chart.add(series_name, list(values))
    return _render(chart, title)
