from functools import cached_property

import django_tables2 as tables
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tables2.data import TableQuerysetData

from people.identity import MASK, MASKED_NAME, can_see_protected
from people.selectors import order_by_personnummer

from . import clock
from .models import CHANNEL_SHORT, ControlCheck, PayrollCase

STATUS_BADGES = {
    PayrollCase.Status.RECEIVED: "",
    PayrollCase.Status.REGISTERED: "",
    PayrollCase.Status.RETURNED: "warn",
    PayrollCase.Status.COMPLETED: "ok",
    PayrollCase.Status.CANCELLED: "bad",
}


def status_badge(case) -> str:
    return format_html(
        '<span class="badge {}">{}</span>', STATUS_BADGES.get(case.status, ""), case.get_status_display()
    )


NOWRAP = {"td": {"class": "payroll-nowrap"}}


def render_channel(record):
    return format_html('<span title="{}">{}</span>', record.get_channel_display(), CHANNEL_SHORT[record.channel])


class IdsFirstData(TableQuerysetData):
    """Table data whose pages are read in two steps: the page's ids with the filters and the
    ordering (on deep pages an index-only scan past the skipped rows), then those rows with their
    joins. One query that joins first and skips 25,000 rows after the join took 50-170 ms."""

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return super().__getitem__(key)
        pairs = list(self.data.values_list("pk", "period")[key])
        ids = [pk for pk, _period in pairs]
        # The page's months too: on PostgreSQL only their partitions are read (payroll.partitions),
        # not every month's index for each id (planning 61 partitions took longer than the query).
        rows = self.data.filter(period__in={period for _pk, period in pairs}).in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


def short_date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


