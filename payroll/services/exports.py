"""The case list as CSV or Excel: the rows as a user may see them (masked like the page), made in
the request up to IMMEDIATE_MAX_ROWS cases, and above that by a background job that writes a file
with progress, served to the user who asked for it and deleted after EXPORT_RETENTION_HOURS.

Both ways write the same rows with the same masking and log the same unmasked views.
"""

import datetime as dt
import logging
import tempfile
from types import SimpleNamespace

from django.conf import settings
from django.core.files import File
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import csv_bytes, neutralise, xlsx_bytes
from core.jobs import fail_stuck_jobs, heartbeat, is_stuck, stuck_reason
from people.identity import can_see_protected, display_name, display_personnummer, log_unmasked_view

from .. import selectors
from ..filters import CaseFilter
from ..models import CaseExport
from ..models.exports import CASE_EXPORTS

log = logging.getLogger(__name__)

# Made in the request up to this many cases; a bigger download is a background job.
IMMEDIATE_MAX_ROWS = 100_000
# An Excel sheet holds 1,048,576 rows, the header one of them; a CSV file has no limit.
XLSX_MAX_ROWS = 1_048_575
PROGRESS_EVERY = 5_000
# The query-string keys that do not change what is downloaded.
NOT_FILTERS = ("page", "sort", "after", "before", "format", "csrfmiddlewaretoken")
QUERY_MAX_LENGTH = 1000  # CaseExport.query

HEADER = [
    gettext_lazy("Case"),
    gettext_lazy("Agency"),
    gettext_lazy("Agency name"),
    gettext_lazy("Pay period"),
    gettext_lazy("Payslip id"),
    gettext_lazy("Personal identity number"),
    gettext_lazy("Employee"),
    gettext_lazy("Channel"),
    gettext_lazy("Document type"),
    gettext_lazy("Status"),
    gettext_lazy("Received"),
    gettext_lazy("Late document"),
    gettext_lazy("Due"),
    gettext_lazy("Closed"),
    gettext_lazy("Billing period"),
    gettext_lazy("Handler"),
]


def filter_query(params) -> str:
    """The case list's filters of ``params`` (a QueryDict) as a query string, page and sort left out."""
    kept = params.copy()
    for key in NOT_FILTERS:
        kept.pop(key, None)
    return kept.urlencode()


def filtered_cases(user, query: str):
    """The cases the case list shows ``user`` for the filters ``query``, in id order (None: bad filters)."""
    cases = selectors.cases_for(user).select_related("agency", "person", "handler")
    case_filter = CaseFilter(QueryDict(query), queryset=cases, request=SimpleNamespace(user=user))
    if case_filter.is_bound and not case_filter.form.is_valid():
        return None
    return case_filter.qs.order_by("id")


def more_than(queryset, limit: int) -> bool:
    """Whether ``queryset`` holds more than ``limit`` rows: one probe past the limit, never a COUNT."""
    return queryset.order_by("pk")[limit : limit + 1].exists()


def rows(queryset, *, user, unmasked: list, progress=None):
    """The export's rows for ``user``: masked exactly like the case list; protected people shown
    unmasked are added to ``unmasked`` (for the log). ``progress(n)`` is called every PROGRESS_EVERY rows."""
    sees_protected = can_see_protected(user)
    for n, case in enumerate(queryset.iterator(chunk_size=2000), start=1):
        person = case.person
        if person.protected_identity and sees_protected:
            unmasked.append(person)
        yield [
            case.reference,
            case.agency.code,
            case.agency.name,
            case.period,
            case.payslip_id,
            display_personnummer(person, user),
            display_name(person, user, name=case.employee_name),
            case.get_channel_display(),
            case.get_document_type_display(),
            case.get_status_display(),
            case.received_on,
            _("yes") if case.is_late else "",
            case.due_on,
            case.closed_on,
            case.billing_period,
            (case.handler.get_full_name() or case.handler.get_username()) if case.handler else "",
        ]
        if progress and n % PROGRESS_EVERY == 0:
            progress(n)


def export_bytes(queryset, *, user, kind: str) -> bytes:
    """The immediate download (at most IMMEDIATE_MAX_ROWS cases), its unmasked views logged."""
    unmasked: list = []
    header = [str(label) for label in HEADER]
    content = (
        csv_bytes(header, rows(queryset, user=user, unmasked=unmasked))
        if kind == "csv"
        else xlsx_bytes(header, rows(queryset, user=user, unmasked=unmasked), title=str(_("Payroll cases")))
    )
    _log(user, unmasked, kind)
    return content


