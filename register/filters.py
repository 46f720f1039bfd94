import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from people.selectors import matching_personnummer, without_protected

from .models import PersonSignal


class SignalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PersonSignal.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Change"), choices=PersonSignal.Kind.choices)
    personnummer = django_filters.CharFilter(label=_("Personal identity number"), method="by_number")
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="only_overdue", widget=forms.CheckboxInput)

    class Meta:
        model = PersonSignal
        fields = []

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def by_number(self, queryset, name, value):
        if not value:
            return queryset
        found = queryset.filter(matching_personnummer(value, field="person__personnummer"))
        return without_protected(found, user=self.request.user)

    def only_overdue(self, queryset, name, value):
        if value:
            return queryset.filter(status=PersonSignal.Status.OPEN, due_on__lt=self.today)
        return queryset
