"""Template helpers of the shared layout: ``{% load ui %}``."""

import datetime as dt

from django import template
from django_tables2.utils import A, AttributeDict

register = template.Library()


@register.simple_tag
def td_attrs(column, record) -> str:
    """A django-tables2 cell's attributes; a date or a time never wraps across lines."""
    attrs = AttributeDict(column.attrs.get("td", {}))
    value = A(column.accessor).resolve(record, quiet=True) if column.accessor else None
    classes = str(attrs.get("class") or "")
    if isinstance(value, dt.date) and "nowrap" not in classes.split():
        attrs["class"] = f"{classes} nowrap".strip()
    return attrs.as_html()
