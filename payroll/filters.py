import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.conf import settings as filter_settings

from core.forms import PeriodField
from customers.models import Agency
from customers.selectors import agencies_for
from people.selectors import matching_personnummer, without_protected

from .models import Channel, Deviation, DocumentType, PayrollCase


def _user_agencies(request):
    if request is None:
        return Agency.objects.none()
    return agencies_for(request.user).order_by("code")


class AgencyFilter(django_filters.ModelChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", _user_agencies)
        super().__init__(*args, **kwargs)


class PeriodFilter(django_filters.CharFilter):
    field_class = PeriodField


class CaseFilter(django_filters.FilterSet):
    """Filters of the case list; each one uses a column of an index of PayrollCase."""

    agency = AgencyFilter(label=_("Agency"))
    period = PeriodFilter(label=_("Pay period"))
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PayrollCase.Status.choices)
    document_type = django_filters.ChoiceFilter(label=_("Document type"), choices=DocumentType.choices)
    is_late = django_filters.BooleanFilter(
        label=_("Late document"),
        widget=forms.Select(choices=[("", filter_settings.EMPTY_CHOICE_LABEL), ("true", _("Yes")), ("false", _("No"))]),
    )
    personnummer = django_filters.CharFilter(label=_("Personal identity number"), method="filter_personnummer")

    class Meta:
        model = PayrollCase
        fields = ["agency", "period", "channel", "status", "document_type", "is_late", "personnummer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agency"].field.label_from_instance = lambda a: f"{a.code} {a.name}"

    def filter_personnummer(self, queryset, name, value):
        # The one search rule (people.selectors): a masked row is never tied to the number searched for.
        queryset = queryset.filter(matching_personnummer(value, field="person__personnummer"))
        return without_protected(queryset, user=getattr(self.request, "user", None))


class QueueFilter(django_filters.FilterSet):
    """Filters of the work queue (its buckets and counts follow them)."""

    agency = AgencyFilter(label=_("Agency"))
    period = PeriodFilter(label=_("Pay period"))
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    document_type = django_filters.ChoiceFilter(label=_("Document type"), choices=DocumentType.choices)

    class Meta:
        model = PayrollCase
        fields = ["agency", "period", "channel", "document_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agency"].field.label_from_instance = lambda a: f"{a.code} {a.name}"


class DeviationFilter(django_filters.FilterSet):
    """Filters of the deviation list."""

    agency = AgencyFilter(label=_("Agency"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Deviation.Kind.choices)
    cause = django_filters.ChoiceFilter(label=_("Cause"), choices=Deviation.Cause.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Deviation.Status.choices)
    occurred_from = django_filters.DateFilter(
        label=_("From"), field_name="occurred_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    occurred_to = django_filters.DateFilter(
        label=_("To"), field_name="occurred_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Deviation
        fields = ["agency", "kind", "cause", "status", "occurred_from", "occurred_to"]
