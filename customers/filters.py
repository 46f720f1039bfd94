import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Agency, Complaint, CustomerLogEntry
from .selectors import active_q

ACTIVE_CHOICES = [("yes", _("Active")), ("no", _("Inactive"))]


class AgencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search code or name"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Agency.Kind.choices, empty_label=_("All kinds"))
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=None, empty_label=_("All units"))
    active = django_filters.ChoiceFilter(
        label=_("Status"), choices=ACTIVE_CHOICES, method="filter_active", empty_label=_("Active and inactive")
    )

    class Meta:
        model = Agency
        fields = ["q", "kind", "unit", "active"]

    def __init__(self, data=None, *args, units, **kwargs):
        # Active agencies are shown unless the user asks for something else.
        if data is not None and "active" not in data:
            data = data.copy()
            data["active"] = "yes"
        super().__init__(data, *args, **kwargs)
        self.filters["unit"].queryset = units

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def filter_active(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(active_q())
        if value == "no":
            return queryset.exclude(active_q())
        return queryset


class LogEntryFilter(django_filters.FilterSet):
    agency = django_filters.ModelChoiceFilter(label=_("Agency"), queryset=None, empty_label=_("All agencies"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CustomerLogEntry.Kind.choices, empty_label=_("All"))
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), field_name="agency__unit", queryset=None, empty_label=_("All units")
    )
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        field_name="date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(label=_("Search text"), field_name="summary", lookup_expr="icontains")

    class Meta:
        model = CustomerLogEntry
        fields = ["agency", "kind", "unit", "date_from", "date_to", "q"]

    def __init__(self, *args, agencies, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agency"].queryset = agencies.order_by("code")
        self.filters["unit"].queryset = units


class ComplaintFilter(django_filters.FilterSet):
    agency = django_filters.ModelChoiceFilter(label=_("Agency"), queryset=None, empty_label=_("All agencies"))
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), field_name="agency__unit", queryset=None, empty_label=_("All units")
    )
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Complaint.Kind.choices, empty_label=_("All"))
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Complaint.Category.choices, empty_label=_("All categories")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Complaint.Status.choices, empty_label=_("All"))
    year = django_filters.NumberFilter(
        label=_("Year received"), field_name="received_on", lookup_expr="year", min_value=2000, max_value=2100
    )
    month = django_filters.NumberFilter(
        label=_("Month"), field_name="received_on", lookup_expr="month", min_value=1, max_value=12
    )
    q = django_filters.CharFilter(label=_("Search text"), method="search")

    class Meta:
        model = Complaint
        fields = ["agency", "unit", "kind", "category", "status", "year", "month", "q"]

    def __init__(self, *args, agencies, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agency"].queryset = agencies.order_by("code")
        self.filters["unit"].queryset = units
        self.form.fields["year"].widget.attrs.update(min=2000, max=2100)
        self.form.fields["month"].widget.attrs.update(min=1, max=12)

    def search(self, queryset, name, value):
        return queryset.filter(Q(description__icontains=value) | Q(resolution__icontains=value))
