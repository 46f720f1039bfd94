from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lonservice.forms import PeriodField
from lonservice.periods import parse_period, previous_period

from .models import Target


def _period_field(**kwargs):
    return PeriodField(help_text=_("YYYY-MM, e.g. 2012-03"), **kwargs)


class PeriodForm(forms.Form):
    period = _period_field()


class CloseForm(PeriodForm):
    """The month finance closes; defaults to last month."""

    @classmethod
    def initial_for(cls, current: str) -> dict:
        return {"period": previous_period(current)}


class TertialForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    tertial = forms.TypedChoiceField(
        label=_("Tertial"),
        coerce=int,
        choices=[(1, _("1 (Jan–Apr)")), (2, _("2 (May–Aug)")), (3, _("3 (Sep–Dec)"))],
    )


class ProductivityForm(forms.Form):
    SCOPES = [("month", _("Month")), ("tertial", _("Tertial"))]
    scope = forms.ChoiceField(label=_("Per"), choices=SCOPES, initial="month")
    period = _period_field(required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    tertial = forms.TypedChoiceField(
        label=_("Tertial"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=TertialForm.base_fields["tertial"].choices,
    )

    def clean(self):
        data = super().clean()
        if data.get("scope") == "tertial":
            if not data.get("year") or not data.get("tertial"):
                raise ValidationError(_("Choose the year and the tertial."))
        else:
            period = (data.get("period") or "").strip()
            if not period:
                self.add_error("period", _("Enter the month."))
            else:
                try:
                    parse_period(period)
                except ValidationError as exc:
                    self.add_error("period", exc)
            data["period"] = period
        return data


class CreditForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the credit note, e.g. what was wrong on the invoice."),
    )
    reissue = forms.BooleanField(
        label=_("Issue a new invoice for the month at once"),
        required=False,
        initial=True,
        help_text=_("Prices the agency's month again with the price list and today's figures."),
    )


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["indicator", "year", "value", "note"]
