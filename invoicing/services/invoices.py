"""Issuing invoices and credit notes (pretix/Lago style).

An issued invoice is never changed: it keeps copies of the agency's name,
address and reference and of every line's price. Numbers come from one
gap-free series per year, allocated under a row lock inside the issuing
transaction. A correction is a credit note referring to the original, then a
new invoice (the next revision) for the same agency and month.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.billing import is_period_closed
from customers import notices
from customers.models import Agency
from pricing import services as pricing
from pricing.models import PriceList
from webhooks import services as webhooks

from ..models import Invoice, InvoiceLine, InvoiceNumberSeries
from .month import LineInput, price_month


class InvoiceError(Exception):
    """A business rule refused the request; the message is for the user."""


def allocate_number(*, year: int) -> tuple[int, str]:
    """The next number of ``year``'s series. Must run inside the issuing transaction:
    the counter row stays locked until it commits, and a rollback returns the number."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number must run inside the issuing transaction")
    series = InvoiceNumberSeries.objects.filter(year=year)
    # The UPDATE takes the row lock (held to commit) and counts in the database: two queries a number.
    if not series.update(last_number=F("last_number") + 1):
        InvoiceNumberSeries.objects.get_or_create(year=year)
        series.update(last_number=F("last_number") + 1)
    last_number = series.values_list("last_number", flat=True).get()
    return last_number, f"{year}-{last_number:05d}"


def due_date_for(invoice_date: dt.date) -> dt.date:
    return invoice_date + dt.timedelta(days=settings.INVOICE_PAYMENT_DAYS)


@transaction.atomic
def issue_invoice(
    *,
    agency: Agency,
    period: str,
    lines: list[LineInput],
    specification: dict | None = None,
    invoice_date: dt.date | None = None,
    revision: int = 1,
    user=None,
    close_job=None,
    reason: str = "",
    frozen: set[int] | None = None,
) -> Invoice | None:
    """Issue one agency's invoice for a month with a number from the series. No lines
    (or a zero total) means nothing to invoice: no invoice and no number is used.
    ``specification`` (from ``month.price_month``) is kept on the invoice as issued.
    ``frozen``: the ids of the price lists this transaction has frozen already, kept up to date
    here (the close passes one set to all its invoices and looks each list up once)."""
    lines = [entry for entry in lines if entry.line.quantity]
    if not lines:
        return None
    invoice_date = invoice_date or timezone.localdate()
    sequence, number = allocate_number(year=invoice_date.year)
    price_list_ids = {entry.line.price_list_id for entry in lines}
    invoice = Invoice.objects.create(
        kind=Invoice.Kind.INVOICE,
        number=number,
        series_year=invoice_date.year,
        sequence=sequence,
        agency=agency,
        unit_id=agency.unit_id,
        period=period,
        revision=revision,
        invoice_date=invoice_date,
        due_date=due_date_for(invoice_date),
        agency_code=agency.code,
        agency_name=agency.name,
        agency_address=agency.address,
        billing_reference=agency.billing_reference,
        **Invoice.buyer_fields(agency),
        total=pricing.total([entry.line for entry in lines]),
        price_list_id=min(price_list_ids),
        close_job=close_job,
        issued_by=user,
        reason=reason,
        specification=specification or {},
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=position,
            item_code=entry.line.item_code,
            name=entry.line.name,
            unit=entry.line.unit,
            quantity=entry.line.quantity,
            unit_price=entry.line.unit_price,
            amount=entry.line.amount,
            base_price=entry.line.base_price,
            surcharge=entry.line.surcharge,
            late_from_period=entry.late_from_period,
        )
        for position, entry in enumerate(lines, start=1)
    )
    frozen = set() if frozen is None else frozen
    # An empty pk__in makes no query: a list this transaction froze already is not looked up again.
    for price_list in PriceList.objects.filter(pk__in=price_list_ids - frozen, frozen_at__isnull=True):
        pricing.freeze_price_list(price_list=price_list)
    frozen |= price_list_ids
    announce_issued(invoice)
    return invoice


def negated_specification(specification: dict) -> dict:
    """A credit note's specification: the original's, with negative quantities."""
    sources = [{**row, "quantity": str(-Decimal(row["quantity"]))} for row in specification.get("sources", [])]
    return {**specification, "sources": sources}


