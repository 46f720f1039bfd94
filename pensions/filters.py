import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateRangeWidget
from customers.models import Agency
from organisation.models import StaffMember

from .models import CaseKind, PensionCase, Provider, SignalItem, SignalList
from .selectors import search_cases


def _date_range(label):
    return django_filters.DateFromToRangeFilter(label=label, widget=DateRangeWidget())


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", help_text=_("Case number, name or number"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CaseKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PensionCase.Status.choices)
    decision = django_filters.ChoiceFilter(label=_("Decision"), choices=PensionCase.Decision.choices)
    agency = django_filters.ModelChoiceFilter(label=_("Agency"), queryset=Agency.objects.order_by("code"))
    handler = django_filters.ModelChoiceFilter(label=_("Handler"), queryset=StaffMember.objects.none())
    received_on = _date_range(_("Received"))
    decided_on = _date_range(_("Decided"))

    class Meta:
        model = PensionCase
        fields = []

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if handlers is not None:
            self.filters["handler"].queryset = handlers

    def search(self, queryset, name, value):
        return search_cases(queryset, value, self.request.user)


class QueueFilter(CaseFilter):
    """The queue's tabs set the status; the handler narrows by kind, agency and handler."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("status", "decision", "decided_on"):
            self.filters.pop(name)


class SignalItemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SignalItem.Status.choices)
    signal = django_filters.ChoiceFilter(label=_("Signal"), choices=SignalItem.Signal.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="only_overdue", widget=forms.CheckboxInput)

    class Meta:
        model = SignalItem
        fields = []

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def only_overdue(self, queryset, name, value):
        if value:
            return queryset.filter(status=SignalItem.Status.OPEN, due_on__lt=self.today)
        return queryset


class SignalListFilter(django_filters.FilterSet):
    provider = django_filters.ChoiceFilter(label=_("Provider"), choices=Provider.choices)
    received_on = _date_range(_("Received"))

    class Meta:
        model = SignalList
        fields = []
