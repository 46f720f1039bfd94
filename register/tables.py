import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from people.identity import display_name, display_personnummer

from .models import PersonSignal, RegisterFile
from .selectors import is_masked, shown_values

KIND_BADGE = {
    PersonSignal.Kind.DEATH: "bad",
    PersonSignal.Kind.PROTECTION_ADDED: "warn",
    PersonSignal.Kind.PROTECTION_REMOVED: "warn",
}


def badge(text, css=""):
    return format_html('<span class="badge {}">{}</span>', css, text)


class SignalTable(tables.Table):
    person = tables.Column(verbose_name=_("Person"), orderable=False, empty_values=())
    kind = tables.Column(verbose_name=_("Change"))
    change = tables.Column(verbose_name=_("Before → after"), orderable=False, empty_values=())
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name", default="—")
    due_on = tables.Column(verbose_name=_("Due"))
    status = tables.Column(verbose_name=_("Status"))
    actions = tables.TemplateColumn(
        template_name="register/includes/signal_actions.html", verbose_name="", orderable=False
    )

    class Meta:
        model = PersonSignal
        fields = ["person", "kind", "change", "unit", "due_on", "status", "actions"]
        order_by = ("due_on",)
        empty_text = _("No signals match the filter.")

    def __init__(self, *args, user, can_change=False, **kwargs):
        self.user = user
        self.today = timezone.localdate()
        super().__init__(*args, **kwargs)
        if not can_change:
            self.columns.hide("actions")

    def render_person(self, record):
        person = record.person
        name, number = display_name(person, self.user), display_personnummer(person, self.user)
        if is_masked(record, self.user):
            return format_html('<span class="masked">{}</span><br><span class="masked">{}</span>', name, number)
        return format_html("{}<br><small>{}</small>", name, number)

    def render_kind(self, record):
        return badge(record.get_kind_display(), KIND_BADGE.get(record.kind, ""))

    def render_change(self, record):
        before, after = shown_values(record, self.user)
        cell = format_html("{} → <strong>{}</strong>", before or "—", after or "—")
        flags = list(record.flags.all())
        if flags:
            links = format_html_join(
                ", ",
                '<a href="{}">{}</a> ({})',
                (
                    (
                        reverse("payroll:case_detail", args=[f.payroll_case_id])
                        if f.payroll_case_id
                        else reverse("pensions:case_detail", args=[f.pension_case_id]),
                        f.payroll_case.reference if f.payroll_case_id else f.pension_case.number,
                        f.get_reason_display().lower(),
                    )
                    for f in flags
                ),
            )
            cell = format_html("{}<br><small>{} {}</small>", cell, _("Flagged:"), links)
        return cell

    def render_due_on(self, record, value):
        text = date_format(value, "SHORT_DATE_FORMAT")
        if record.is_open and value < self.today:
            return format_html("{} {}", badge(text, "bad"), badge(_("Overdue"), "bad"))
        return text

    def render_status(self, record):
        if record.is_open:
            return badge(record.get_status_display())
        return format_html(
            "{}<br><small>{}</small>",
            badge(record.get_status_display(), "ok"),
            date_format(record.handled_on, "SHORT_DATE_FORMAT"),
        )


class RegisterFileTable(tables.Table):
    received_on = tables.DateColumn(
        verbose_name=_("Received"), short=True, linkify=lambda record: f"{reverse('register:queue')}?file={record.pk}"
    )
    source_filename = tables.Column(verbose_name=_("File"))
    rows = tables.Column(verbose_name=_("Rows"), attrs={"td": {"class": "num"}})
    people_changed = tables.Column(verbose_name=_("People changed"), attrs={"td": {"class": "num"}})
    unknown_rows = tables.Column(verbose_name=_("Not known"), attrs={"td": {"class": "num"}})
    signal_count = tables.Column(verbose_name=_("Signals"), attrs={"td": {"class": "num"}})
    open_count = tables.Column(verbose_name=_("Open"), attrs={"td": {"class": "num"}})
    deadline = tables.DateColumn(verbose_name=_("Deadline"), short=True)

    class Meta:
        model = RegisterFile
        fields = [
            "received_on",
            "source_filename",
            "rows",
            "people_changed",
            "unknown_rows",
            "signal_count",
            "open_count",
            "deadline",
        ]
        empty_text = _("No file from the person register has been imported.")
