import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from organisation.models import Target


class TargetTable(tables.Table):
    indicator = tables.Column(verbose_name=_("Indicator"), linkify=("reporting:target_edit", {"pk": tables.A("pk")}))
    year = tables.Column(localize=False)  # "2012", never "2 012"

    class Meta:
        model = Target
        fields = ["indicator", "year", "value", "note"]
        empty_text = _("No targets.")
