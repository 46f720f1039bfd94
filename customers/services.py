"""Writes to customers: agencies, contacts, agreements, add-on hours, the customer log and complaints.

Views, the admin, imports and demo data change customer data only through these functions.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.billing import billing_period_for_write, lock_month, open_billing_period
from core.periods import period_end, period_start

from . import notices
from .models import (
    AddonAgreement,
    AddonHours,
    Agency,
    AgencyContact,
    AgencyNotice,
    CentreForm,
    CentreFormVersion,
    Complaint,
    CustomerLogEntry,
    CustomerMessage,
    ServiceAgreement,
)
from .selectors import active_q, agencies_for

AGENCY_FIELDS = (
    "code",
    "name",
    "kind",
    "unit",
    "functional_mailbox",
    "billing_reference",
    "account_code",
    "counterpart_code",
    "address",
    "active_from",
    "active_to",
    "organisation_number",
    "peppol_endpoint",
    "responsibility_code",
    "activity_code",
)

# --- agencies ------------------------------------------------------------------------------


def _apply(obj, fields: dict, allowed) -> list[str]:
    changed = []
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"unexpected field {name}")
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def save_agency(*, agency: Agency | None = None, **fields) -> Agency:
    """Create an agency, or change the given one; codes are stored in upper case."""
    if "code" in fields:
        fields["code"] = fields["code"].strip().upper()
    if agency is None:
        agency = Agency(**fields)
        agency.full_clean()
        agency.save()
        return agency
    changed = _apply(agency, fields, AGENCY_FIELDS)
    if changed:
        agency.full_clean()
        agency.save()
    return agency


@transaction.atomic
def deactivate_agency(*, agency: Agency, last_day: dt.date) -> Agency:
    """End an agency's time as a customer. Agencies are never deleted: cases and invoices keep them."""
    if agency.active_from and last_day < agency.active_from:
        raise ValidationError(
            {
                "active_to": _("The last day cannot be before the agency became a customer (%(day)s).")
                % {"day": agency.active_from}
            }
        )
    agency.active_to = last_day
    agency.save(update_fields=["active_to"])
    return agency


@transaction.atomic
def reactivate_agency(*, agency: Agency) -> Agency:
    agency.active_to = None
    agency.save(update_fields=["active_to"])
    return agency


# --- contacts ------------------------------------------------------------------------------


@transaction.atomic
def save_contact(
    *,
    agency: Agency,
    contact: AgencyContact | None = None,
    name: str,
    title: str = "",
    email: str = "",
    phone: str = "",
    is_primary: bool = False,
) -> AgencyContact:
    """Add or change a contact person; making one primary makes the agency's other contacts not primary."""
    if contact is not None and contact.agency_id != agency.pk:
        raise ValueError("contact of another agency")
    if is_primary:
        others = AgencyContact.objects.filter(agency=agency, is_primary=True)
        if contact is not None:
            others = others.exclude(pk=contact.pk)
        for other in others:
            other.is_primary = False
            other.save(update_fields=["is_primary"])
    contact = contact or AgencyContact(agency=agency)
    contact.name, contact.title, contact.email, contact.phone = name, title, email, phone
    contact.is_primary = is_primary
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def delete_contact(*, contact: AgencyContact) -> None:
    contact.delete()


# --- service agreements ----------------------------------------------------------------------


@transaction.atomic
def save_service_agreement(
    *,
    agency: Agency,
    agreement: ServiceAgreement | None = None,
    year: int,
    valid_from: dt.date,
    valid_to: dt.date,
    signed_on: dt.date | None = None,
    lead_time_days: int = 5,
    opening_hours: str = "",
    notes: str = "",
    interface_document=None,
    remove_document: bool = False,
) -> ServiceAgreement:
    """Create or change an agency's agreement for a year (one per agency and year).

    A new interface document replaces the old file; the old file is removed once the
    change is committed, so a failed save never loses the document in use.
    """
    if agreement is not None and agreement.agency_id != agency.pk:
        raise ValueError("agreement of another agency")
    clash = ServiceAgreement.objects.filter(agency=agency, year=year)
    if agreement is not None:
        clash = clash.exclude(pk=agreement.pk)
    if clash.exists():
        raise ValidationError(
            {
                "year": _("%(agency)s already has a service agreement for %(year)s.")
                % {"agency": agency.name, "year": year}
            }
        )
    agreement = agreement or ServiceAgreement(agency=agency)
    old_file = agreement.interface_document.name if agreement.interface_document else ""
    agreement.year, agreement.valid_from, agreement.valid_to = year, valid_from, valid_to
    agreement.signed_on, agreement.lead_time_days, agreement.notes = signed_on, lead_time_days, notes
    agreement.opening_hours = (opening_hours or "").strip()
    if interface_document is not None:
        agreement.interface_document = interface_document
        agreement.interface_document_name = interface_document.name[-200:]
    elif remove_document:
        agreement.interface_document = ""
        agreement.interface_document_name = ""
    agreement.full_clean()
    agreement.save()
    new_file = agreement.interface_document.name if agreement.interface_document else ""
    if old_file and old_file != new_file:
        storage = agreement.interface_document.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return agreement


