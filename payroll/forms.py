from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.documents import DocumentField
from core.forms import PeriodField
from core.periods import current_period
from customers.models import Agency
from customers.selectors import agencies_for
from organisation.selectors import units_for
from people.identity import normalize_personnummer

from . import clock
from .models import MANUAL_CHANNELS, Channel, ControlCheck, Deviation, DocumentType, MissingItem
from .services.control import MAX_SAMPLE_SIZE


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


def _period_field(**kwargs):
    return PeriodField(label=_("Pay period"), **kwargs)


class CaseForm(forms.Form):
    """Register a case from a document that has arrived."""

    agency = AgencyChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    period = _period_field(help_text=_("The month the payment belongs to, YYYY-MM."))
    personnummer = forms.CharField(
        label=_("Personal identity number"),
        max_length=20,
        help_text=_("YYYYMMDD-NNNN; coordination numbers are accepted."),
    )
    name = forms.CharField(
        label=_("Employee's name"),
        max_length=150,
        required=False,
        help_text=_("Leave it empty to use the name your unit's earlier cases of the employee give."),
    )
    document_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(c.value, c.label) for c in MANUAL_CHANNELS], initial=Channel.MANUAL
    )
    payslip_id = forms.CharField(
        label=_("Payslip id"), max_length=40, required=False, help_text=_("If the payroll system has given one.")
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    document = DocumentField(required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_for(user).order_by("code")
        self.initial.setdefault("period", current_period())
        self.initial.setdefault("received_on", timezone.localdate())

    def clean_personnummer(self):
        return normalize_personnummer(self.cleaned_data["personnummer"])

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return received_on


class ReturnForm(forms.Form):
    missing = forms.MultipleChoiceField(
        label=_("What is missing"), choices=MissingItem.choices, widget=forms.CheckboxSelectMultiple
    )
    details = forms.CharField(
        label=_("Description for the agency"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Printed on the cover letter as it is written here."),
    )
    reply_by = forms.DateField(
        label=_("Completed document due"),
        widget=DateInput(),
        help_text=_("Suggested: the next document deadline (the 8th or the next working day)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("reply_by", clock.next_deadline_after(timezone.localdate()))

    def clean(self):
        data = super().clean()
        if MissingItem.OTHER in data.get("missing", []) and not data.get("details", "").strip():
            self.add_error("details", _("Describe what else is missing."))
        if data.get("reply_by") and data["reply_by"] < timezone.localdate():
            self.add_error("reply_by", _("The date for the completed document cannot be before today."))
        return data


class DocumentArrivedForm(forms.Form):
    arrived_on = forms.DateField(label=_("Completed document arrived"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("arrived_on", timezone.localdate())


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Payslip file (CSV)"),
        help_text=_("Columns period;agency_code;payslip_id;personnummer;channel — separated by ; or , in UTF-8."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": settings.IMPORT_MAX_BYTES // 1_048_576}
            )
        return upload


class DrawSampleForm(forms.Form):
    period = _period_field()
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    size = forms.IntegerField(label=_("Sample size"), min_value=1, max_value=MAX_SAMPLE_SIZE, initial=25)
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        required=False,
        help_text=_("Leave empty for a new random draw; give an earlier sample's seed to repeat it."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from organisation.selectors import VIEW_ALL_UNITS

        self.fields["unit"].queryset = units_for(user).order_by("name")
        if user.has_perm(VIEW_ALL_UNITS):
            self.fields["unit"].empty_label = _("All units")
        else:
            self.fields["unit"].required = True
            self.fields["unit"].empty_label = None


class CheckForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in ControlCheck.Outcome.choices if c[0] != ControlCheck.Outcome.PENDING],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeviationForm(forms.Form):
    """Register a deviation (the centre's own error); the unit manager's form adds the status."""

    agency = AgencyChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    case = forms.CharField(
        label=_("Case"), max_length=20, required=False, help_text=_("The case number, e.g. L-123 (if there is one).")
    )
    occurred_on = forms.DateField(
        label=_("Date"), widget=DateInput(), help_text=_("The day of the payment or the error.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Deviation.Kind.choices)
    cause = forms.ChoiceField(label=_("Cause"), choices=Deviation.Cause.choices)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))
    correction = forms.CharField(
        label=_("Correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How the error was put right."),
    )
    corrected_on = forms.DateField(label=_("Corrected on"), required=False, widget=DateInput())
    corrective_action = forms.CharField(
        label=_("Corrective action"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What is done so that it does not happen again."),
    )

    def __init__(self, *args, user, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_for(user).order_by("code")
        self._cases = cases

    def clean_case(self):
        text = self.cleaned_data["case"].strip()
        if not text:
            return None
        digits = text.upper().removeprefix("L-").removeprefix("L")
        case = self._cases.filter(pk=int(digits)).first() if digits.isdigit() and len(digits) <= 18 else None
        if case is None:
            raise ValidationError(_("No case %(ref)s among your unit's cases.") % {"ref": text})
        return case


class DeviationFollowUpForm(DeviationForm):
    status = forms.ChoiceField(label=_("Status"), choices=Deviation.Status.choices)
