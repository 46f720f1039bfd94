"""A contact answers a returned document by upload: the case is back in the handler's queue."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from payroll.models import CaseDocument, CaseNote, PayrollCase
from tests.factories import CaseReturnFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def _waiting_return(agency_contact, case_handler):
    agency = agency_contact.agency_accesses.get().agency
    return CaseReturnFactory(case__agency=agency, case__handler=case_handler, returned_by=case_handler)


def test_the_upload_records_the_document_as_arrived_and_tells_the_handler(client, agency_contact, case_handler):
    case_return = _waiting_return(agency_contact, case_handler)
    client.force_login(agency_contact)
    url = reverse("portal:return_answer", args=[case_return.pk])
    response = client.post(url, {"document": SimpleUploadedFile("svar.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302 and response["Location"] == reverse("portal:return_list")
    case_return.refresh_from_db()
    case = case_return.case
    case.refresh_from_db()
    assert case_return.document_arrived_on is not None and case_return.arrival_recorded_by == agency_contact
    assert case.status == PayrollCase.Status.RECEIVED and case.clock_stopped_on is None
    document = CaseDocument.objects.get(case=case)
    assert document.content_type == "application/pdf" and document.file.read() == PDF
    assert "svar.pdf" in CaseNote.objects.get(case=case).text
    # The handler's queue has it back.
    client.force_login(case_handler)
    assert case.reference in client.get(reverse("payroll:queue")).content.decode()
    # A second answer to the same return is refused.
    client.force_login(agency_contact)
    again = client.post(url, {"document": SimpleUploadedFile("svar.pdf", PDF, content_type="application/pdf")})
    assert again.status_code == 200 and CaseDocument.objects.filter(case=case).count() == 1


def test_a_file_that_is_not_a_pdf_or_image_is_refused(client, agency_contact, case_handler):
    case_return = _waiting_return(agency_contact, case_handler)
    client.force_login(agency_contact)
    fake = SimpleUploadedFile("svar.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("portal:return_answer", args=[case_return.pk]), {"document": fake})
    assert response.status_code == 200
    case_return.refresh_from_db()
    assert case_return.is_waiting and not CaseDocument.objects.exists()
