from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PeriodField
from core.periods import previous_period


class CloseForm(forms.Form):
    """The month finance closes; defaults to last month."""

    period = PeriodField(help_text=_("YYYY-MM, e.g. 2012-03"))
    in_order = forms.BooleanField(
        label=_("Close the earlier unclosed months first, in order"),
        required=False,
        help_text=_("Months close in order: each earlier month is closed (and invoiced) before this one."),
    )

    @classmethod
    def initial_for(cls, current: str) -> dict:
        return {"period": previous_period(current)}


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


class DisputeAnswerForm(forms.Form):
    """Finance's answer to a disputed invoice line: a reply, or a credit note of the invoice."""

    REPLY, CREDIT = "reply", "credit"
    answer = forms.CharField(
        label=_("Answer to the agency"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The agency's contact reads it in the portal; with a credit note it is also its reason."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(REPLY, _("Reply only")), (CREDIT, _("Credit the invoice in full"))],
        widget=forms.RadioSelect,
        initial=REPLY,
    )
