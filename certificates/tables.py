import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from people.identity import can_see_protected, display_name, display_personnummer

from .models import Certificate


def badge(text, css=""):
    return format_html('<span class="badge {}">{}</span>', css, text)


class CertificateTable(tables.Table):
    reference = tables.Column(
        verbose_name=_("Certificate"), linkify=("certificates:detail", {"pk": tables.A("pk")}), orderable=False
    )
    kind = tables.Column(verbose_name=_("Kind"))
    person = tables.Column(verbose_name=_("Employee"), orderable=False, empty_values=())
    agency = tables.Column(verbose_name=_("Agency"), accessor="agency__code", order_by=("agency__code",))
    received_on = tables.DateColumn(verbose_name=_("Received"), short=True)
    due_on = tables.Column(verbose_name=_("Due"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Certificate
        fields = ["reference", "kind", "person", "agency", "received_on", "due_on", "status"]
        order_by = ("due_on",)
        empty_text = _("No certificates.")

    def __init__(self, *args, user, **kwargs):
        self.user = user
        self.today = timezone.localdate()
        super().__init__(*args, **kwargs)

    def render_person(self, record):
        person = record.person
        name, number = display_name(person, self.user), display_personnummer(person, self.user)
        if person.protected_identity and not can_see_protected(self.user):
            return format_html('<span class="masked">{}</span><br><span class="masked">{}</span>', name, number)
        return format_html("{}<br><small>{}</small>", name, number)

    def render_due_on(self, record, value):
        text = date_format(value, "SHORT_DATE_FORMAT")
        if record.is_open and value < self.today:
            return badge(text, "bad")
        return text

    def render_status(self, record):
        css = {"issued": "ok", "cancelled": ""}.get(record.status, "warn")
        return badge(record.get_status_display(), css)