class _CaseTableBase(tables.Table):
    """The payroll tables draw their rows in one pass (``rows_html``, through the template
    payroll/includes/table.html); the header, sorting links and pagination stay django-tables2's.
    django-tables2 draws each cell through accessors, the render method's signature
    (inspect.signature for every cell), computed attributes and a template loop: 30 of the case
    list's 43 ms for 50 rows. Here every column has a ``render_<name>(record)`` that returns the
    whole cell (its empty value included), and what is the same for every row is worked out once per
    table: the columns' <td> attributes, whether the user may see protected identities, the case
    page's URL around its id (one reverse()). No TemplateColumn: a DateColumn is one (a template
    compiled and rendered for every cell); dates use ``short_date``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("template_name", "payroll/includes/table.html")
        super().__init__(*args, **kwargs)

    @cached_property
    def sees_protected(self) -> bool:
        return can_see_protected(self.request.user)

    @cached_property
    def _case_url(self) -> tuple[str, str]:
        sentinel = "987654321"
        head, tail = reverse("payroll:case_detail", kwargs={"pk": sentinel}).rsplit(sentinel, 1)
        return head, tail

    def case_link(self, case):
        head, tail = self._case_url
        return format_html('<a href="{}{}{}">{}</a>', head, case.pk, tail, case.reference)

    def masked_personnummer(self, person):
        if person.protected_identity and not self.sees_protected:
            return format_html('<span class="masked">{}</span>', MASK)
        return person.personnummer

    def rows_html(self) -> str:
        columns = []
        for column in self.columns:
            attrs = column.attrs["td"].as_html()
            columns.append((format_html(" {}", attrs) if attrs else "", getattr(self, f"render_{column.name}")))
        return format_html_join(
            "\n",
            '<tr class="{}">{}</tr>',
            (
                (
                    "odd" if i % 2 else "even",
                    format_html_join("", "<td{}>{}</td>", ((attrs, render(row.record)) for attrs, render in columns)),
                )
                for i, row in enumerate(self.paginated_rows)
            ),
        )


# Every column is drawn by its render_<name>(record), empty values included.
ALWAYS = ()


class _PersonColumns(_CaseTableBase):
    """Employee columns, masked for protected identities unless the user may see them."""

    personnummer = tables.Column(
        verbose_name=_("Personal identity number"),
        accessor="person__personnummer",
        attrs=NOWRAP,
        order_by=("person__personnummer", "id"),
        empty_values=ALWAYS,
    )
    name = tables.Column(verbose_name=_("Employee"), accessor="employee_name", orderable=False, empty_values=ALWAYS)

    def render_personnummer(self, record):
        return self.masked_personnummer(record.person)

    def order_personnummer(self, queryset, is_descending):
        # Masked rows sort as one group: their place must not give the hidden number away.
        return order_by_personnummer(queryset, user=self.request.user, descending=is_descending), True

    def render_name(self, record):
        # The case's own copy of the name; a protected person's row is masked whether or not a name is kept.
        if record.person.protected_identity and not self.sees_protected:
            return format_html('<span class="masked">{}</span>', MASKED_NAME)
        return record.employee_name


class CaseTable(_PersonColumns):
    # Set by payroll.keyset.paginate_table: the page by cursor, and whether the link's cursor was refused.
    keyset = None
    bad_cursor = False

    id = tables.Column(verbose_name=_("Case"), empty_values=ALWAYS)
    agency = tables.Column(verbose_name=_("Agency"), accessor="agency__code", orderable=False, empty_values=ALWAYS)
    # The case id breaks ties, so that page boundaries are stable (and the indexes end in id).
    period = tables.Column(verbose_name=_("Pay period"), attrs=NOWRAP, order_by=("period", "id"), empty_values=ALWAYS)
    payslip_id = tables.Column(verbose_name=_("Payslip no."), orderable=False, empty_values=ALWAYS)
    channel = tables.Column(verbose_name=_("Channel"), orderable=False, empty_values=ALWAYS)
    status = tables.Column(verbose_name=_("Status"), orderable=False, empty_values=ALWAYS)
    received_on = tables.Column(verbose_name=_("Received"), orderable=False, attrs=NOWRAP, empty_values=ALWAYS)
    is_late = tables.Column(verbose_name=_("Late"), orderable=False, empty_values=ALWAYS)

    class Meta:
        model = PayrollCase
        fields = []
        sequence = [
            "id",
            "agency",
            "period",
            "payslip_id",
            "personnummer",
            "name",
            "channel",
            "status",
            "received_on",
            "is_late",
        ]
        order_by = "-id"
        empty_text = _("No cases match the filters.")
        per_page = 50

    def render_id(self, record):
        return self.case_link(record)

    def render_agency(self, record):
        return record.agency.code

    def render_period(self, record):
        return record.period

    def render_payslip_id(self, record):
        return record.payslip_id

    def render_channel(self, record):
        return render_channel(record)

    def render_status(self, record):
        return status_badge(record)

    def render_received_on(self, record):
        return short_date(record.received_on) if record.received_on else ""

    def render_is_late(self, record):
        return format_html('<span class="badge bad">{}</span>', _("Late")) if record.is_late else ""


class QueueTable(_PersonColumns):
    """The work queue: one column for the employee (name, and the number below it) so that every
    column fits at 1280 px beside the navigation."""

    id = tables.Column(verbose_name=_("Case"), empty_values=ALWAYS)
    agency = tables.Column(verbose_name=_("Agency"), accessor="agency__code", empty_values=ALWAYS)
    period = tables.Column(verbose_name=_("Pay period"), attrs=NOWRAP, empty_values=ALWAYS)
    document_type = tables.Column(verbose_name=_("Document and channel"), empty_values=ALWAYS)
    channel = tables.Column(verbose_name=_("Channel"), empty_values=ALWAYS)
    status = tables.Column(verbose_name=_("Status"), empty_values=ALWAYS)
    handler = tables.Column(verbose_name=_("Handler"), empty_values=ALWAYS)
    received_on = tables.Column(verbose_name=_("Received"), attrs=NOWRAP, empty_values=ALWAYS)
    time = tables.Column(verbose_name=_("Time left"), empty_values=ALWAYS, orderable=False)

    class Meta:
        model = PayrollCase
        fields = []
        sequence = [
            "id",
            "agency",
            "period",
            "name",
            "document_type",
            "status",
            "time",
            "received_on",
            "handler",
        ]
        exclude = ("personnummer", "channel")
        orderable = False
        empty_text = _("Nothing here. Well done!")
        per_page = 50

    def render_name(self, record):
        return format_html(
            '{}<br><span class="muted nowrap">{}</span>',
            super().render_name(record),
            self.masked_personnummer(record.person),
        )

    def render_id(self, record):
        return self.case_link(record)

    def render_agency(self, record):
        return record.agency.code

    def render_period(self, record):
        return record.period

    def render_document_type(self, record):
        return format_html(
            '{}<br><span class="muted">{}</span>', record.get_document_type_display() or "–", render_channel(record)
        )

    def render_received_on(self, record):
        return short_date(record.received_on) if record.received_on else "—"

    def render_handler(self, record):
        handler = record.handler
        return (handler.get_full_name() or handler.get_username()) if handler else "–"

    def render_channel(self, record):
        return render_channel(record)

    def render_status(self, record):
        badge = status_badge(record)
        if record.needs_approval and record.is_open and record.status != PayrollCase.Status.RETURNED:
            badge = format_html('{} <span class="badge warn">{}</span>', badge, _("Needs approval"))
        if record.is_late:
            badge = format_html('{} <span class="badge bad">{}</span>', badge, _("Late"))
        return badge

    def render_time(self, record):
        measured = clock.case_clock(record)
        if measured is None:
            return "–"
        if measured.stopped:
            return format_html('<span class="badge warn">{}</span>', _("Clock stopped"))
        if measured.overdue:
            text = ngettext("%(n)d working day overdue", "%(n)d working days overdue", -measured.left) % {
                "n": -measured.left
            }
            return format_html('<span class="badge bad">{}</span>', text)
        text = ngettext("%(n)d working day left", "%(n)d working days left", measured.left) % {"n": measured.left}
        due = short_date(measured.due_on)
        css = "warn" if measured.left <= clock.DUE_SOON_WORKING_DAYS else ""
        return format_html('<span class="badge {}">{}</span> <small class="muted nowrap">{}</small>', css, text, due)


class CheckTable(_CaseTableBase):
    case = tables.Column(verbose_name=_("Case"), empty_values=ALWAYS)
    agency = tables.Column(verbose_name=_("Agency"), accessor="case__agency__code", empty_values=ALWAYS)
    channel = tables.Column(verbose_name=_("Channel"), accessor="case__channel", empty_values=ALWAYS)
    payslip_id = tables.Column(verbose_name=_("Payslip id"), accessor="case__payslip_id", empty_values=ALWAYS)
    personnummer = tables.Column(
        verbose_name=_("Personal identity number"),
        accessor="case__person__personnummer",
        attrs=NOWRAP,
        empty_values=ALWAYS,
    )
    outcome = tables.Column(verbose_name=_("Outcome"), empty_values=ALWAYS)
    checked_by = tables.Column(verbose_name=_("Checked by"), empty_values=ALWAYS)
    action = tables.Column(verbose_name="", orderable=False, empty_values=ALWAYS)

    class Meta:
        model = ControlCheck
        fields = []
        sequence = ["case", "agency", "channel", "payslip_id", "personnummer", "outcome", "checked_by", "action"]
        orderable = False
        empty_text = _("The sample is empty.")
        per_page = 100

    def render_case(self, record):
        return self.case_link(record.case)

    def render_agency(self, record):
        return record.case.agency.code

    def render_channel(self, record):
        return render_channel(record.case)

    def render_payslip_id(self, record):
        return record.case.payslip_id or "—"

    def render_personnummer(self, record):
        return self.masked_personnummer(record.case.person)

    def render_outcome(self, record):
        css = {"correct": "ok", "incorrect": "bad"}.get(record.outcome, "")
        badge = format_html('<span class="badge {}">{}</span>', css, record.get_outcome_display())
        if record.note:
            badge = format_html("{}<br><small>{}</small>", badge, record.note)
        return badge

    def render_checked_by(self, record):
        user = record.checked_by
        return (user.get_full_name() or user.get_username()) if user else "–"

    @cached_property
    def _check_form(self):
        # One template and one permission check for the table; each row renders only its form.
        return get_template("payroll/includes/check_form.html"), {
            "may_record": self.request.user.has_perm("payroll.record_control_check"),
            "csrf_token": get_token(self.request),
        }

    def render_action(self, record):
        template, context = self._check_form
        return template.render({**context, "record": record})


DEVIATION_BADGES = {"open": "warn", "corrected": "", "closed": "ok"}


class DeviationTable(tables.Table):
    """The deviation list: no personal data (the case is shown by its number only)."""

    reference = tables.Column(_("Deviation"), accessor="pk", order_by=("id",))
    occurred_on = tables.DateColumn("Y-m-d", verbose_name=_("Date"))
    agency = tables.Column(_("Agency"), accessor="agency__code")
    case = tables.Column(_("Case"), empty_values=(), orderable=False)
    kind = tables.Column(_("Kind"))
    cause = tables.Column(_("Cause"))
    status = tables.Column(_("Status"))
    registered_by = tables.Column(_("Registered by"), orderable=False)

    class Meta:
        template_name = "django_tables2/table.html"
        attrs = {"class": "table", "data-deviations": ""}
        order_by = ("-occurred_on",)
        empty_text = _("No deviations match.")

    def render_reference(self, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("payroll:deviation_detail", args=[record.pk]), record.reference
        )

    def render_case(self, record):
        if record.case_id is None:
            return "—"
        return format_html(
            '<a href="{}">L-{}</a>', reverse("payroll:case_detail", args=[record.case_id]), record.case_id
        )

    def render_status(self, record):
        return format_html(
            '<span class="badge {}">{}</span>', DEVIATION_BADGES.get(record.status, ""), record.get_status_display()
        )

    def render_registered_by(self, record):
        return record.registered_by.get_full_name() or record.registered_by.get_username()
