"""Form fields shared by the apps' forms and filters."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import RangeWidget

from .periods import validate_period


def period_input(**attrs) -> forms.TextInput:
    """The text box of a month: its placeholder in the reader's language (ÅÅÅÅ-MM in Swedish)."""
    return forms.TextInput(attrs={"placeholder": _("YYYY-MM"), "inputmode": "numeric", "size": 8, **attrs})


class PeriodField(forms.CharField):
    """A month written ``YYYY-MM``, checked by core.periods (format and year range)."""

    default_validators = [validate_period]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Period"))
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("widget", period_input())
        super().__init__(**kwargs)


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: each field's errors on that field when the
    form has it, everything else (and a plain list of messages) above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class DateRangeWidget(RangeWidget):
    """Two dates, from and to, each with its own accessible name (the field's label is the fieldset's legend)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"type": "date", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], (_("from"), _("to")), strict=False):
            subwidget["attrs"]["aria-label"] = label
        return context
