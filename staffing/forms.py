from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PeriodField
from customers.models import Agency
from organisation.models import StaffMember, Unit

from .models import Absence, Category, Enquiry, Skill
from .services import MAX_FTE, phone_problems


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MonthFteForm(forms.Form):
    """One field per staff category: the unit's FTE for the month."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Category.choices:
            self.fields[value] = forms.DecimalField(
                label=label,
                min_value=Decimal("0"),
                max_value=MAX_FTE,
                max_digits=7,
                decimal_places=2,
                initial=Decimal("0.00"),
                localize=True,
                help_text=_("FTE worked in the month (0 when none)."),
            )

    def values(self) -> dict[str, Decimal]:
        return {value: self.cleaned_data[value] for value in Category.values}


class FileImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class AbsenceForm(forms.ModelForm):
    class Meta:
        model = Absence
        fields = ["staff_member", "kind", "first_day", "last_day", "extent", "note"]
        widgets = {"first_day": DateInput(), "last_day": DateInput()}
        help_texts = {"extent": _("100 for a whole day; 25, 50 or 75 for part-time absence.")}

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_member"].queryset = staff.filter(active=True).order_by("unit__name", "name")
        self.fields["staff_member"].label_from_instance = lambda s: f"{s.name} ({s.unit.name})"
        self.fields["extent"].min_value = 1
        self.fields["extent"].max_value = 100
        self.fields["extent"].widget.attrs.update({"min": 1, "max": 100})

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day cannot be before the first day."))
        return data


class PhoneForm(forms.Form):
    period = PeriodField(label=_("Month"), help_text=_("YYYY-MM"))
    calls = forms.IntegerField(label=_("Calls offered"), min_value=0)
    answered_25s = forms.IntegerField(label=_("Answered within 25 seconds"), min_value=0)
    first_contact_resolved = forms.IntegerField(label=_("Resolved at first contact"), min_value=0)
    emails = forms.IntegerField(label=_("E-mails received"), min_value=0)
    emails_within_1d = forms.IntegerField(label=_("E-mails answered within one working day"), min_value=0)

    def __init__(self, *args, fixed_period=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_period:
            self.fields["period"].initial = fixed_period
            self.fields["period"].disabled = True

    def clean(self):
        data = super().clean()
        names = ["calls", "answered_25s", "first_contact_resolved", "emails", "emails_within_1d"]
        if all(data.get(n) is not None for n in names):
            for name, message in phone_problems({n: data[n] for n in names}):
                self.add_error(name, message)
        return data

    def values(self) -> dict[str, int]:
        return {n: self.cleaned_data[n] for n in self.fields if n != "period"}


class SurveyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    satisfied_pct = forms.DecimalField(
        label=_("Satisfied customers (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=1,
        localize=True,
    )
    nki = forms.DecimalField(
        label=_("Customer satisfaction index (NKI)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=1,
        localize=True,
    )
    respondents = forms.IntegerField(label=_("Respondents"), min_value=0, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, fixed_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_year:
            self.fields["year"].initial = fixed_year
            self.fields["year"].disabled = True


class LoanForm(forms.Form):
    """Lend one of the unit's staff to another unit for a period."""

    staff_member = forms.ModelChoiceField(label=_("Staff member"), queryset=StaffMember.objects.none())
    to_unit = forms.ModelChoiceField(label=_("Lent to"), queryset=Unit.objects.none())
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, own_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_member"].queryset = StaffMember.objects.filter(unit__in=own_units, active=True).order_by(
            "name"
        )
        self.fields["to_unit"].queryset = Unit.objects.order_by("name")


class EnquiryForm(forms.Form):
    """An enquiry registered in a few seconds: agency, who asked, channel, topic, resolved at once?"""

    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None)
    asked_by = forms.CharField(label=_("Who asked"), max_length=150)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Enquiry.Channel.choices, initial=Enquiry.Channel.PHONE, widget=forms.RadioSelect
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Enquiry.Topic.choices)
    resolved_first_contact = forms.BooleanField(label=_("Resolved at the first contact"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].label_from_instance = lambda a: f"{a.code} {a.name}"


class SkillForm(forms.Form):
    """What one staff member can handle: case types and agencies."""

    case_types = forms.MultipleChoiceField(
        label=_("Case types"), choices=Skill.CaseType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The agencies whose cases the staff member knows, in any unit."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Agency.objects.filter(active_to__isnull=True).order_by("code")
        self.fields["agencies"].label_from_instance = lambda a: f"{a.code} {a.name}"
