from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Agency
from people.identity import normalize_personnummer

from .models import Certificate, MailItem


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Certificate.Kind.choices)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    personnummer = forms.CharField(label=_("Personal identity number"), max_length=13)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    requested_by = forms.ChoiceField(label=_("Requested by"), choices=Certificate.RequestedBy.choices)
    requester = forms.CharField(
        label=_("Requester"), max_length=200, required=False, help_text=_("Who asked, and how to reach them")
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=200, required=False, help_text=_("E.g. a housing loan or the unemployment fund")
    )
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies.order_by("code")
        self.fields["received_on"].initial = timezone.localdate()

    def clean_personnummer(self):
        return normalize_personnummer(self.cleaned_data["personnummer"])


class IssueForm(forms.Form):
    title = forms.CharField(label=_("Position"), max_length=150, required=False)
    extent = forms.CharField(label=_("Extent of employment"), max_length=60, required=False, help_text=_("E.g. 100 %"))
    employment_form = forms.CharField(
        label=_("Form of employment"), max_length=100, required=False, help_text=_("E.g. permanent or fixed-term")
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class MailForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    sender = forms.CharField(label=_("Sender"), max_length=200)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("What it is"), choices=MailItem.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    case_reference = forms.CharField(
        label=_("Went to case"), max_length=30, required=False, help_text=_("E.g. L-123 or INT-2025-00001")
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)

    def __init__(self, *args, agencies, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies.order_by("code")
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()
        self.fields["received_on"].initial = timezone.localdate()
