"""Form fields shared by the apps' forms and filters."""

from django import forms
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