def _log(user, unmasked: list, kind: str) -> None:
    """One entry per protected person shown, however many of their cases the file holds."""
    log_unmasked_view(user, list({person.pk: person for person in unmasked}.values()), f"payroll case export ({kind})")


# --- the background job ---------------------------------------------------------------------------


def request_export(*, user, params, kind: str) -> tuple[CaseExport, bool]:
    """The user's download of these filters, as a job: (job, to be queued?). The same download still
    being made is not started twice (a second press follows the first). Check ``refusal`` first."""
    query = filter_query(params)
    active = CaseExport.objects.filter(user=user, format=kind, query=query, state__in=CaseExport.ACTIVE_STATES).first()
    if active is not None and is_stuck(CASE_EXPORTS, active):
        active.mark_failed(stuck_reason(CASE_EXPORTS, active))  # its worker died: start afresh
        active = None
    if active is not None:
        return active, False
    return CaseExport.objects.create(user=user, format=kind, query=query), True


def fail_stuck_exports() -> list[CaseExport]:
    """Beat's check: every download whose worker is gone is marked failed with the reason."""
    return fail_stuck_jobs(CASE_EXPORTS)


def refusal(*, user, params, kind: str) -> str:
    """Why this download cannot be made ("" when it can): filters that are not valid, or more cases
    than an Excel sheet holds."""
    query = filter_query(params)
    queryset = filtered_cases(user, query) if len(query) <= QUERY_MAX_LENGTH else None
    if queryset is None:
        return _("The filters are not valid; correct them on the case list and try again.")
    if kind == "xlsx" and more_than(queryset, XLSX_MAX_ROWS):
        return _("An Excel sheet holds at most %(n)s rows: download CSV, or narrow the filters.") % {
            "n": number_format(XLSX_MAX_ROWS, force_grouping=True)
        }
    return ""


def build_export(export_id: int) -> CaseExport:
    """The task's body: write the file of a queued download, with progress, and log its unmasked views."""
    claimed = CaseExport.objects.filter(pk=export_id, state=CaseExport.State.QUEUED).update(
        state=CaseExport.State.RUNNING, started_at=timezone.now()
    )
    export = CaseExport.objects.select_related("user").get(pk=export_id)
    if not claimed:
        return export  # made or being made by another delivery of the task
    user = export.user
    try:
        with heartbeat(export):
            queryset = filtered_cases(user, export.query)
            if queryset is None:
                raise ValueError("filters not valid")
            total = queryset.count()
            CaseExport.objects.filter(pk=export.pk).update(total=total)
            unmasked: list = []

            def progress(n):
                CaseExport.objects.filter(pk=export.pk).update(done_rows=n)

            header = [str(label) for label in HEADER]
            with tempfile.TemporaryFile() as out:
                _write(out, export.format, header, rows(queryset, user=user, unmasked=unmasked, progress=progress))
                out.seek(0)
                export.file.save(f"payroll-cases-{export.pk}.{export.format}", File(out), save=False)
            _log(user, unmasked, export.format)
        export.state, export.total, export.done_rows = CaseExport.State.DONE, total, total
        export.finished_at, export.error = timezone.now(), ""
        export.save(update_fields=["state", "total", "done_rows", "file", "finished_at", "error"])
    except Exception as exc:
        log.exception("case list download %s failed", export.pk)
        export.refresh_from_db()
        export.mark_failed(_("The download could not be made (%(error)s). Try again.") % {"error": type(exc).__name__})
    return export


def _write(out, kind: str, header, data) -> None:
    """Stream ``data`` into the binary file ``out`` as CSV or XLSX, neutralised like every download."""
    if kind == "csv":
        import codecs
        import csv

        text = codecs.getwriter("utf-8")(out)
        writer = csv.writer(text)
        writer.writerow(header)
        for row in data:
            writer.writerow(["" if v is None else neutralise(v) for v in row])
        text.flush()
        return
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Payroll cases"))[:31])
    sheet.append(list(header))
    for row in data:
        sheet.append([neutralise(v) for v in row])
    workbook.save(out)


def expires_at(export: CaseExport) -> dt.datetime | None:
    if export.finished_at is None:
        return None
    return export.finished_at + dt.timedelta(hours=settings.EXPORT_RETENTION_HOURS)


def is_expired(export: CaseExport, now=None) -> bool:
    until = expires_at(export)
    return until is not None and until <= (now or timezone.now())


def delete_expired(now=None) -> int:
    """Delete the downloads (files and records) finished more than EXPORT_RETENTION_HOURS ago."""
    limit = (now or timezone.now()) - dt.timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    old = list(CaseExport.objects.filter(finished_at__lte=limit))
    for export in old:
        if export.file:
            export.file.storage.delete(export.file.name)
        export.delete()
    return len(old)
