"""Dashboard figures for templates: ``{% load reporting_tags %}``."""

from django import template

register = template.Library()


@register.inclusion_tag("reporting/includes/figure.html")
def figure(value):
    """A figure: a number, a mapping or a list of rows; "no data" when there is none."""
    if value is None:
        kind = "none"
    elif isinstance(value, dict):
        kind = "dict"
    elif isinstance(value, list | tuple):
        kind = "rows" if value and isinstance(value[0], dict) else "list"
    else:
        kind = "scalar"
    rows = value if kind == "rows" else None
    header = list(rows[0].keys()) if rows else []
    return {"kind": kind, "value": value, "header": header, "rows": [[r.get(h) for h in header] for r in rows or []]}
