"""The monthly payslip import from the payroll system (one service behind the ``import_payslips``
command and the upload page).

The file (``period;agency_code;payslip_id;personnummer;channel``) is read once, row by row, in the
shape of every import (``core.importing``): each row is checked and the good ones are loaded in
batches into a staging table (``payroll.staging``), so memory does not grow with the file.
Duplicates inside the file and payslips imported before are then found by SQL. Only a file without
a single error is written, in one transaction: employees upserted, cases inserted by one
``INSERT … SELECT``. A file whose content was imported before is refused by its hash. An uploaded
file is kept only when it was imported: a refused or failed one is deleted once its errors are stored.
"""

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.billing import open_billing_period
from core.csvimport import ImportRejected, RowError
from core.importing import Importer, ImportResult
from core.jobs import fail_stuck_jobs, heartbeat
from core.periods import current_period, next_period, parse_period
from customers.models import Agency
from customers.selectors import agencies_for
from organisation.selectors import VIEW_ALL_UNITS, units_for
from people.identity import normalize_personnummer
from webhooks import services as webhooks

from . import partitions, staging
from .models import PAYSLIP_IMPORTS, Channel, PayrollCase, PayslipImport

logger = logging.getLogger(__name__)

PAYSLIP_ID_MAX = PayrollCase._meta.get_field("payslip_id").max_length
# Pay periods a payslip file may hold: none before 2000 (the payroll system's first year, and a
# century typed wrong), none more than a month ahead (payslips are made for the coming month at most).
FIRST_PAY_PERIOD = "2000-01"


def last_pay_period() -> str:
    return next_period(current_period())


# --- jobs -------------------------------------------------------------------------------------------


