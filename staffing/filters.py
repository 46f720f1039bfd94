import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import period_input
from organisation.models import StaffMember, Unit

from .models import Absence


class StaffFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains")
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.none())
    category = django_filters.ChoiceFilter(label=_("Category"), choices=StaffMember.Category.choices)
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = StaffMember
        fields = []

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units


class AbsenceFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), field_name="staff_member__unit", queryset=Unit.objects.none()
    )
    staff_member__name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Absence.Kind.choices)
    month = django_filters.CharFilter(label=_("Month"), method="in_month", widget=period_input())

    class Meta:
        model = Absence
        fields = []

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units

    def in_month(self, queryset, name, value):
        from django.core.exceptions import ValidationError

        from core.periods import period_end, period_start

        try:
            first, last = period_start(value), period_end(value)
        except ValidationError:
            return queryset.none()
        return queryset.filter(first_day__lte=last, last_day__gte=first)
