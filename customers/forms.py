import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import PeriodField
from core.periods import current_period, parse_period

from .models import (
    INTERFACE_DOCUMENT_EXTENSIONS,
    AddonAgreement,
    Agency,
    AgencyContact,
    Complaint,
    CustomerLogEntry,
    ServiceAgreement,
)

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# What the first bytes of each accepted document type look like.
DOCUMENT_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}
ITEM_CODE_RE = re.compile(r"^[a-z0-9_-]{1,40}$")


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that only validates: the view hands cleaned_data to a service, which writes
    (and runs the model's own validation). The instance is left untouched until then."""

    def _post_clean(self):
        pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AgencyForm(ServiceModelForm):
    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "kind",
            "unit",
            "functional_mailbox",
            "billing_reference",
            "account_code",
            "counterpart_code",
            "address",
            "active_from",
            "organisation_number",
            "peppol_endpoint",
            "responsibility_code",
            "activity_code",
        ]
        widgets = {"active_from": DateInput(), "address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "code": _("A short code, e.g. RK or UTB. Stored in capitals."),
            "functional_mailbox": _("The agency's shared e-mail address for payroll matters."),
            "billing_reference": _("The agency's reference to print on invoices."),
            "account_code": _("The buyer's coding from the agreement, on every invoice line and in the Agresso file."),
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = None if units.count() == 1 else "---------"

    def clean_organisation_number(self):
        """Stored as NNNNNN-NNNN whether typed with the dash or without."""
        number = self.cleaned_data["organisation_number"].strip()
        digits = number.replace("-", "")
        return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 and digits.isdigit() else number

    def clean_peppol_endpoint(self):
        return self.cleaned_data["peppol_endpoint"].strip()

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not re.fullmatch(r"[A-Z0-9ÅÄÖ_-]{1,20}", code):
            raise ValidationError(_("Use letters, digits, - and _ only."))
        clash = Agency.objects.filter(code=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("Another agency already has the code %(code)s."), params={"code": code})
        return code


class DeactivateForm(forms.Form):
    active_to = forms.DateField(
        label=_("Last day as a customer"),
        widget=DateInput(),
        help_text=_("The agency stays in the register with its history, cases and invoices."),
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["active_to"].initial = timezone.localdate()

    def clean_active_to(self):
        day = self.cleaned_data["active_to"]
        if self.agency.active_from and day < self.agency.active_from:
            raise ValidationError(
                _("The last day cannot be before the agency became a customer (%(day)s)."),
                params={"day": self.agency.active_from},
            )
        return day


class ContactForm(ServiceModelForm):
    class Meta:
        model = AgencyContact
        fields = ["name", "title", "email", "phone", "is_primary"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone"):
            raise ValidationError(_("Give an e-mail address or a phone number, so the contact can be reached."))
        return cleaned


class ServiceAgreementForm(ServiceModelForm):
    remove_document = forms.BooleanField(label=_("Remove the current document"), required=False)

    class Meta:
        model = ServiceAgreement
        fields = [
            "year",
            "valid_from",
            "valid_to",
            "signed_on",
            "lead_time_days",
            "opening_hours",
            "interface_document",
            "notes",
        ]
        widgets = {
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "signed_on": DateInput(),
            "interface_document": forms.FileInput(attrs={"accept": ".pdf,.docx,.doc,.odt"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        if not self.instance.pk:
            # Renewing is the common case: the year after the agency's latest agreement.
            latest = agency.agreements.order_by("-year").values_list("year", flat=True).first()
            year = latest + 1 if latest else timezone.localdate().year
            self.fields["year"].initial = year
            self.fields["valid_from"].initial = dt.date(year, 1, 1)
            self.fields["valid_to"].initial = dt.date(year, 12, 31)
        if not (self.instance.pk and self.instance.interface_document):
            del self.fields["remove_document"]
        self.fields["year"].widget.attrs.update(min=2000, max=2100)

    def clean_interface_document(self):
        upload = self.cleaned_data.get("interface_document")
        if not upload or not hasattr(upload, "content_type"):
            return upload  # no new file
        if upload.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in INTERFACE_DOCUMENT_EXTENSIONS:
            raise ValidationError(_("Upload a PDF, Word or ODT document."))
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(DOCUMENT_SIGNATURES[extension]):
            raise ValidationError(_("The file's contents are not a %(type)s document."), params={"type": extension})
        return upload

    def clean(self):
        cleaned = super().clean()
        year, start, end = cleaned.get("year"), cleaned.get("valid_from"), cleaned.get("valid_to")
        if year and (year < 2000 or year > 2100):
            self.add_error("year", _("Enter a year between 2000 and 2100."))
        if start and end and end < start:
            self.add_error("valid_to", _("The agreement cannot end before it starts."))
        if year and start and start.year != year:
            self.add_error("valid_from", _("The agreement for %(year)s must start in %(year)s.") % {"year": year})
        if year:
            clash = ServiceAgreement.objects.filter(agency=self.agency, year=year)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("year", _("This agency already has a service agreement for %(year)s.") % {"year": year})
        return cleaned

    def service_kwargs(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields if k != "interface_document"}
        upload = self.cleaned_data.get("interface_document")
        data["interface_document"] = upload if hasattr(upload, "content_type") else None
        data["remove_document"] = self.cleaned_data.get("remove_document", False)
        return data


class AddonAgreementForm(ServiceModelForm):
    class Meta:
        model = AddonAgreement
        fields = ["description", "item_code", "valid_from", "valid_to", "notes"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "description": _("E.g. training in Lisa Self-service, re-accounting or the organisation register."),
            "item_code": _("The price-list item the hours are invoiced at; normally addon_hour (390 SEK/h in 2012)."),
            "valid_to": _("Leave empty while the agreement runs."),
        }

    def clean_item_code(self):
        code = self.cleaned_data["item_code"].strip()
        if not ITEM_CODE_RE.match(code):
            raise ValidationError(_("Use lower-case letters, digits, - and _ only."))
        return code

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The agreement cannot end before it starts."))
        return cleaned


class AddonHoursForm(forms.Form):
    period = PeriodField(label=_("Period worked"), help_text=_("YYYY-MM, e.g. 2012-03."))
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.25"),
        max_value=999,
        localize=True,
        help_text=_("In quarter hours at least, e.g. 1.5."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = current_period()

    def clean_period(self):
        value = self.cleaned_data["period"]
        year, _month = parse_period(value)
        if value > current_period():
            raise ValidationError(_("Hours can be registered for the current period or earlier ones."))
        if year < 2000:
            raise ValidationError(_("Enter a period from 2000 on."))
        return value


class LogEntryForm(ServiceModelForm):
    class Meta:
        model = CustomerLogEntry
        fields = ["agency", "date", "kind", "summary"]
        widgets = {"date": DateInput(), "summary": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"summary": _("Who took part, what was discussed and what was agreed.")}

    def __init__(self, *args, agencies, fixed_agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies.order_by("code")
        if fixed_agency is not None or self.instance.pk:
            del self.fields["agency"]
        if not self.instance.pk:
            self.fields["date"].initial = timezone.localdate()

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day


class ComplaintForm(ServiceModelForm):
    class Meta:
        model = Complaint
        fields = ["agency", "kind", "category", "received_on", "description", "handler"]
        widgets = {"received_on": DateInput(), "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, agencies, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies.order_by("code")
        self.fields["handler"].queryset = handlers
        self.fields["handler"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        self.fields["received_on"].initial = timezone.localdate()

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day


class ComplaintHandleForm(ServiceModelForm):
    class Meta:
        model = Complaint
        fields = ["handler", "status", "resolution", "resolved_on"]
        widgets = {"resolved_on": DateInput(), "resolution": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"resolved_on": _("Today if left empty when the complaint is resolved.")}

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers
        self.fields["handler"].label_from_instance = lambda u: u.get_full_name() or u.get_username()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Complaint.Status.RESOLVED:
            if not (cleaned.get("resolution") or "").strip():
                self.add_error("resolution", _("Describe how the complaint was resolved."))
            day = cleaned.get("resolved_on")
            if day and day < self.instance.received_on:
                self.add_error("resolved_on", _("The complaint cannot be resolved before it was received."))
            if day and day > timezone.localdate():
                self.add_error("resolved_on", _("The date cannot be in the future."))
        return cleaned


class MeetingsForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False, empty_label=_("All my units"))

    def __init__(self, *args, years, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["unit"].queryset = units


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}))


class CustomerMessageForm(forms.Form):
    """A customer message: subject, text, and all agencies or chosen ones."""

    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Sent to each agency's functional mailbox and shown in the portal. No personal data."),
    )
    to_all = forms.BooleanField(label=_("To all agencies"), required=False, initial=True)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Or to these agencies"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies.order_by("code")

    def clean(self):
        data = super().clean()
        if not data.get("to_all") and not data.get("agencies"):
            self.add_error("agencies", _("Choose the agencies, or send the message to all."))
        return data


FORM_SIGNATURES = {
    **DOCUMENT_SIGNATURES,
    "xlsx": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}


class CentreFormUploadForm(forms.Form):
    """A new version of a form (blankett), or the first version of a new one."""

    form = forms.ModelChoiceField(
        label=_("Form"),
        queryset=None,
        required=False,
        empty_label=_("— a new form —"),
        help_text=_("A new version of this form; its earlier versions are kept."),
    )
    name = forms.CharField(label=_("Name of a new form"), max_length=150, required=False)
    description = forms.CharField(label=_("What it is for"), max_length=300, required=False)
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel or ODF, at most 10 MB."))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import CentreForm

        self.fields["form"].queryset = CentreForm.objects.order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in FORM_SIGNATURES:
            raise ValidationError(_("Upload a PDF, Word, Excel or ODF file."))
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(FORM_SIGNATURES[extension]):
            raise ValidationError(_("The file's contents are not a %(type)s document."), params={"type": extension})
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("form") and not (data.get("name") or "").strip():
            self.add_error("name", _("Choose the form, or name a new one."))
        return data
