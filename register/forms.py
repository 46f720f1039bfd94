from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .services import DEFAULT_LEAD_DAYS, default_deadline


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegisterImportForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty for %(days)d working days after the day the file was received.")
        % {"days": DEFAULT_LEAD_DAYS},
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: personnummer;name;street_address;postal_code;city;protected_identity, "
            "optionally care_of;deceased_on. See the README."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        received = data.get("received_on")
        if received and not data.get("deadline"):
            data["deadline"] = default_deadline(received)
        if received and data.get("deadline") and data["deadline"] < received:
            message = _("The deadline cannot be before the day the file was received.")
            self.add_error("deadline", ValidationError(message))
        return data
