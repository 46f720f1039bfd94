"""The portal's forms: feedback from an agency contact, a dispute of an invoice line."""

from django import forms
from django.utils.translation import gettext_lazy as _

from customers.models import Complaint


class FeedbackForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[(Complaint.Kind.FEEDBACK, _("Feedback")), (Complaint.Kind.COMPLAINT, _("Complaint"))],
    )
    category = forms.ChoiceField(label=_("What it is about"), choices=Complaint.Category.choices)
    description = forms.CharField(
        label=_("Your feedback"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Name the case number when it is about a case; no personal identity numbers, please."),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0]


class DisputeForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Invoice line"), queryset=None, empty_label=None)
    reason = forms.CharField(
        label=_("What is wrong"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("E.g. the quantity you expected and why; name case numbers, never personal identity numbers."),
    )

    def __init__(self, *args, invoice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = invoice.lines.all()
        self.fields["line"].label_from_instance = lambda line: f"{line.position}. {line.name}: {line.amount} kr"
