import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import period_input
from customers.selectors import agencies_for
from organisation.selectors import units_for

from .models import Invoice


class InvoiceFilter(django_filters.FilterSet):
    STATUSES = [("issued", _("Issued")), ("credited", _("Credited")), ("credit_note", _("Credit note"))]

    period = django_filters.CharFilter(label=_("Period"), field_name="period")
    agency = django_filters.ModelChoiceFilter(label=_("Agency"), queryset=None)
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=None)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUSES, method="filter_status")

    class Meta:
        model = Invoice
        fields = ["period", "agency", "unit", "status"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agency"].queryset = agencies_for(user).order_by("code")
        self.filters["unit"].queryset = units_for(user).order_by("code")
        self.form.fields["period"].widget = period_input()

    def filter_status(self, queryset, name, value):
        if value == "credit_note":
            return queryset.filter(kind=Invoice.Kind.CREDIT_NOTE)
        credited = Q(credit_note__isnull=False)
        queryset = queryset.filter(kind=Invoice.Kind.INVOICE)
        return queryset.filter(credited) if value == "credited" else queryset.exclude(credited)
