from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import PeriodField
from core.periods import parse_period
from organisation.models import Target


def _period_field(**kwargs):
    return PeriodField(help_text=_("YYYY-MM, e.g. 2012-03"), **kwargs)


class PeriodForm(forms.Form):
    period = _period_field()


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


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["indicator", "year", "value", "note"]
