import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Agency
from organisation.models import StaffMember
from people.identity import normalize_personnummer

from .models import CaseKind, PensionCase, Provider


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def handler_choices(units):
    """Active pension handlers (and managers, who sometimes take a case) of the given units."""
    return (
        StaffMember.objects.filter(
            unit__in=units,
            active=True,
            category__in=[StaffMember.Category.PENSION_HANDLER, StaffMember.Category.MANAGER],
        )
        .select_related("unit")
        .order_by("name")
    )


class CaseForm(forms.Form):
    """Register a received pension case."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    personnummer = forms.CharField(
        label=_("Personal identity number"),
        max_length=13,
        help_text=_("YYYYMMDD-NNNN; a new person is added, a known one is reused."),
    )
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    protected_identity = forms.BooleanField(
        label=_("Protected identity"),
        required=False,
        help_text=_("Tick when the person has a protected identity; it cannot be removed here."),
    )
    unit = forms.ModelChoiceField(label=_("Handling unit"), queryset=None)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    due_on = forms.DateField(
        label=_("Due on"),
        widget=DateInput(),
        required=False,
        help_text=_(
            "Leave empty for the usual lead time: 10 working days for survivor pensions, 15 for "
            "insurance cases, otherwise 20."
        ),
    )
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=StaffMember.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        # The pension team serves every agency of the city, whichever payroll unit it belongs to.
        self.fields["agency"].queryset = Agency.objects.order_by("code")
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()
        self.fields["handler"].queryset = handler_choices(units)
        self.fields["received_on"].initial = timezone.localdate()

    def clean_personnummer(self):
        return normalize_personnummer(self.cleaned_data["personnummer"])

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError(_("A case cannot be received in the future."))
        return value

    def clean(self):
        data = super().clean()
        received, due = data.get("received_on"), data.get("due_on")
        if received and due and due < received:
            self.add_error("due_on", _("The due date cannot be before the day the case was received."))
        handler, unit = data.get("handler"), data.get("unit")
        if handler and unit and handler.unit_id != unit.pk:
            self.add_error("handler", _("The handler must belong to the handling unit."))
        return data


class CaseEditForm(forms.ModelForm):
    class Meta:
        model = PensionCase
        fields = ["kind", "agency", "due_on", "note"]
        widgets = {"due_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.order_by("code")

    def clean_due_on(self):
        value = self.cleaned_data["due_on"]
        if value < self.instance.received_on:
            raise ValidationError(_("The due date cannot be before the day the case was received."))
        return value


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(
        label=_("Handler"), queryset=StaffMember.objects.none(), required=False, empty_label=_("(nobody)")
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handler_choices([case.unit])
        self.fields["handler"].initial = case.handler_id


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WaitForm(NoteForm):
    waiting_for = forms.ChoiceField(label=_("Waiting for information from"), choices=PensionCase.WaitingFor.choices)
    note = forms.CharField(label=_("What is missing"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(NoteForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=PensionCase.Decision.choices)
    decided_on = forms.DateField(label=_("Decision date"), widget=DateInput())
    benefit_start = forms.DateField(
        label=_("Benefit start date"), widget=DateInput(), required=False, help_text=_("Needed when granted.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("decision") == PensionCase.Decision.GRANTED and not data.get("benefit_start"):
            self.add_error("benefit_start", _("A granted benefit needs its start date."))
        decided_on = data.get("decided_on")
        if decided_on and decided_on > timezone.localdate():
            self.add_error("decided_on", _("The decision date cannot be in the future."))
        return data


class PaidForm(NoteForm):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class CloseForm(NoteForm):
    note = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the case was never decided (withdrawn, duplicate)."),
    )


class SignalListImportForm(forms.Form):
    provider = forms.ChoiceField(label=_("Provider"), choices=Provider.choices)
    name = forms.CharField(label=_("Name of the list"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Handling unit"), queryset=None)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: personnummer;agency;signal;event_date, optionally name;due_date;note. See the README."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()
        self.fields["received_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        received, deadline = data.get("received_on"), data.get("deadline")
        if received and deadline and deadline < received:
            self.add_error("deadline", _("The deadline cannot be before the day the list was received."))
        return data


class CaseFromSignalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of case"), choices=CaseKind.choices)


class WeeklyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    week = forms.IntegerField(label=_("Week"), min_value=1, max_value=53, required=False)

    def clean(self):
        data = super().clean()
        year, week = data.get("year"), data.get("week")
        if year and week:
            try:
                dt.date.fromisocalendar(year, week, 1)
            except ValueError:
                self.add_error("week", _("The year has no such week."))
        return data
