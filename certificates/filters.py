import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Certificate


class CertificateFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Certificate.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Certificate.Kind.choices)

    class Meta:
        model = Certificate
        fields = []
