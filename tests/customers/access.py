import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import roles
from tests.access import EVERY_ROLE, Rule, roles_
from tests.factories import (
    AddonAgreementFactory,
    AddonHoursFactory,
    AgencyContactFactory,
    AgencyFactory,
    ComplaintFactory,
    CustomerLogEntryFactory,
    ServiceAgreementFactory,
)

ADMIN = roles_(roles.ADMINISTRATOR)
UNIT_EDITORS = roles_(roles.UNIT_MANAGER, roles.ADMINISTRATOR)
FRONT_DESK = roles_(roles.CASE_HANDLER, roles.PENSION_HANDLER, roles.UNIT_MANAGER, roles.ADMINISTRATOR)


def _agency(w):
    return {"pk": AgencyFactory(unit=w["unit"]).pk}


def _contact(w):
    return {"pk": AgencyContactFactory(agency=AgencyFactory(unit=w["unit"])).pk}


def _agreement(w):
    return {"pk": ServiceAgreementFactory(agency=AgencyFactory(unit=w["unit"])).pk}


def _agreement_with_document(w):
    agreement = ServiceAgreementFactory(
        agency=AgencyFactory(unit=w["unit"]),
        interface_document=SimpleUploadedFile("granssnitt.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    return {"pk": agreement.pk}


def _addon(w):
    return {"pk": AddonAgreementFactory(agency=AgencyFactory(unit=w["unit"])).pk}


def _hours(w):
    return {"pk": AddonHoursFactory(agreement=AddonAgreementFactory(agency=AgencyFactory(unit=w["unit"]))).pk}


def _log_entry(w):
    return {"pk": CustomerLogEntryFactory(agency=AgencyFactory(unit=w["unit"])).pk}


def _complaint(w):
    return {"pk": ComplaintFactory(agency=AgencyFactory(unit=w["unit"])).pk}


def _failed_notice(w):
    from customers.models import AgencyNotice

    notice = AgencyNotice.objects.create(
        agency=AgencyFactory(unit=w["unit"]),
        kind=AgencyNotice.Kind.INVOICE_ISSUED,
        key=f"test:{uuid.uuid4().hex}",
        recipients=["hr@stad.example.se"],
        subject="Faktura",
        body="Faktura",
        status=AgencyNotice.Status.FAILED,
    )
    return {"pk": notice.pk}


def _form_version(w):
    from customers.services import upload_form_version

    upload = SimpleUploadedFile("nyanstallning.pdf", b"%PDF-1.4\n%%EOF\n")
    return {
        "pk": upload_form_version(
            upload=upload, user=w["users"][roles.UNIT_MANAGER], name=f"Blankett {uuid.uuid4().hex[:6]}"
        ).pk
    }


MESSAGES = roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)
NOTICE_RESEND = roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.FINANCE, roles.ADMINISTRATOR)

RULES = {
    "customers:agency_list": Rule(allowed=EVERY_ROLE),
    "customers:agency_create": Rule(allowed=ADMIN),
    "customers:agency_import": Rule(allowed=ADMIN),
    "customers:agency_detail": Rule(allowed=EVERY_ROLE, kwargs=_agency),
    "customers:agency_edit": Rule(allowed=UNIT_EDITORS, kwargs=_agency),
    "customers:agency_deactivate": Rule(allowed=UNIT_EDITORS, kwargs=_agency),
    "customers:agency_reactivate": Rule(allowed=UNIT_EDITORS, kwargs=_agency, method="post"),
    "customers:contact_create": Rule(allowed=UNIT_EDITORS, kwargs=_agency),
    "customers:contact_edit": Rule(allowed=UNIT_EDITORS, kwargs=_contact),
    "customers:contact_delete": Rule(allowed=UNIT_EDITORS, kwargs=_contact),
    "customers:agreement_create": Rule(allowed=UNIT_EDITORS, kwargs=_agency),
    "customers:agreement_edit": Rule(allowed=UNIT_EDITORS, kwargs=_agreement),
    "customers:agreement_document": Rule(allowed=EVERY_ROLE, kwargs=_agreement_with_document),
    "customers:addon_create": Rule(allowed=UNIT_EDITORS, kwargs=_agency),
    "customers:addon_detail": Rule(allowed=EVERY_ROLE, kwargs=_addon),
    "customers:addon_edit": Rule(allowed=UNIT_EDITORS, kwargs=_addon),
    "customers:addon_hours_delete": Rule(allowed=UNIT_EDITORS, kwargs=_hours, method="post"),
    "customers:log_list": Rule(allowed=EVERY_ROLE),
    "customers:log_create": Rule(allowed=FRONT_DESK),
    "customers:log_edit": Rule(allowed=UNIT_EDITORS, kwargs=_log_entry),
    "customers:meetings": Rule(allowed=EVERY_ROLE),
    "customers:complaint_list": Rule(allowed=EVERY_ROLE),
    "customers:complaint_create": Rule(allowed=FRONT_DESK),
    "customers:complaint_summary": Rule(allowed=EVERY_ROLE),
    "customers:complaint_detail": Rule(allowed=EVERY_ROLE, kwargs=_complaint),
    "customers:complaint_handle": Rule(allowed=UNIT_EDITORS, kwargs=_complaint),
    "customers:notice_resend": Rule(allowed=NOTICE_RESEND, kwargs=_failed_notice, method="post"),
    "customers:message_list": Rule(allowed=MESSAGES),
    "customers:message_create": Rule(allowed=MESSAGES),
    "customers:form_list": Rule(allowed=EVERY_ROLE),
    "customers:form_upload": Rule(allowed=MESSAGES),
    "customers:form_version_download": Rule(allowed=EVERY_ROLE, kwargs=_form_version),
}
