from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import PeriodField
from core.periods import parse_period
from organisation.models import Target

from .models import Commitment, CommitmentAssessment, ControlPlanItem, ReportKind


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


class AssessmentForm(forms.Form):
    commitment = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)
    tertial = forms.TypedChoiceField(widget=forms.HiddenInput, coerce=int, choices=[(1, 1), (2, 2), (3, 3)])
    status = forms.ChoiceField(label=_("Self-assessment"), choices=[("", "–"), *CommitmentAssessment.Status.choices])
    text = forms.CharField(label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class IndicatorCommentForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)
    tertial = forms.TypedChoiceField(widget=forms.HiddenInput, coerce=int, choices=[(1, 1), (2, 2), (3, 3)])
    indicator = forms.CharField(widget=forms.HiddenInput, max_length=40)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )
    action = forms.CharField(
        label=pgettext_lazy("indicator", "Action"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )

    def clean(self):
        data = super().clean()
        if not (data.get("comment") or "").strip() and not (data.get("action") or "").strip():
            raise ValidationError(_("Write a comment or an action."))
        return data


class ControlPlanItemForm(forms.ModelForm):
    class Meta:
        model = ControlPlanItem
        fields = ["year", "risk", "probability", "consequence", "control", "responsible", "schedule"]
        widgets = {"control": forms.Textarea(attrs={"rows": 3})}


class SubscriptionForm(forms.Form):
    kind = forms.ChoiceField(choices=ReportKind.choices)
    subscribe = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", "1"), ("0", "0")])


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["year", "order", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