def _sha256(binary) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    binary.seek(0)
    for chunk in iter(lambda: binary.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    binary.seek(0)
    return digest.hexdigest(), size


def import_scope_unit(user):
    """The unit an upload is limited to: None for users who see every unit."""
    if user is None or user.has_perm(VIEW_ALL_UNITS):
        return None
    return units_for(user).first()


def create_upload_job(*, uploaded_file, user) -> PayslipImport:
    """Keep an uploaded file and make the job that imports it (run by ``run_import_job``)."""
    sha, _size = _sha256(uploaded_file)
    job = PayslipImport(
        file_name=uploaded_file.name[:255],
        sha256=sha,
        origin=PayslipImport.Origin.UPLOAD,
        uploaded_by=user,
        unit=import_scope_unit(user),
    )
    job.file.save(uploaded_file.name, uploaded_file, save=False)
    job.save()
    return job


def run_import_job(*, job: PayslipImport) -> ImportResult:
    """Import the file kept with an upload job (the Celery task's one line), stamping its heartbeat."""
    with heartbeat(job), job.file.open("rb") as binary:
        return import_payslips(binary=binary, job=job, user=job.uploaded_by)


class CannotRunAgain(Exception):
    """The job cannot be run again; the message is for the user."""


def copy_for_rerun(*, job: PayslipImport) -> PayslipImport:
    """A new job for the file of a failed import whose worker died (or that an administrator failed),
    to be handed to the worker. The failed job keeps its reason and gives its file to the new one;
    the new one imports with the rights of the first upload (its uploader and unit). All or nothing,
    and a file imported before is refused by its hash, so running it again never imports twice."""
    fail_stuck_jobs(PAYSLIP_IMPORTS, only=Q(pk=job.pk))
    with transaction.atomic():
        failed = PayslipImport.objects.select_for_update().filter(pk=job.pk).first()
        if failed is None or not failed.can_run_again:
            raise CannotRunAgain(_("This import cannot be run again: upload the file again."))
        rerun = PayslipImport.objects.create(
            file=failed.file.name,
            file_name=failed.file_name,
            sha256=failed.sha256,
            origin=failed.origin,
            uploaded_by=failed.uploaded_by,
            unit=failed.unit,
        )
        failed.file = ""
        failed.errors = [
            *failed.errors,
            {"row": 0, "column": "", "message": _("Run again as import %(id)s.") % {"id": rerun.pk}},
        ]
        failed.save(update_fields=["file", "errors"])
    return rerun


def fail_stuck_imports() -> list[PayslipImport]:
    """Beat's check: every import whose worker is gone is marked failed with the reason."""
    return fail_stuck_jobs(PAYSLIP_IMPORTS)


def fail_import_job(job: PayslipImport, *, user) -> bool:
    """An administrator ends a waiting or running import as failed; its file is kept for a re-run."""
    reason = _("Marked failed by %(user)s.") % {"user": user.get_username()}
    with transaction.atomic():
        current = (
            PayslipImport.objects.select_for_update(skip_locked=True)
            .filter(pk=job.pk, status__in=PAYSLIP_IMPORTS.active)
            .first()
        )
        if current is None:
            return False
        current.mark_failed(reason)
    logger.warning("payslip import %s marked failed by user %s", job.pk, user.pk, extra={"job_id": job.pk})
    return True


def _set(job: PayslipImport, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    PayslipImport.objects.filter(pk=job.pk).update(**fields)


def import_payslips(*, binary, job: PayslipImport, user=None) -> ImportResult:
    """Import a payslip file for ``job``; all or nothing.

    ``user`` limits the agencies to those of the user's unit (the upload page); without one (the
    command) every agency may appear. The job ends ``done`` with rows per agency and channel, or
    ``rejected`` with every error by row and column (at most ``MAX_ERRORS``), or ``failed`` on an
    unexpected error (raised again). Nothing is written unless it ends ``done``.
    """
    sha, size = _sha256(binary)
    _set(job, sha256=sha, status=PayslipImport.Status.RUNNING, started_at=timezone.now(), progress=0)
    try:
        result = PayslipImporter(job=job, user=user, size=size).run(binary)
    except Exception:
        logger.exception("payslip import %s failed", job.pk)
        message = _("The import stopped on an unexpected error; see the log.")
        refuse_job(job, [RowError(0, "", message)], status=PayslipImport.Status.FAILED)
        announce_finished(job)
        raise
    if result.rejected:
        refuse_job(job, result.errors)
    announce_finished(job)
    return job.result()


def announce_finished(job: PayslipImport) -> None:
    """The webhook import.done: the job's id and outcome (its rows and errors are read by the API)."""
    job.refresh_from_db(fields=["status", "rows_imported", "errors", "unit"])
    webhooks.emit(
        "import.done",
        {"id": job.pk, "status": job.status, "rows_imported": job.rows_imported, "errors": len(job.errors)},
        permission="payroll.view_payslipimport",
        unit_id=job.unit_id,
        service_wide=job.unit_id is None,
        user_id=job.uploaded_by_id,
    )


def refuse_job(job: PayslipImport, errors: list[RowError], *, status=PayslipImport.Status.REJECTED) -> None:
    """End ``job`` refused with ``errors``, and delete its file: only imported files are kept."""
    _set(
        job,
        status=status,
        errors=[{"row": e.row, "column": e.column, "message": str(e.message)} for e in errors],
        finished_at=timezone.now(),
    )
    if job.file:
        job.file.delete(save=False)
        _set(job, file="")


def _already_imported_message(earlier: PayslipImport) -> str:
    return _("This file was already imported on %(date)s (import %(id)s). Nothing was imported again.") % {
        "date": date_format(timezone.localtime(earlier.finished_at or earlier.created_at), "SHORT_DATE_FORMAT"),
        "id": earlier.pk,
    }


# --- reading and checking ---------------------------------------------------------------------------


class PayslipImporter(Importer):
    """Rows are checked one by one and staged in batches; the checks across rows run in SQL."""

    columns = ["period", "agency_code", "payslip_id", "personnummer", "channel"]
    empty_message = gettext_lazy("The file has a header but no payslip rows.")

    def __init__(self, *, job: PayslipImport, user=None, size: int = 0):
        super().__init__()
        self.job, self.size = job, size
        queryset = agencies_for(user) if user is not None else Agency.objects.all()
        self.agencies = {code.upper(): pk for code, pk in queryset.values_list("code", "id")}
        self.all_agency_codes = frozenset(code.upper() for code in Agency.objects.values_list("code", flat=True))
        self.channels = frozenset(Channel.values)
        self.periods = (FIRST_PAY_PERIOD, last_pay_period())
        self.billing_periods: dict[str, str] = {}
        self.period_checks: dict[str, str] = {}
        self.binary = None

    def run(self, file) -> ImportResult:
        self.binary = file
        with staging.staging_table():
            return super().run(file)

    def check_start(self):
        earlier = (
            PayslipImport.objects.filter(sha256=self.job.sha256, status=PayslipImport.Status.DONE)
            .exclude(pk=self.job.pk)
            .first()
        )
        if earlier:
            raise ImportRejected([RowError(1, "", _already_imported_message(earlier))])

    def check_row(self, line, row):
        """The row as a staging tuple, or None after adding its errors."""
        good = self._check_period(line, row["period"])
        code = row["agency_code"].upper()
        agency_id = self.agencies.get(code)
        if agency_id is None:
            if not code:
                message = _("the agency code is missing")
            elif code in self.all_agency_codes:
                message = _("agency %(code)s is not one of your unit's agencies") % {"code": row["agency_code"]}
            else:
                message = _("unknown agency %(code)s") % {"code": row["agency_code"]}
            self.errors.add(line, "agency_code", message)
            good = False
        payslip_id = row["payslip_id"]
        if not payslip_id:
            self.errors.add(line, "payslip_id", _("the payslip id is missing"))
            good = False
        elif len(payslip_id) > PAYSLIP_ID_MAX:
            self.errors.add(line, "payslip_id", _("the payslip id is longer than %d characters") % PAYSLIP_ID_MAX)
            good = False
        try:
            number = normalize_personnummer(row["personnummer"])
        except ValidationError as exc:
            self.errors.add(line, "personnummer", exc.messages[0])
            good = False
        channel = row["channel"].lower()
        if channel not in self.channels:
            self.errors.add(
                line,
                "channel",
                _("unknown channel “%(value)s”; use one of %(channels)s")
                % {"value": row["channel"], "channels": ", ".join(Channel.values)},
            )
            good = False
        if not good:
            return None
        period = row["period"]
        if period not in self.billing_periods:
            self.billing_periods[period] = open_billing_period(period)
        return (line, agency_id, period, self.billing_periods[period], payslip_id, number, channel)

    def _check_period(self, line: int, period: str) -> bool:
        # A file holds a month or a few: each distinct value is checked once, its message kept.
        cached = self.period_checks.get(period)
        if cached is None:
            cached = self.period_checks[period] = self._period_message(period)
        if cached:
            self.errors.add(line, "period", cached)
            return False
        return True

    def _period_message(self, period: str) -> str:
        """'' for a good pay period, else the row error."""
        try:
            parse_period(period)
        except ValidationError as exc:
            if exc.code == "period_out_of_range":
                message = exc.messages[0]
            else:
                message = _("“%(value)s” is not a pay period; write it as YYYY-MM.") % {"value": period}
            return message
        first, last = self.periods
        if not first <= period <= last:
            return _(
                "%(value)s is outside the pay periods a payslip file may hold: from %(first)s to %(last)s (next month)."
            ) % {"value": period, "first": first, "last": last}
        return ""

    def keep(self, checked):
        self.rows.append(checked)
        if len(self.rows) >= staging.BATCH_ROWS:
            self._flush()
            progress = min(90, int(90 * self.binary.tell() / max(self.size, 1)))
            _set(self.job, rows_read=self.rows_read, progress=progress)

    def _flush(self):
        staging.load_staging(self.rows)
        self.rows.clear()

    def check_file(self):
        self._flush()
        staging.analyze_staging()
        _set(self.job, rows_read=self.rows_read, progress=90)
        for row_error in staging.duplicates_in_file() + staging.already_imported():
            self.errors.add(row_error.row, row_error.column, row_error.message)
        if not self.errors:
            # The months' partitions, before the write's transaction (payroll.partitions): a new
            # partition locks the case table, briefly in its own transaction.
            partitions.ensure_partitions(staging.staged_periods())

    def write(self) -> ImportResult:
        """Write the staged rows and mark the job done in one transaction (its file hash may be done once)."""
        summary = staging.staged_summary()
        try:
            with transaction.atomic():
                written = staging.write_staged(self.job)
                if written != self.rows_read:
                    raise RuntimeError(f"staged {self.rows_read} rows but wrote {written}")
                _set(
                    self.job,
                    status=PayslipImport.Status.DONE,
                    rows_imported=written,
                    summary=summary,
                    errors=[],
                    progress=100,
                    finished_at=timezone.now(),
                )
        except IntegrityError as exc:
            # Another import wrote the same file or payslips at the same moment.
            message = _("Another import wrote the same payslips at the same time. Nothing was imported.")
            raise ImportRejected([RowError(1, "", message)]) from exc
        return self.job.result()
