"""Form fields shared by the apps' forms and filters."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .periods import validate_period


class PeriodField(forms.CharField):
    """A month written ``YYYY-MM``, checked by core.periods (format and year range)."""

    default_validators = [validate_period]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Period"))
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "YYYY-MM", "inputmode": "numeric", "size": 8})
        )
        super().__init__(**kwargs)


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: each field's errors on that field when the
    form has it, everything else (and a plain list of messages) above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
