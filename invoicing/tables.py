import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from core.templatetags.formatting import sek

from .models import CloseJob, Invoice


class InvoiceTable(tables.Table):
    number = tables.Column(verbose_name=_("Number"), linkify=True, order_by=("series_year", "sequence"))
    kind = tables.Column(verbose_name=_("Kind"))
    agency_code = tables.Column(verbose_name=_("Agency"))
    agency_name = tables.Column(verbose_name=_("Name"))
    period = tables.Column(verbose_name=_("Period"))
    invoice_date = tables.DateColumn(verbose_name=_("Invoice date"), short=True)
    due_date = tables.DateColumn(verbose_name=_("Due date"), short=True)
    total = tables.Column(verbose_name=_("Total"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    status = tables.Column(verbose_name=_("Status"), empty_values=(), orderable=False)
    pdf = tables.TemplateColumn(
        "{% load i18n %}<a href=\"{% url 'invoicing:invoice_pdf' record.pk %}\">PDF</a>",
        verbose_name="",
        orderable=False,
    )

    class Meta:
        model = Invoice
        fields = ["number", "kind", "agency_code", "agency_name", "period", "invoice_date", "due_date", "total"]
        order_by = ("-number",)
        empty_text = _("No invoices match the filters.")

    def render_total(self, value):
        return sek(value)

    def render_status(self, record):
        return render_to_string("invoicing/includes/invoice_status.html", {"invoice": record})


class CloseJobTable(tables.Table):
    period = tables.Column(verbose_name=_("Period"), linkify=("invoicing:close_detail", {"pk": tables.A("pk")}))
    state = tables.Column(verbose_name=_("State"))
    started_by = tables.Column(verbose_name=_("Started by"), default=_("schedule"))
    created_at = tables.DateTimeColumn(verbose_name=_("Requested"), short=True)
    progress = tables.Column(verbose_name=_("Agencies"), empty_values=(), orderable=False)
    invoices_issued = tables.Column(verbose_name=_("Invoices issued"))

    class Meta:
        model = CloseJob
        fields = ["period", "state", "trigger", "started_by", "created_at", "progress", "invoices_issued"]
        empty_text = _("The close has not been run yet.")

    def render_started_by(self, value):
        return value.get_full_name() or value.get_username()

    def render_progress(self, record):
        return f"{record.agencies_done} / {record.agencies_total}"
