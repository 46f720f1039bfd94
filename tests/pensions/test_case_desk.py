"""Documents and notes on a pension case (the checks of core.documents are tested with payroll's)."""

import pytest
from django.urls import reverse

from pensions.models import CaseDocument, CaseNote
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(unit):
    return factories.PensionCaseFactory(agency=factories.AgencyFactory(unit=unit), unit=unit)


def test_a_pension_handler_attaches_opens_and_notes(client, pension_handler, case):
    client.force_login(pension_handler)
    client.post(reverse("pensions:document_add", args=[case.pk]), {"document": factories.upload("beslut.pdf")})
    doc = CaseDocument.objects.get(case=case)
    assert doc.file.name.startswith("case-documents/pensions/")
    opened = client.get(reverse("pensions:document", args=[doc.pk]))
    assert opened.status_code == 200 and b"".join(opened.streaming_content) == factories.PDF_BYTES
    client.post(reverse("pensions:note_add", args=[case.pk]), {"text": "Väntar på intyg"})
    assert CaseNote.objects.get(case=case).author == pension_handler
    page = client.get(reverse("pensions:case_detail", args=[case.pk])).content.decode()
    assert "beslut.pdf" in page and "Väntar på intyg" in page


def test_a_bad_file_is_refused(client, pension_handler, case):
    client.force_login(pension_handler)
    client.post(
        reverse("pensions:document_add", args=[case.pk]), {"document": factories.upload("x.pdf", b"<html></html>")}
    )
    assert not CaseDocument.objects.exists()


def test_another_units_pension_document_is_a_404(client, pension_handler, other_unit):
    foreign = factories.PensionCaseFactory(agency=factories.AgencyFactory(unit=other_unit), unit=other_unit)
    doc = factories.case_document(foreign, pension_handler)
    client.force_login(pension_handler)
    assert client.get(reverse("pensions:document", args=[doc.pk])).status_code == 404
    assert client.post(reverse("pensions:note_add", args=[foreign.pk]), {"text": "x"}).status_code == 404
    assert not CaseNote.objects.exists()
