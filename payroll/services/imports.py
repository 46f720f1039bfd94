"""The monthly payslip import from the payroll system (one service behind the
``import_payslips`` command and the upload page).

The file (``period;agency_code;payslip_id;personnummer;channel``) is read once,
row by row: each row is checked and the good ones are loaded in batches into a
temporary staging table (PostgreSQL ``COPY``, SQLite batched inserts), so memory
does not grow with the file. Duplicates inside the file and payslips imported
before are then found by SQL on the staging table. Only a file without a single
error is written, in one transaction: employees upserted, cases inserted by one
``INSERT … SELECT``. A file whose content was imported before is refused by its hash.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.billing import open_billing_period
from core.csvimport import MAX_ERRORS, ErrorCollector, ImportRejected, RowError, check_row_shape, read_rows
from core.periods import parse_period
from customers.models import Agency
from customers.selectors import agencies_for
from organisation.selectors import VIEW_ALL_UNITS, units_for
from people.identity import normalize_personnummer
from people.models import Person

from ..models import Channel, PayrollCase, PayslipImport

logger = logging.getLogger(__name__)

COLUMNS = ["period", "agency_code", "payslip_id", "personnummer", "channel"]
BATCH_ROWS = 5000
PAYSLIP_ID_MAX = PayrollCase._meta.get_field("payslip_id").max_length
STAGING = "payroll_import_staging"
STAGING_COLUMNS = ("line", "agency_id", "period", "billing_period", "payslip_id", "personnummer", "channel")

Progress = Callable[[int, int], None]  # (rows read, percent done)


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


def run_import_job(*, job: PayslipImport) -> PayslipImport:
    """Import the file kept with an upload job (the Celery task's one line)."""
    with job.file.open("rb") as binary:
        return import_payslips(binary=binary, job=job, user=job.uploaded_by)


def _set(job: PayslipImport, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    PayslipImport.objects.filter(pk=job.pk).update(**fields)


def import_payslips(*, binary, job: PayslipImport, user=None) -> PayslipImport:
    """Import a payslip file for ``job``; all or nothing.

    ``user`` limits the agencies to those of the user's unit (the upload page);
    without one (the command) every agency may appear. The job ends ``done`` with
    rows per agency and channel, or ``rejected`` with every error by row and column
    (at most ``MAX_ERRORS``), or ``failed`` on an unexpected error. Nothing is
    written unless it ends ``done``.
    """
    sha, size = _sha256(binary)
    _set(job, sha256=sha, status=PayslipImport.Status.RUNNING, started_at=timezone.now(), progress=0)
    try:
        earlier = PayslipImport.objects.filter(sha256=sha, status=PayslipImport.Status.DONE).exclude(pk=job.pk).first()
        if earlier:
            raise ImportRejected([RowError(1, "", _already_imported_message(earlier))])
        agencies = _agencies_by_code(user)
        with _staging_table():
            rows = _stage_file(binary, size=size, agencies=agencies, job=job)
            summary = _write(job=job, rows=rows)
    except ImportRejected as rejected:
        _set(
            job,
            status=PayslipImport.Status.REJECTED,
            errors=[{"row": e.row, "column": e.column, "message": str(e.message)} for e in rejected.errors],
            finished_at=timezone.now(),
        )
        return job
    except Exception:
        logger.exception("payslip import %s failed", job.pk)
        _set(
            job,
            status=PayslipImport.Status.FAILED,
            errors=[{"row": 0, "column": "", "message": _("The import stopped on an unexpected error; see the log.")}],
            finished_at=timezone.now(),
        )
        raise
    job.summary = summary
    return job


def _already_imported_message(earlier: PayslipImport) -> str:
    return _("This file was already imported on %(date)s (import %(id)s). Nothing was imported again.") % {
        "date": date_format(timezone.localtime(earlier.finished_at or earlier.created_at), "SHORT_DATE_FORMAT"),
        "id": earlier.pk,
    }


def _agencies_by_code(user) -> dict[str, int]:
    queryset = agencies_for(user) if user is not None else Agency.objects.all()
    return {code.upper(): pk for code, pk in queryset.values_list("code", "id")}


# --- reading and checking ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Checks:
    agencies: dict[str, int]
    all_agency_codes: frozenset[str]
    channels: frozenset[str]


def _stage_file(binary, *, size: int, agencies: dict[str, int], job: PayslipImport) -> int:
    """Read and check every row, staging the good ones; raise ImportRejected with every error."""
    errors = ErrorCollector()
    checks = _Checks(
        agencies=agencies,
        all_agency_codes=frozenset(code.upper() for code in Agency.objects.values_list("code", flat=True)),
        channels=frozenset(Channel.values),
    )
    billing_periods: dict[str, str] = {}
    batch: list[tuple] = []
    rows = 0
    for line, row in read_rows(binary, required=COLUMNS):
        rows += 1
        staged = _check_row(line, row, errors, checks)
        if staged is None:
            continue
        period = staged[1]
        if period not in billing_periods:
            billing_periods[period] = open_billing_period(period)
        batch.append((line, staged[0], period, billing_periods[period], *staged[2:]))
        if len(batch) >= BATCH_ROWS:
            _load_staging(batch)
            batch.clear()
            _set(job, rows_read=rows, progress=min(90, int(90 * binary.tell() / max(size, 1))))
    _load_staging(batch)
    _analyze_staging()
    _set(job, rows_read=rows, progress=90)
    if rows == 0:
        raise ImportRejected([RowError(1, "", _("The file has a header but no payslip rows."))])
    for row_error in _duplicates_in_file() + _already_imported():
        errors.add(row_error.row, row_error.column, row_error.message)
    errors.errors.sort(key=lambda e: (e.row, e.column))
    errors.raise_if_any()
    return rows


def _check_row(line: int, row: dict, errors: ErrorCollector, checks: _Checks) -> tuple | None:
    """The row as (agency_id, period, payslip_id, personnummer, channel), or None after adding its errors."""
    if not check_row_shape(line, row, errors):
        return None
    good = True
    period = row["period"]
    try:
        parse_period(period)
    except ValidationError as exc:
        if exc.code == "period_out_of_range":
            message = exc.messages[0]
        else:
            message = _("“%(value)s” is not a pay period; write it as YYYY-MM.") % {"value": period}
        errors.add(line, "period", message)
        good = False
    code = row["agency_code"].upper()
    agency_id = checks.agencies.get(code)
    if agency_id is None:
        if not code:
            message = _("the agency code is missing")
        elif code in checks.all_agency_codes:
            message = _("agency %(code)s is not one of your unit's agencies") % {"code": row["agency_code"]}
        else:
            message = _("unknown agency %(code)s") % {"code": row["agency_code"]}
        errors.add(line, "agency_code", message)
        good = False
    payslip_id = row["payslip_id"]
    if not payslip_id:
        errors.add(line, "payslip_id", _("the payslip id is missing"))
        good = False
    elif len(payslip_id) > PAYSLIP_ID_MAX:
        errors.add(line, "payslip_id", _("the payslip id is longer than %d characters") % PAYSLIP_ID_MAX)
        good = False
    try:
        number = normalize_personnummer(row["personnummer"])
    except ValidationError as exc:
        errors.add(line, "personnummer", exc.messages[0])
        good = False
    channel = row["channel"].lower()
    if channel not in checks.channels:
        errors.add(
            line,
            "channel",
            _("unknown channel “%(value)s”; use one of %(channels)s")
            % {"value": row["channel"], "channels": ", ".join(Channel.values)},
        )
        good = False
    if not good:
        return None
    return (agency_id, period, payslip_id, number, channel)


def _duplicates_in_file() -> list[RowError]:
    sql = f"""
        SELECT s.line, d.first_line, s.payslip_id FROM {STAGING} s
        JOIN (SELECT agency_id, period, payslip_id, MIN(line) AS first_line FROM {STAGING}
              GROUP BY agency_id, period, payslip_id HAVING COUNT(*) > 1) d
          ON s.agency_id = d.agency_id AND s.period = d.period AND s.payslip_id = d.payslip_id
        WHERE s.line > d.first_line ORDER BY s.line LIMIT {MAX_ERRORS + 1}"""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [
            RowError(
                line,
                "payslip_id",
                _("payslip %(id)s appears twice in the file (first on row %(first)s)") % {"id": pid, "first": first},
            )
            for line, first, pid in cursor.fetchall()
        ]


def _already_imported() -> list[RowError]:
    table = PayrollCase._meta.db_table
    sql = f"""
        SELECT s.line, s.payslip_id FROM {STAGING} s
        JOIN {table} c ON c.agency_id = s.agency_id AND c.period = s.period AND c.payslip_id = s.payslip_id
        WHERE c.payslip_id <> '' ORDER BY s.line LIMIT {MAX_ERRORS + 1}"""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [
            RowError(
                line,
                "payslip_id",
                _("payslip %(id)s of this agency and period is already imported") % {"id": pid},
            )
            for line, pid in cursor.fetchall()
        ]


# --- the staging table -------------------------------------------------------------------------------


class _staging_table:
    """A temporary table for the rows of one import, dropped afterwards whatever happens."""

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGING} (line integer NOT NULL, agency_id bigint NOT NULL, "
                "period varchar(7) NOT NULL, billing_period varchar(7) NOT NULL, payslip_id varchar(40) NOT NULL, "
                "personnummer varchar(13) NOT NULL, channel varchar(20) NOT NULL)"
            )
        return self

    def __exit__(self, *exc_info):
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
        except Exception:  # the connection is broken; the temporary table goes with it
            logger.warning("could not drop %s", STAGING, exc_info=True)
        return False


def _load_staging(rows: Iterable[tuple]) -> None:
    """Append rows (in STAGING_COLUMNS order) to the staging table: COPY on PostgreSQL."""
    rows = list(rows)
    if not rows:
        return
    columns = ", ".join(STAGING_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {STAGING} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(STAGING_COLUMNS))
            cursor.executemany(f"INSERT INTO {STAGING} ({columns}) VALUES ({placeholders})", rows)


def _analyze_staging() -> None:
    """Give PostgreSQL's planner the staging table's statistics (temporary tables get none by
    themselves), so that the checks and the insert join by hash rather than row by row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {STAGING}")


# --- writing -------------------------------------------------------------------------------------------


class _Param:
    """A value bound as a query parameter in a set-based insert."""

    def __init__(self, value):
        self.value = value


def _insert_parts(model, explicit: dict) -> tuple[list[str], list[str], list]:
    """Column names, SQL expressions and parameters for a set-based insert into ``model``.

    ``explicit`` maps a column to an SQL expression (str) or a bound ``_Param``; every
    other field takes its model default (``auto_now_add``: now), so a field added to the
    model later cannot be forgotten here.
    """
    columns, expressions, params = [], [], []
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        given = explicit.get(field.column)
        if isinstance(given, str):
            expressions.append(given)
            continue
        if isinstance(given, _Param):
            value = given.value
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
            if value is None and not field.null:
                raise ImproperlyConfigured(f"{model.__name__}.{field.name} needs a value in the bulk import")
        expressions.append("%s")
        params.append(field.get_db_prep_save(value, connection))
    return columns, expressions, params


def _upsert_people() -> None:
    """Every staged personal identity number as a Person: people.services' rule in bulk for a file
    without names (a new number becomes a person, a known person is kept as is). Set-based SQL
    for 50,000 rows a month, so these creations write no history rows."""
    table = connection.ops.quote_name(Person._meta.db_table)
    columns, expressions, params = _insert_parts(Person, {"personnummer": "s.personnummer"})
    # Most employees are paid every month: skip the known ones by an anti-join rather than
    # letting each of them hit the unique index as a conflict.
    select = (
        f"SELECT {', '.join(expressions)} FROM (SELECT DISTINCT personnummer FROM {STAGING}) s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} p WHERE p.personnummer = s.personnummer)"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) {select} ON CONFLICT (personnummer) DO NOTHING", params
            )
        else:
            cursor.execute(f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) {select}", params)


def _insert_cases(job: PayslipImport) -> int:
    """The staged rows as completed, imported cases of ``job``, in the file's order."""
    columns, expressions, params = _insert_parts(
        PayrollCase,
        {
            "agency_id": "s.agency_id",
            "period": "s.period",
            "billing_period": "s.billing_period",
            "payslip_id": "s.payslip_id",
            "channel": "s.channel",
            "person_id": "p.id",
            "source": _Param(PayrollCase.Source.IMPORT.value),
            "status": _Param(PayrollCase.Status.COMPLETED.value),
            "import_batch_id": _Param(job.pk),
        },
    )
    table = connection.ops.quote_name(PayrollCase._meta.db_table)
    people = connection.ops.quote_name(Person._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} FROM {STAGING} s "
        f"JOIN {people} p ON p.personnummer = s.personnummer ORDER BY s.line"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _summary() -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT agency_id, channel, COUNT(*) FROM {STAGING} GROUP BY agency_id, channel")
        counts = cursor.fetchall()
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in={row[0] for row in counts})}
    labels = dict(Channel.choices)
    rows = [
        {
            "agency": agencies[agency_id].code,
            "agency_name": agencies[agency_id].name,
            "channel": channel,
            "channel_label": str(labels.get(channel, channel)),
            "rows": n,
        }
        for agency_id, channel, n in counts
    ]
    return sorted(rows, key=lambda r: (r["agency"], Channel.values.index(r["channel"])))