# --- add-on agreements and hours -------------------------------------------------------------


@transaction.atomic
def save_addon_agreement(
    *,
    agency: Agency,
    agreement: AddonAgreement | None = None,
    description: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    item_code: str = "addon_hour",
    notes: str = "",
) -> AddonAgreement:
    if agreement is not None and agreement.agency_id != agency.pk:
        raise ValueError("add-on agreement of another agency")
    agreement = agreement or AddonAgreement(agency=agency)
    agreement.description, agreement.valid_from, agreement.valid_to = description, valid_from, valid_to
    agreement.item_code, agreement.notes = item_code, notes
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def register_addon_hours(
    *, agreement: AddonAgreement, period: str, hours: Decimal, note: str = "", user=None
) -> AddonHours:
    """Register hours worked in ``period`` under an add-on agreement.

    The hours are invoiced in the period worked, or in the next open billing period when that
    period's invoices have already been issued, so late registrations are never lost.
    """
    if not agreement.is_valid_in(period_start(period), period_end(period)):
        raise ValidationError({"period": _("The add-on agreement is not valid in %(period)s.") % {"period": period}})
    entry = AddonHours(
        agreement=agreement,
        period=period,
        billing_period=billing_period_for_write(period),
        hours=hours,
        note=note,
        registered_by=user,
    )
    entry.full_clean()
    entry.save()
    return entry


def hours_can_be_removed(entry: AddonHours) -> bool:
    """Hours can be taken back until their billing period has been invoiced."""
    return open_billing_period(entry.billing_period) == entry.billing_period


@transaction.atomic
def remove_addon_hours(*, entry: AddonHours) -> None:
    lock_month(entry.billing_period, shared=True)  # not while the close reads them
    if not hours_can_be_removed(entry):
        raise ValidationError(_("These hours have already been invoiced and cannot be removed."))
    entry.delete()


# --- customer log ----------------------------------------------------------------------------


def _not_in_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def add_log_entry(*, agency: Agency, date: dt.date, kind: str, summary: str, author) -> CustomerLogEntry:
    """Write a customer log entry (meeting, call, e-mail or change) in the author's name."""
    _not_in_future(date, "date")
    entry = CustomerLogEntry(agency=agency, date=date, kind=kind, summary=summary, author=author)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def update_log_entry(*, entry: CustomerLogEntry, date: dt.date, kind: str, summary: str) -> CustomerLogEntry:
    _not_in_future(date, "date")
    entry.date, entry.kind, entry.summary = date, kind, summary
    entry.full_clean()
    entry.save()
    return entry


# --- feedback and complaints -----------------------------------------------------------------


@transaction.atomic
def register_complaint(
    *,
    agency: Agency,
    category: str,
    received_on: dt.date,
    description: str,
    kind: str = Complaint.Kind.COMPLAINT,
    handler=None,
    user=None,
    sender=None,
) -> Complaint:
    """Register feedback or a complaint from an agency; it starts open."""
    _not_in_future(received_on, "received_on")
    complaint = Complaint(
        agency=agency,
        kind=kind,
        category=category,
        received_on=received_on,
        description=description,
        handler=handler,
        registered_by=user,
        sender=sender,
        status=Complaint.Status.IN_PROGRESS if handler else Complaint.Status.OPEN,
    )
    complaint.full_clean()
    complaint.save()
    return complaint


