import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Agency, Complaint, CustomerLogEntry

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}
NOWRAP = {"td": {"class": "nowrap"}}


class AgencyTable(tables.Table):
    code = tables.Column(
        verbose_name=_("Code"), linkify=("customers:agency_detail", {"pk": tables.A("pk")}), attrs=NOWRAP
    )
    name = tables.Column(verbose_name=_("Name"), linkify=("customers:agency_detail", {"pk": tables.A("pk")}))
    kind = tables.Column(verbose_name=_("Kind"))
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__name",))
    primary_contact = tables.Column(verbose_name=_("Contact person"), default="—")
    functional_mailbox = tables.EmailColumn(verbose_name=_("Functional mailbox"), default="—")
    active = tables.Column(verbose_name=_("Status"), empty_values=(), orderable=False)

    class Meta:
        model = Agency
        fields = ["code", "name", "kind", "unit", "primary_contact", "functional_mailbox"]
        sequence = [*fields, "active"]
        empty_text = _("No agencies match the filter.")

    def render_active(self, record):
        if record.is_active:
            return format_html('<span class="badge ok">{}</span>', _("Active"))
        return format_html('<span class="badge">{}</span>', _("Inactive"))


class LogEntryTable(tables.Table):
    date = tables.DateColumn(verbose_name=_("Date"), format="Y-m-d", attrs=NOWRAP)
    agency = tables.Column(
        verbose_name=_("Agency"),
        linkify=("customers:agency_detail", {"pk": tables.A("agency_id")}),
        order_by=("agency__code",),
    )
    kind = tables.Column(verbose_name=_("Kind"))
    summary = tables.Column(verbose_name=_("Summary"), orderable=False)
    author = tables.Column(verbose_name=_("Written by"), order_by=("author__last_name",))

    class Meta:
        model = CustomerLogEntry
        fields = ["date", "agency", "kind", "summary", "author"]
        empty_text = _("No log entries match the filter.")

    def render_summary(self, value):
        return value if len(value) <= 160 else value[:157] + "…"

    def render_author(self, value):
        return value.get_full_name() or value.get_username()


class ComplaintTable(tables.Table):
    received_on = tables.DateColumn(
        verbose_name=_("Received"),
        format="Y-m-d",
        linkify=("customers:complaint_detail", {"pk": tables.A("pk")}),
        attrs=NOWRAP,
    )
    agency = tables.Column(verbose_name=_("Agency"), order_by=("agency__code",))
    kind = tables.Column(verbose_name=_("Type"))
    category = tables.Column(verbose_name=_("Category"))
    description = tables.Column(
        verbose_name=_("Description"), orderable=False, linkify=("customers:complaint_detail", {"pk": tables.A("pk")})
    )
    handler = tables.Column(verbose_name=_("Handler"), default="—", order_by=("handler__last_name",))
    status = tables.Column(verbose_name=_("Status"))
    resolved_on = tables.DateColumn(verbose_name=_("Resolved"), format="Y-m-d", default="—", attrs=NOWRAP)

    class Meta:
        model = Complaint
        fields = ["received_on", "agency", "kind", "category", "description", "handler", "status", "resolved_on"]
        empty_text = _("No feedback or complaints match the filter.")

    def render_description(self, value):
        return value if len(value) <= 100 else value[:97] + "…"

    def render_handler(self, value):
        return value.get_full_name() or value.get_username()

    def render_status(self, record):
        css = {"open": "bad", "in_progress": "warn", "resolved": "ok"}[record.status]
        return format_html('<span class="badge {}">{}</span>', css, record.get_status_display())