def announce_issued(invoice: Invoice) -> None:
    """The webhook invoice.issued (sent when the transaction that issued it commits)."""
    webhooks.emit(
        "invoice.issued",
        {
            "id": invoice.pk,
            "number": invoice.number,
            "kind": invoice.kind,
            "agency": invoice.agency_code,
            "period": invoice.period,
            "total": str(invoice.total),
            "credits_invoice": invoice.credited_invoice.number if invoice.credited_invoice_id else None,
        },
        permission="invoicing.view_invoice",
        agency_id=invoice.agency_id,
    )
    notices.invoice_issued(invoice)


@transaction.atomic
def credit_invoice(*, invoice: Invoice, user, reason: str, credit_date: dt.date | None = None) -> Invoice:
    """Credit an issued invoice in full with a credit note that refers to it. An invoice
    is credited once; a credit note itself cannot be credited."""
    reason = (reason or "").strip()
    if not reason:
        raise InvoiceError(_("Give the reason for the credit note."))
    # Lock the original so that two finance users cannot credit it at the same time.
    original = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if original.is_credit_note:
        raise InvoiceError(_("A credit note cannot be credited."))
    if Invoice.objects.filter(credited_invoice=original).exists():
        raise InvoiceError(_("Invoice %(number)s has already been credited.") % {"number": original.number})
    credit_date = credit_date or timezone.localdate()
    sequence, number = allocate_number(year=credit_date.year)
    note = Invoice.objects.create(
        kind=Invoice.Kind.CREDIT_NOTE,
        number=number,
        series_year=credit_date.year,
        sequence=sequence,
        agency=original.agency,
        unit=original.unit,
        period=original.period,
        revision=original.revision,
        credited_invoice=original,
        invoice_date=credit_date,
        due_date=credit_date,
        agency_code=original.agency_code,
        agency_name=original.agency_name,
        agency_address=original.agency_address,
        billing_reference=original.billing_reference,
        **{name: getattr(original, name) for name in Invoice.BUYER_FIELDS},
        total=-original.total,
        price_list=original.price_list,
        issued_by=user,
        reason=reason,
        specification=negated_specification(original.specification),
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=note,
            position=line.position,
            item_code=line.item_code,
            name=line.name,
            unit=line.unit,
            quantity=-line.quantity,
            unit_price=line.unit_price,
            amount=-line.amount,
            base_price=line.base_price,
            surcharge=line.surcharge,
            late_from_period=line.late_from_period,
        )
        for line in original.lines.all()
    )
    announce_issued(note)
    return note


def reissue_price_list(*, agency: Agency, period: str) -> PriceList | None:
    """The list a reissue prices with unless finance chooses another: the one that priced the
    agency's last invoice of the month (None when the month has none: the list in force then)."""
    replaced = (
        Invoice.objects.filter(agency=agency, period=period, kind=Invoice.Kind.INVOICE)
        .order_by("-revision")
        .select_related("price_list")
        .first()
    )
    return replaced.price_list if replaced else None


@transaction.atomic
def reissue_invoice(
    *, agency: Agency, period: str, user, reason: str = "", invoice_date=None, price_list=None
) -> Invoice | None:
    """Issue a new invoice for an agency's closed month after its invoice was credited: the month's
    work is counted again and priced with the price list of the invoice it replaces, unless finance
    chooses another ``price_list`` (the new invoice names its list)."""
    if not is_period_closed(period):
        raise InvoiceError(
            _("%(period)s is not closed yet: the monthly close issues its invoices.") % {"period": period}
        )
    # Serialise re-invoicing of the agency's month on the agency row.
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    issued = Invoice.objects.filter(agency=agency, period=period, kind=Invoice.Kind.INVOICE)
    if issued.filter(credit_note__isnull=True).exists():
        raise InvoiceError(
            _("%(agency)s already has a valid invoice for %(period)s: credit it first.")
            % {"agency": agency.code, "period": period}
        )
    last_revision = max(issued.values_list("revision", flat=True), default=0)
    if price_list is None:
        price_list = reissue_price_list(agency=agency, period=period)
    elif not pricing.versions_of_year(period).filter(pk=price_list.pk).exists():
        raise InvoiceError(
            _("Price list %(list)s is not a version of %(year)s.") % {"list": price_list, "year": period[:4]}
        )
    months = price_month(period=period, agencies=[agency], price_list=price_list)
    invoice = issue_invoice(
        agency=agency,
        period=period,
        lines=months[0].lines if months else [],
        specification=months[0].specification if months else None,
        invoice_date=invoice_date,
        revision=last_revision + 1,
        user=user,
        reason=reason,
    )
    if invoice is None:
        raise InvoiceError(
            _("There is nothing to invoice for %(agency)s in %(period)s.") % {"agency": agency.code, "period": period}
        )
    return invoice
