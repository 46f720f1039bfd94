"""Charts as server-side SVG (pygal), the same on pages and in PDFs.

pygal's JavaScript is switched off; the SVG is shown through an <img> with a
data: URI, so the page's CSP (no inline scripts or styles) is kept: styles
inside an image document do not belong to the page.
"""

import base64
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

    @property
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


def _render(chart, title) -> Chart:
    # pygal always writes its config as a <script>; a static chart has no use for it.
    return Chart(title=title, svg=SCRIPT.sub(b"", chart.render(is_unicode=False)))


def bar_chart(*, title: str, labels: list[str], series: dict[str, list], stacked=False) -> Chart:
    """Bars per label, one colour per series (stacked: the series add up)."""
    kind = pygal.StackedBar if stacked else pygal.Bar
    chart = _config(
        kind(style=STYLE, width=800, height=360, legend_at_bottom=True, x_label_rotation=0, print_values=False),
        title,
    )
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, [None if v is None else float(v) for v in values])
    return _render(chart, title)


TARGET_COLOUR = "#b3261e"


def line_chart(*, title: str, labels: list[str], series: dict[str, list], target=None) -> Chart:
    """Lines per series; ``target`` = (name, value) draws the target as a red dashed line."""
    style = STYLE
    if target is not None:
        style = Style(**{**STYLE.to_dict(), "colors": (*STYLE.colors[: len(series)], TARGET_COLOUR)})
    chart = _config(pygal.Line(style=style, width=800, height=360, legend_at_bottom=True, x_label_rotation=30), title)
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, [None if v is None else float(v) for v in values])
    if target is not None:
        chart.add(
            target[0],
            [float(target[1])] * len(labels),
            show_dots=False,
            stroke_style={"width": 3, "dasharray": "10,6"},
        )
    return _render(chart, title)


def hbar_chart(*, title: str, labels: list[str], values: list, series_name: str) -> Chart:
    """One horizontal bar per label, e.g. each indicator as a percentage of its target."""
    height = 80 + 36 * len(labels)
    chart = _config(pygal.HorizontalBar(style=STYLE, width=800, height=height, show_legend=False), title)
    chart.x_labels = labels
    chart.add(series_name, [None if v is None else float(v) for v in values])
    return _render(chart, title)