def _write(*, job: PayslipImport, rows: int) -> list[dict]:
    """Write the staged rows in one transaction and mark the job done (its file hash may be done once)."""
    summary = _summary()
    try:
        with transaction.atomic():
            _upsert_people()
            written = _insert_cases(job)
            if written != rows:
                raise RuntimeError(f"staged {rows} rows but wrote {written}")
            _set(
                job,
                status=PayslipImport.Status.DONE,
                rows_imported=written,
                summary=summary,
                errors=[],
                progress=100,
                finished_at=timezone.now(),
            )
    except IntegrityError as exc:
        # Another import wrote the same file or payslips at the same moment.
        raise ImportRejected(
            [RowError(1, "", _("Another import wrote the same payslips at the same time. Nothing was imported."))]
        ) from exc
    return summary


# --- demo data ----------------------------------------------------------------------------------------


def write_generated_rows(*, job: PayslipImport, rows: Iterable[tuple]) -> int:
    """Write trusted, generated rows ``(agency_id, period, payslip_id, personnummer, channel)``
    through the import's bulk path without checking them (the demo's year of volumes)."""
    count = 0
    billing_periods: dict[str, str] = {}
    with _staging_table():
        batch = []
        for agency_id, period, payslip_id, number, channel in rows:
            count += 1
            if period not in billing_periods:
                billing_periods[period] = open_billing_period(period)
            batch.append((count + 1, agency_id, period, billing_periods[period], payslip_id, number, channel))
            if len(batch) >= BATCH_ROWS * 4:
                _load_staging(batch)
                batch.clear()
        _load_staging(batch)
        _analyze_staging()
        _write(job=job, rows=count)
    return count
