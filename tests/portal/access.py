"""The agencies' portal: agency contacts (their own agencies only) and administrators.

The builders make each object on the contact's own agency when the world's unit holds it, and on
another agency of the world's unit otherwise (the IDOR tests' other unit) or when the world asks
for ``foreign_agency`` (tests/security/test_portal_idor.py: another agency of the same unit)."""

from accounts import roles
from tests.access import Rule, roles_

PORTAL = roles_(roles.AGENCY_CONTACT, roles.ADMINISTRATOR)


def _agency(w):
    from customers.models import AgencyContactAccess
    from tests.factories import AgencyFactory

    contact = w["users"][roles.AGENCY_CONTACT]
    mine = AgencyContactAccess.objects.filter(user=contact, agency__unit=w["unit"]).first()
    if mine is not None and not w.get("foreign_agency"):
        return mine.agency
    return AgencyFactory(unit=w["unit"])


def _invoice(w):
    from invoicing.models import Invoice
    from tests.factories import issued_invoice

    agency = _agency(w)
    invoice = Invoice.objects.filter(agency=agency).first() or issued_invoice(agency=agency)
    return {"pk": invoice.pk}


def _return(w):
    from tests.factories import CaseReturnFactory

    case_return = CaseReturnFactory(case__agency=_agency(w), returned_by=w["users"][roles.CASE_HANDLER])
    return {"pk": case_return.pk}


def _upload(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"document": SimpleUploadedFile("svar.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")}


def _form(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from customers.models import CentreForm
    from customers.services import upload_form_version

    upload = SimpleUploadedFile("nyanstallning.pdf", b"%PDF-1.4\n%%EOF\n")
    name = f"Nyanställning {CentreForm.objects.count() + 1}"
    version = upload_form_version(upload=upload, user=w["users"][roles.UNIT_MANAGER], name=name)
    return {"pk": version.form.pk}


def _agreement(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import ServiceAgreementFactory

    agency = _agency(w)
    document = SimpleUploadedFile("granssnitt.pdf", b"%PDF-1.4\n%%EOF\n")
    year = 2000 + agency.agreements.count()  # a year of its own for each visit of the matrix
    return {"pk": ServiceAgreementFactory(agency=agency, year=year, interface_document=document).pk}


# Portal URLs whose object is the centre's, the same for every agency (no other agency's to refuse).
CENTRE_WIDE = {"portal:form_download"}

RULES = {
    "portal:month": Rule(allowed=PORTAL),
    "portal:invoice_list": Rule(allowed=PORTAL),
    "portal:invoice_detail": Rule(allowed=PORTAL, kwargs=_invoice),
    "portal:invoice_pdf": Rule(allowed=PORTAL, kwargs=_invoice),
    "portal:invoice_einvoice": Rule(allowed=PORTAL, kwargs=_invoice),
    "portal:return_list": Rule(allowed=PORTAL),
    "portal:cover_letter": Rule(allowed=PORTAL, kwargs=_return),
    # The upload answers the return: the case goes back to the queue (a redirect to the list).
    "portal:return_answer": Rule(allowed=PORTAL, kwargs=_return, method="post", data=_upload),
    "portal:invoice_dispute": Rule(allowed=PORTAL, kwargs=_invoice),
    "portal:feedback_list": Rule(allowed=PORTAL),
    "portal:feedback_create": Rule(allowed=PORTAL),
    "portal:message_list": Rule(allowed=PORTAL),
    "portal:information": Rule(allowed=PORTAL),
    "portal:form_download": Rule(allowed=PORTAL, kwargs=_form),
    "portal:interface_document": Rule(allowed=PORTAL, kwargs=_agreement),
}