@transaction.atomic
def submit_feedback(
    *,
    agency: Agency,
    sender,
    category: str,
    description: str,
    kind: str = Complaint.Kind.FEEDBACK,
) -> Complaint:
    """Feedback or a complaint sent by an agency contact from the portal: it lands in the register,
    open, received today, with the contact as its sender. Which agencies a contact may write for is
    the portal's scope (contact_agencies)."""
    if not (description or "").strip():
        raise ValidationError({"description": _("Write what the feedback is about.")})
    return register_complaint(
        agency=agency,
        kind=kind,
        category=category,
        received_on=timezone.localdate(),
        description=description.strip(),
        user=sender,
        sender=sender,
    )


@transaction.atomic
def handle_complaint(
    *,
    complaint: Complaint,
    handler=None,
    status: str,
    resolution: str = "",
    resolved_on: dt.date | None = None,
    answering_dispute: bool = False,
) -> Complaint:
    """Record who handles a complaint and how far it has come.

    A resolved complaint needs a resolution and a date (today unless given); one that is
    reopened loses its resolution date. An invoice dispute is answered by finance on the invoice
    (a reply or a credit note, ``invoicing.services.disputes``), never here on its own.
    """
    if complaint.kind == Complaint.Kind.DISPUTE and not answering_dispute:
        raise ValidationError(
            _("An invoice dispute is answered by finance from the invoice's disputes, with a reply or a credit note.")
        )
    errors = {}
    if status == Complaint.Status.RESOLVED:
        if not resolution.strip():
            errors["resolution"] = _("Describe how the complaint was resolved.")
        resolved_on = resolved_on or timezone.localdate()
        if resolved_on < complaint.received_on:
            errors["resolved_on"] = _("The complaint cannot be resolved before it was received.")
        elif resolved_on > timezone.localdate():
            errors["resolved_on"] = _("The date cannot be in the future.")
    else:
        resolved_on = None
    if errors:
        raise ValidationError(errors)
    complaint.handler, complaint.status = handler, status
    complaint.resolution, complaint.resolved_on = resolution, resolved_on
    complaint.full_clean()
    complaint.save()
    return complaint


# --- customer messages (kundmeddelanden) -------------------------------------------------------


@transaction.atomic
def send_customer_message(*, author, subject: str, body: str, agencies=None) -> CustomerMessage:
    """Write a customer message to ``agencies`` (None: every active agency the author serves) and mail
    it to each one's functional mailbox, recorded as a notice per agency (an agency without a mailbox
    sees it in the portal only). Which agencies an author may write to is their scope (agencies_for)."""
    subject, body = (subject or "").strip(), (body or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Give the message a subject.")
    if not body:
        errors["body"] = _("Write the message.")
    allowed = agencies_for(author)
    chosen = allowed.filter(active_q()) if agencies is None else allowed.filter(pk__in=[a.pk for a in agencies])
    chosen = list(chosen.order_by("code"))
    if not chosen:
        errors["agencies"] = _("Choose at least one agency.")
    if errors:
        raise ValidationError(errors)
    message = CustomerMessage.objects.create(subject=subject, body=body, to_all=agencies is None, author=author)
    message.agencies.set(chosen)
    for agency in chosen:
        notices.record(
            agency=agency,
            kind=AgencyNotice.Kind.CUSTOMER_MESSAGE,
            key=f"message:{message.pk}:{agency.pk}",
            subject=subject,
            body=body,
            to=[agency.functional_mailbox],
            created_by=author,
        )
    return message


# --- forms (blanketter) ----------------------------------------------------------------------


@transaction.atomic
def upload_form_version(
    *, upload, user, form: CentreForm | None = None, name: str = "", description: str = "", note: str = ""
) -> CentreFormVersion:
    """Upload a form's next version (the first of a new form when none is given). Versions are
    numbered 1, 2, … per form under a lock of the form's row; older versions are kept."""
    if form is None:
        name = (name or "").strip()
        if CentreForm.objects.filter(name__iexact=name).exists():
            raise ValidationError({"name": _("There is already a form called %(name)s.") % {"name": name}})
        form = CentreForm(name=name, description=(description or "").strip())
        form.full_clean()
        form.save()
    else:
        form = CentreForm.objects.select_for_update().get(pk=form.pk)
        if description and description.strip() != form.description:
            form.description = description.strip()
            form.save(update_fields=["description"])
    last = form.versions.aggregate(n=Max("number"))["n"] or 0
    version = CentreFormVersion(
        form=form,
        number=last + 1,
        file=upload,
        file_name=upload.name[-200:],
        note=(note or "").strip(),
        uploaded_by=user,
    )
    version.full_clean()
    version.save()
    return version
