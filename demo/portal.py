"""Demo data for the agency portal: what the demo agency contact (``kontakt``, Rinkeby-Kista) finds there.

- **Customer messages**: one from the head of service to every agency (December's deadline) and
  one from unit 1's manager to the unit's agencies.
- **Forms**: "Blankett för anställning" in two versions and "Blankett för löneavdrag" in one, small
  PDFs rendered with WeasyPrint.
- **Invoice disputes**: the contact disputes a line of her agency's latest invoice (open) and one of
  the month before's, which finance has answered with a reply.
- **Feedback**: one piece from the contact, open in the complaints register.

Through ``customers.services`` and ``invoicing.services.disputes``; runs after the monthly closes
(the disputes need issued invoices). Idempotent: a message, form, dispute or feedback that is there
is left as it is.
"""

from django.core.files.base import ContentFile
from django.utils.html import escape

from accounts import roles
from customers import services
from customers.models import AgencyContactAccess, CentreForm, Complaint, CustomerMessage
from demo import calendar
from invoicing.models import Invoice, InvoiceDispute
from invoicing.services import disputes

# (author role, subject, body, only the author's unit's agencies)
MESSAGES = [
    (
        roles.HEAD_OF_SERVICE,
        "Sista dag för underlag i december",
        "Underlag till decemberlönen ska vara hos oss senast den 8 december. Underlag som kommer senare "
        "betalas ut med januarilönen.",
        False,
    ),
    (
        roles.UNIT_MANAGER,
        "Ny version av blanketten för anställning",
        "Blanketten för anställning finns i en ny version under Blanketter. Använd den från och med nu; "
        "äldre versioner tas emot till månadens slut.",
        True,
    ),
]
# form name → its description and its versions (what changed)
FORMS = {
    "Blankett för anställning": (
        "Nyanställning och förlängning av anställning",
        ["", "Nytt fält för sysselsättningsgrad och kollektivavtal"],
    ),
    "Blankett för löneavdrag": ("Avdrag på lön efter överenskommelse med den anställde", [""]),
}
OPEN_REASON = "Antalet på raden stämmer inte med vår egen uppföljning, vi räknar två färre."
ANSWERED_REASON = "Vi förstår inte raden, vad ingår i priset?"
ANSWER = "Priset på raden är årets prislistas pris per styck; vad som ingår står i serviceavtalet."
FEEDBACK = "Tack för snabb hjälp med återkravet i förra veckan, det underlättade mycket för oss."


def load(*, users) -> None:
    _load_messages(users)
    _load_forms(users)
    contact = users.get(roles.AGENCY_CONTACT)
    access = AgencyContactAccess.objects.filter(user=contact).select_related("agency").order_by("agency__code")
    agency = access.first().agency if contact is not None and access.exists() else None
    if agency is None:
        return
    _load_disputes(users, contact, agency)
    _load_feedback(contact, agency)
    # The services date what they register today; nothing in the demo is dated after its present
    # (the same day, but for the tests that lay the seed year on another calendar).
    today = calendar.present()
    Complaint.objects.filter(sender=contact, received_on__gt=today).update(received_on=today)
    Complaint.objects.filter(sender=contact, resolved_on__gt=today).update(resolved_on=today)


def _load_messages(users) -> None:
    for role, subject, body, own_unit in MESSAGES:
        author = users.get(role)
        if author is None or CustomerMessage.objects.filter(subject=subject).exists():
            continue
        agencies = None
        if own_unit:
            unit = getattr(getattr(author, "staff_member", None), "unit", None)
            agencies = list(unit.agencies.all()) if unit is not None else None
        services.send_customer_message(author=author, subject=subject, body=body, agencies=agencies)


def form_pdf(name: str, number: int, note: str) -> bytes:
    """A one-page form: its name, version and a few fields to fill in."""
    from weasyprint import HTML

    fields = "".join(
        f"<tr><th>{label}</th><td></td></tr>"
        for label in ["Förvaltning", "Namn", "Personnummer", "Från och med", "Underskrift"]
    )
    html = (
        f"<html><body style='font-family: sans-serif'><h1>{escape(name)}</h1><p>Version {number}"
        f"{' – ' + escape(note) if note else ''}</p>"
        f"<table style='width: 100%; border-collapse: collapse' border='1'>{fields}</table></body></html>"
    )
    return HTML(string=html).write_pdf()


def _load_forms(users) -> None:
    admin = users.get(roles.ADMINISTRATOR) or users.get(roles.HEAD_OF_SERVICE)
    if admin is None:
        return
    for name, (description, notes) in FORMS.items():
        form = CentreForm.objects.filter(name=name).first()
        done = form.versions.count() if form else 0
        for number, note in enumerate(notes[done:], start=done + 1):
            upload = ContentFile(form_pdf(name, number, note), name=f"{name.lower().replace(' ', '-')}-v{number}.pdf")
            version = services.upload_form_version(
                upload=upload, user=admin, form=form, name=name, description=description, note=note
            )
            form = version.form


def _load_disputes(users, contact, agency) -> None:
    finance = users.get(roles.FINANCE)
    if finance is None or InvoiceDispute.objects.filter(complaint__sender=contact).exists():
        return
    issued = (
        Invoice.objects.filter(agency=agency, kind=Invoice.Kind.INVOICE)
        .exclude(pk__in=Invoice.objects.filter(credited_invoice__isnull=False).values("credited_invoice"))
        .order_by("-period", "-sequence")
    )
    latest, before = issued[:2] if issued.count() >= 2 else (None, None)
    if latest is None:
        return
    answered = disputes.open_dispute(
        invoice=before, line=before.lines.order_by("position").first(), reason=ANSWERED_REASON, user=contact
    )
    disputes.answer_dispute(dispute=answered, user=finance, answer=ANSWER)
    disputes.open_dispute(
        invoice=latest, line=latest.lines.order_by("-quantity", "position").first(), reason=OPEN_REASON, user=contact
    )


def _load_feedback(contact, agency) -> None:
    if Complaint.objects.filter(sender=contact, kind=Complaint.Kind.FEEDBACK).exists():
        return
    services.submit_feedback(agency=agency, sender=contact, category=Complaint.Category.SERVICE, description=FEEDBACK)
