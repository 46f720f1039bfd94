from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import PeriodField
from core.periods import previous_period
from pricing import services as pricing


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


class PriceListChoiceField(forms.ModelChoiceField):
    """A price-list version by name and first day; the one that priced the replaced invoice says so."""

    def __init__(self, *args, original=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.original = original

    def label_from_instance(self, obj):
        label = gettext("%(list)s, from %(day)s") % {"list": obj, "day": date_format(obj.effective_from)}
        if self.original is not None and obj.pk == self.original.pk:
            label = gettext("%(label)s (priced the replaced invoice)") % {"label": label}
        return label


class ReissueForm(forms.Form):
    """A reissue prices with the list that priced the replaced invoice unless finance chooses another
    version of the year, here, visibly; the new invoice names the list and its reason says the choice."""

    price_list = PriceListChoiceField(
        label=_("Price list for the new invoice"),
        queryset=None,
        empty_label=None,
        required=False,
        help_text=_("Preselected: the list that priced the invoice it replaces. Choose another only by decision."),
    )

    def __init__(self, *args, period: str, original=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["price_list"]
        field.queryset = pricing.versions_of_year(period)
        field.original = original
        if original is not None:
            self.initial.setdefault("price_list", original.pk)


class CreditForm(ReissueForm):
    field_order = ["reason", "reissue", "price_list"]

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
        help_text=_("Prices the agency's month again with today's figures and the price list chosen below."),
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
