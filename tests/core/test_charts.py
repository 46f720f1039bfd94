"""Charts are drawn once per content: the same figures give the same image without pygal again,
and a changed figure, label, target or language gives a new chart."""

from decimal import Decimal

import pygal
import pytest
from django.utils import translation

from core import charts


@pytest.fixture
def pygal_renders(monkeypatch):
    """How many times pygal drew a chart."""
    calls = []
    original = pygal.graph.public.PublicApi.render

    def render(self, *args, **kwargs):
        calls.append(self.title)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pygal.graph.public.PublicApi, "render", render)
    for cached in (charts._bar_chart, charts._line_chart, charts._hbar_chart):
        cached.cache_clear()
    return calls


def test_the_same_figures_are_drawn_once_and_give_the_same_image(pygal_renders):
    first = charts.bar_chart(title="Payslips 2012-03", labels=["Manual", "Agresso"], series={"Payslips": [3, 4]})
    again = charts.bar_chart(
        title="Payslips 2012-03", labels=["Manual", "Agresso"], series={"Payslips": [Decimal("3"), 4.0]}
    )
    assert again.svg == first.svg and again.data_uri == first.data_uri
    assert pygal_renders == ["Payslips 2012-03"]
    assert b"<script" not in first.svg


def test_a_changed_figure_label_or_target_is_a_new_chart(pygal_renders):
    base = {"title": "Payslips per FTE", "labels": ["12-01", "12-02"], "series": {"Payslips per FTE": [90, 95]}}
    one = charts.line_chart(**base, target=("Target", 100))
    other_value = charts.line_chart(**{**base, "series": {"Payslips per FTE": [90, 96]}}, target=("Target", 100))
    other_label = charts.line_chart(**{**base, "labels": ["12-01", "12-03"]}, target=("Target", 100))
    other_target = charts.line_chart(**base, target=("Target", 110))
    no_target = charts.line_chart(**base)
    svgs = {c.svg for c in (one, other_value, other_label, other_target, no_target)}
    assert len(svgs) == 5 and len(pygal_renders) == 5
    assert b"12-03" in other_label.svg and b"12-03" not in one.svg
    hbar = charts.hbar_chart(title="Indicators", labels=["Lead time"], values=[80], series_name="% of target")
    assert charts.hbar_chart(title="Indicators", labels=["Lead time"], values=[80], series_name="% of target") is hbar
    assert charts.hbar_chart(title="Indicators", labels=["Lead time"], values=[81], series_name="% of target") != hbar


def test_a_lazy_title_is_cached_per_language(pygal_renders):
    from django.utils.translation import gettext_lazy

    title = gettext_lazy("Target")
    with translation.override("sv"):
        swedish = charts.bar_chart(title=title, labels=["a"], series={"x": [1]})
    with translation.override("en"):
        english = charts.bar_chart(title=title, labels=["a"], series={"x": [1]})
    assert swedish.title != english.title and swedish.svg != english.svg
    assert len(pygal_renders) == 2


# --- charts that read ------------------------------------------------------------------------------


def _axis_figures(svg: bytes) -> list[str]:
    """The figures along a chart's value axis (each drawn beside its guide line), as a reader sees them."""
    import re

    labels = re.findall(r'class="[^"]*line"\s*/>\s*<text[^>]*>([^<]+)</text>', svg.decode("utf-8"))
    return [label.replace("&#160;", "\xa0") for label in labels]


def test_months_are_written_the_swedish_way():
    with translation.override("sv"):
        assert charts.month_label("2012-12") == "dec 2012"
        assert charts.month_label("2013-05") == "maj 2013"


def test_large_figures_have_swedish_thousands_separators(pygal_renders):
    with translation.override("sv"):
        chart = charts.line_chart(
            title="Fakturerat", labels=["jan 2012", "feb 2012"], series={"Fakturerat": [3_600_000, 4_000_000]}
        )
    figures = _axis_figures(chart.svg)
    assert any("\xa0000\xa0000" in figure for figure in figures), figures
    assert not any(figure.isdigit() and len(figure) > 4 for figure in figures), figures


def test_a_target_line_lies_inside_the_chart_not_on_its_edge():
    low, high = charts._nice_range([3_600_000, 4_000_000, 3_558_333], floor_zero=False)
    assert low < 3_558_333 and high > 4_000_000
    assert charts._nice_range([0, 12_000], floor_zero=True)[0] == 0


def test_a_bar_over_a_hundred_percent_is_drawn_whole_with_its_figure(pygal_renders):
    with translation.override("sv"):
        chart = charts.hbar_chart(title="Mål", labels=["Samtal", "Möten"], values=[111, 92.5], series_name="% av målet")
    text = chart.svg.decode("utf-8")
    assert ">111<" in text and ">92,5<" in text  # printed at the end of each bar, Swedish decimals
    axis = _axis_figures(chart.svg)
    assert max(int(figure) for figure in axis) > 111, axis
