import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from people.identity import can_see_protected, display_name, display_personnummer

from .models import PensionCase, SignalItem, SignalList

STATUS_BADGE = {
    PensionCase.Status.RECEIVED: "",
    PensionCase.Status.INVESTIGATING: "",
    PensionCase.Status.WAITING: "warn",
    PensionCase.Status.DECIDED: "ok",
    PensionCase.Status.PAID: "ok",
    PensionCase.Status.CLOSED: "",
}


def badge(text, css=""):
    return format_html('<span class="badge {}">{}</span>', css, text)


def person_cell(person, user):
    """The person's name and number, masked exactly as payroll masks them."""
    name, number = display_name(person, user), display_personnummer(person, user)
    if person.protected_identity and not can_see_protected(user):
        return format_html('<span class="masked">{}</span><br><span class="masked">{}</span>', name, number)
    return format_html("{}<br><small>{}</small>", name, number)


class _UserTable(tables.Table):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        self.today = timezone.localdate()
        super().__init__(*args, **kwargs)


class CaseTable(_UserTable):
    # Every order ends on the id: rows that tie are never left to the database, whose order could
    # follow a masked person's hidden name or number.
    number = tables.Column(
        verbose_name=_("Case"), linkify=("pensions:case_detail", {"pk": tables.A("pk")}), order_by=("number", "id")
    )
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "id"))
    person = tables.Column(verbose_name=_("Person"), orderable=False, empty_values=())
    agency = tables.Column(verbose_name=_("Agency"), accessor="agency__code", order_by=("agency__code", "id"))
    handler = tables.Column(
        verbose_name=_("Handler"), accessor="handler__name", default="—", order_by=("handler__name", "id")
    )
    received_on = tables.DateColumn(verbose_name=_("Received"), short=True, order_by=("received_on", "id"))
    due_on = tables.Column(verbose_name=_("Due"), order_by=("due_on", "id"))
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "id"))

    class Meta:
        model = PensionCase
        fields = ["number", "kind", "person", "agency", "handler", "received_on", "due_on", "status"]
        order_by = ("due_on",)
        empty_text = _("No cases.")

    def render_person(self, record):
        return person_cell(record.person, self.user)

    def render_agency(self, record):
        return format_html('<span title="{}">{}</span>', record.agency.name, record.agency.code)

    def render_due_on(self, record, value):
        text = date_format(value, "SHORT_DATE_FORMAT")
        if record.is_open and value < self.today:
            return badge(text, "bad")
        return text

    def render_status(self, record):
        text = record.get_status_display()
        if record.status == PensionCase.Status.WAITING and record.waiting_for:
            text = f"{text} ({record.get_waiting_for_display()})"
        elif record.decision:
            text = f"{text}: {record.get_decision_display().lower()}"
        return badge(text, STATUS_BADGE.get(record.status, ""))


class SignalListTable(tables.Table):
    name = tables.Column(verbose_name=_("List"), linkify=("pensions:signal_list_detail", {"pk": tables.A("pk")}))
    provider = tables.Column(verbose_name=_("Provider"))
    unit = tables.Column(verbose_name=_("Handling unit"), accessor="unit__name")
    received_on = tables.DateColumn(verbose_name=_("Received"), short=True)
    deadline = tables.Column(verbose_name=_("Deadline"))
    item_count = tables.Column(verbose_name=_("Signals"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    open_count = tables.Column(verbose_name=_("Open"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    overdue_count = tables.Column(verbose_name=_("Overdue"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta:
        model = SignalList
        fields = ["name", "provider", "unit", "received_on", "deadline", "item_count", "open_count", "overdue_count"]
        order_by = ("-received_on",)
        empty_text = _("No signal lists yet.")

    def render_deadline(self, record, value):
        text = date_format(value, "SHORT_DATE_FORMAT")
        if record.open_count and value < timezone.localdate():
            return badge(text, "bad")
        return text

    def render_overdue_count(self, value):
        return badge(value, "bad") if value else "0"


class SignalItemTable(_UserTable):
    row = tables.Column(verbose_name=_("Row"), attrs={"td": {"class": "num"}})
    person = tables.Column(verbose_name=_("Person"), orderable=False, empty_values=())
    agency = tables.Column(verbose_name=_("Agency"), accessor="agency__code", order_by=("agency__code",))
    signal = tables.Column(verbose_name=_("Signal"))
    event_date = tables.DateColumn(verbose_name=_("Event"), short=True)
    due_on = tables.Column(verbose_name=_("Due"))
    status = tables.Column(verbose_name=_("Status"))
    actions = tables.TemplateColumn(
        template_name="pensions/includes/signal_actions.html", verbose_name="", orderable=False
    )

    class Meta:
        model = SignalItem
        fields = ["row", "person", "agency", "signal", "event_date", "due_on", "status", "actions"]
        order_by = ("row",)
        empty_text = _("The list has no signals matching the filter.")

    def __init__(self, *args, can_change=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_change:
            self.columns.hide("actions")

    def render_person(self, record):
        return person_cell(record.person, self.user)

    def render_due_on(self, record, value):
        text = date_format(value, "SHORT_DATE_FORMAT")
        if record.status == SignalItem.Status.OPEN and value < self.today:
            return format_html("{} {}", badge(text, "bad"), badge(_("Overdue"), "bad"))
        return text

    def render_status(self, record):
        if record.status == SignalItem.Status.CASE:
            url = reverse("pensions:case_detail", args=[record.case_id])
            return format_html('{} <a href="{}">{}</a>', badge(record.get_status_display(), "ok"), url, record.case)
        css = "ok" if record.status == SignalItem.Status.HANDLED else ""
        return badge(record.get_status_display(), css)
