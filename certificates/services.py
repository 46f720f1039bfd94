"""Writing certificates: a request registered, issued (numbered, its content copied) or cancelled.

- A request names the employee (found or added by ``people.services.upsert_person``) and the agency;
  it is due in ``LEAD_DAYS`` working days.
- Issuing gives the next number of the year (``INT-2025-00001``, no gaps: the year's counter is
  locked inside the transaction) and copies onto the certificate what it says — name, number,
  agency, the pay periods of the person's completed payroll cases at the agency — with the position,
  extent and form of employment the handler adds. A certificate with no pay period at the agency is
  refused: the centre holds no employment to certify.
- An issued certificate never changes; the PDF is rendered from the copy.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import render_pdf
from core.workdays import add_working_days
from payroll.selectors import cases_for
from people.identity import MASK, MASKED_NAME, can_see_protected, log_unmasked_view
from people.services import upsert_person

from .models import Certificate, CertificateSeries, MailItem
from .selectors import employment

LEAD_DAYS = 5


@transaction.atomic
def request_certificate(
    *, user, kind, agency, personnummer, name="", requested_by, requester="", purpose="", received_on
) -> Certificate:
    person = upsert_person(personnummer=personnummer, name=name)
    certificate = Certificate(
        kind=kind,
        person=person,
        agency=agency,
        requested_by=requested_by,
        requester=requester.strip(),
        purpose=purpose.strip(),
        received_on=received_on,
        due_on=add_working_days(received_on, LEAD_DAYS),
        registered_by=user,
    )
    certificate._history_user = user
    certificate.save()
    return certificate


def _next_number(year: int) -> str:
    series, _created = CertificateSeries.objects.select_for_update().get_or_create(year=year)
    series.last += 1
    series.save(update_fields=["last"])
    return f"INT-{year}-{series.last:05d}"


@transaction.atomic
def issue_certificate(*, certificate: Certificate, user, title="", extent="", employment_form="") -> Certificate:
    certificate = Certificate.objects.select_for_update().select_related("person", "agency").get(pk=certificate.pk)
    if not certificate.is_open:
        raise ValidationError(_("Only a requested certificate can be issued."))
    held = employment(person=certificate.person, agency=certificate.agency)
    if not held.periods:
        raise ValidationError(
            _("The centre has no pay for this person at %(agency)s: there is no employment to certify.")
            % {"agency": certificate.agency.name}
        )
    today = timezone.localdate()
    certificate.number = _next_number(today.year)
    certificate.status = Certificate.Status.ISSUED
    certificate.issued_on = today
    certificate.issued_by = user
    certificate.person_name = certificate.person.name
    certificate.personnummer = certificate.person.personnummer
    certificate.agency_name = certificate.agency.name
    certificate.first_period, certificate.last_period = held.first, held.last
    certificate.months_paid = len(held.periods)
    certificate.service_periods = held.ranges_text[:1000]
    certificate.title, certificate.extent = title.strip(), extent.strip()
    certificate.employment_form = employment_form.strip()
    certificate._history_user = user
    certificate.save()
    return certificate


@transaction.atomic
def cancel_certificate(*, certificate: Certificate, user, reason: str) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not certificate.is_open:
        raise ValidationError(_("Only a requested certificate can be cancelled."))
    if not (reason or "").strip():
        raise ValidationError(_("Say why the request is cancelled."))
    certificate.status = Certificate.Status.CANCELLED
    certificate.cancel_reason = reason.strip()[:300]
    certificate._history_user = user
    certificate.save()
    return certificate


def certificate_pdf(*, certificate: Certificate, user) -> bytes:
    """The issued certificate as PDF, from its copy; a protected person is masked for users who may
    not see them, and an unmasked PDF is logged."""
    if certificate.status != Certificate.Status.ISSUED:
        raise ValidationError(_("The certificate is not issued."))
    masked = certificate.person.protected_identity and not can_see_protected(user)
    if not masked:
        log_unmasked_view(user, [certificate.person], f"certificate {certificate.number}")
    context = {
        "certificate": certificate,
        "name": str(MASKED_NAME) if masked else certificate.person_name,
        "number": MASK if masked else certificate.personnummer,
    }
    return render_pdf("certificates/pdf/certificate.html", context)


@transaction.atomic
def log_mail(*, user, unit, received_on, sender, kind, agency=None, description="", case_reference="", certificates):
    """Log a piece of incoming post; ``case_reference`` names the case it went to: a payroll case
    ``L-123`` or a certificate ``INT-2025-00001`` / ``I-12`` of ``certificates`` (what the user may see)."""
    payroll_case = certificate = None
    reference = (case_reference or "").strip().upper()
    if reference.startswith("L-") and reference[2:].isdigit():
        payroll_case = cases_for(user).filter(pk=int(reference[2:])).first()
    elif reference.startswith("I-") and reference[2:].isdigit():
        certificate = certificates.filter(pk=int(reference[2:])).first()
    elif reference.startswith("INT-"):
        certificate = certificates.filter(number=reference).first()
    if reference and payroll_case is None and certificate is None:
        raise ValidationError({"case_reference": _("No case of yours has the reference %(ref)s.") % {"ref": reference}})
    item = MailItem(
        unit=unit,
        received_on=received_on,
        sender=sender.strip(),
        kind=kind,
        agency=agency,
        description=(description or "").strip(),
        payroll_case=payroll_case,
        certificate=certificate,
        registered_by=user,
    )
    item._history_user = user
    item.save()
    return item
