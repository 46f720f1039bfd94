from django import forms
from django.utils.translation import gettext_lazy as _

from .models import HonourAward


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AwardForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=HonourAward.Decision.choices)
    ceremony_on = forms.DateField(label=_("Ceremony"), widget=DateInput(), required=False)
    gift = forms.ChoiceField(label=_("Gift"), choices=[("", "–"), *HonourAward.Gift.choices], required=False)
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class HonourListImportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: personnummer;agency, optionally employed_since;name. See the README."),
    )


class WorkForm(forms.Form):
    fte = forms.DecimalField(label=_("FTE on honour awards"), min_value=0, max_value=10, decimal_places=2)
