import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.templatetags.formatting import number
from organisation.models import Target


class TargetTable(tables.Table):
    indicator = tables.Column(verbose_name=_("Indicator"))
    year = tables.Column(localize=False)  # "2012", never "2 012"
    value = tables.Column(attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta:
        model = Target
        fields = ["indicator", "year", "value", "note"]
        empty_text = _("No targets.")

    def render_indicator(self, record, value):
        # Only those who may change a target get a link to its form (the others would be refused).
        request = getattr(self, "request", None)
        if request is not None and request.user.has_perm("organisation.change_target"):
            return format_html('<a href="{}">{}</a>', reverse("reporting:target_edit", args=[record.pk]), value)
        return value

    def render_value(self, value):
        return number(value, 0 if value == value.to_integral() else 1)
