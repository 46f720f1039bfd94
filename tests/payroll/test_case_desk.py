"""Documents, notes and the timeline of a case: uploads checked by their contents and size, stored
under MEDIA_ROOT by a name nobody can guess, served only through the permission-checked view; a
protected person's documents only to those allowed; notes; everything in the timeline; retention."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from audit.retention import purge_personal_data
from payroll import selectors, services
from payroll.models import CaseDocument, CaseNote, PayrollCase
from pensions.models import CaseDocument as PensionDocument
from people.models import ProtectedIdentityAccess
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(unit):
    return factories.AgencyFactory(unit=unit, code="SDF01")


@pytest.fixture
def case(agency, case_handler):
    return factories.ManualCaseFactory(agency=agency, handler=case_handler)


def _attach(client, case, upload):
    return client.post(reverse("payroll:document_add", args=[case.pk]), {"document": upload})


def test_a_document_is_attached_stored_safely_and_opened(client, settings, case_handler, case):
    client.force_login(case_handler)
    response = _attach(client, case, factories.upload("../../Anna Andersson anställning.pdf"))
    assert response.status_code == 302 and response.url.endswith("#documents")
    doc = CaseDocument.objects.get(case=case)
    assert doc.name == "Anna Andersson anställning.pdf"  # no folders from the uploader's name
    assert doc.content_type == "application/pdf" and doc.size == len(factories.PDF_BYTES)
    stored = Path(settings.MEDIA_ROOT) / doc.file.name
    assert stored.read_bytes() == factories.PDF_BYTES
    assert doc.file.name.startswith("case-documents/payroll/") and "Anna" not in doc.file.name
    assert Path(settings.MEDIA_ROOT).resolve() in stored.resolve().parents
    opened = client.get(reverse("payroll:document", args=[doc.pk]))
    assert opened.status_code == 200 and opened["Content-Type"] == "application/pdf"
    assert b"".join(opened.streaming_content) == factories.PDF_BYTES
    assert opened["X-Content-Type-Options"] == "nosniff" and "no-store" in opened["Cache-Control"]
    page = client.get(reverse("payroll:case_detail", args=[case.pk])).content.decode()
    assert reverse("payroll:document", args=[doc.pk]) in page and "Anna Andersson anställning.pdf" in page


def test_an_image_is_accepted_by_its_contents(client, case_handler, case):
    client.force_login(case_handler)
    _attach(client, case, factories.upload("skanning.PNG", factories.PNG_BYTES, "image/png"))
    assert CaseDocument.objects.get(case=case).content_type == "image/png"


BAD_FILES = {
    "empty": ("tom.pdf", b"", "application/pdf"),
    "html named pdf": ("underlag.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
    "svg": ("bild.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"),
    "exe": ("program.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60, "application/pdf"),
    "zip": ("arkiv.pdf", b"PK\x03\x04" + b"\x00" * 60, "application/pdf"),
    "pdf named png": ("bild.png", factories.PDF_BYTES, "image/png"),
    "pdf named html": ("sida.html", factories.PDF_BYTES, "application/pdf"),
    "pdf without a name suffix": ("underlag", factories.PDF_BYTES, "application/pdf"),
    "word": ("brev.docx", b"PK\x03\x04" + b"\x00" * 60, "application/vnd.openxmlformats"),
    "text": ("lista.pdf", b"just text, no PDF header\n", "application/pdf"),
    "pdf header late": ("sent.pdf", b" " + factories.PDF_BYTES, "application/pdf"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_bad_file_is_refused_and_nothing_is_stored(client, settings, case_handler, case, kind):
    client.force_login(case_handler)
    name, content, content_type = BAD_FILES[kind]
    response = client.post(
        reverse("payroll:document_add", args=[case.pk]), {"document": factories.upload(name, content, content_type)}
    )
    assert response.status_code == 302
    assert not CaseDocument.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*")), kind
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages, kind  # the handler is told why


def test_a_file_over_the_limit_is_refused(client, settings, case_handler, case):
    settings.CASE_DOCUMENT_MAX_BYTES = 1000
    client.force_login(case_handler)
    _attach(client, case, factories.upload("stor.pdf", factories.PDF_BYTES + b"0" * 1000))
    assert not CaseDocument.objects.exists()
    _attach(client, case, factories.upload("liten.pdf", factories.PDF_BYTES))
    assert CaseDocument.objects.count() == 1


def test_the_document_comes_with_the_registration(client, case_handler, agency):
    client.force_login(case_handler)
    data = {
        "agency": agency.pk,
        "period": "2012-03",
        "personnummer": factories._valid_personnummer(7),
        "name": "Berit Berg",
        "document_type": "new_hire",
        "received_on": "2012-03-05",
        "channel": "manual",
    }
    response = client.post(reverse("payroll:case_create"), {**data, "document": factories.upload("ny.pdf")})
    assert response.status_code == 302
    case = PayrollCase.objects.get(person__name="Berit Berg")
    assert [d.name for d in case.documents.all()] == ["ny.pdf"]
    # A bad file registers nothing at all.
    bad = factories.upload("ny.pdf", b"<html></html>")
    response = client.post(reverse("payroll:case_create"), {**data, "payslip_id": "X1", "document": bad})
    assert response.status_code == 200 and "document" in response.context["form"].errors
    assert PayrollCase.objects.count() == 1 and CaseDocument.objects.count() == 1


def test_register_case_checks_the_document_before_anything_is_written(case_handler, agency):
    with pytest.raises(Exception):  # noqa: B017 - a ValidationError from core.documents
        services.register_case(
            user=case_handler,
            agency=agency,
            period="2012-03",
            personnummer=factories._valid_personnummer(8),
            name="X",
            document_type="change",
            received_on=dt.date(2012, 3, 5),
            channel="manual",
            document=factories.upload("x.pdf", b"nope"),
        )
    assert not PayrollCase.objects.exists()


def test_another_units_handler_cannot_open_the_document(client, case_handler, case, other_unit):
    doc = factories.case_document(case, case_handler)
    outsider = factories.UserFactory(role=roles.CASE_HANDLER, unit=other_unit)
    client.force_login(outsider)
    assert client.get(reverse("payroll:document", args=[doc.pk])).status_code == 404
    assert (
        client.post(reverse("payroll:document_add", args=[case.pk]), {"document": factories.upload()}).status_code
        == 404
    )
    assert CaseDocument.objects.count() == 1
    # A pension document id is no payroll document.
    pension = factories.PensionCaseFactory(agency=case.agency)
    pension_doc = factories.case_document(pension, case_handler)
    client.force_login(case_handler)
    assert client.get(reverse("payroll:document", args=[pension_doc.pk + 1000])).status_code == 404
    assert client.get(reverse("pensions:document", args=[pension_doc.pk])).status_code == 403  # no pension access
    assert PensionDocument.objects.count() == 1


def test_a_protected_persons_document_only_for_those_allowed_and_logged(client, case_handler, agency, unit):
    person = factories.PersonFactory(name="Hemlig Hemligsson", protected_identity=True)
    case = factories.ManualCaseFactory(agency=agency, person=person)
    doc = factories.case_document(case, case_handler, name="Hemlig Hemligsson lön.pdf")
    client.force_login(case_handler)
    page = client.get(reverse("payroll:case_detail", args=[case.pk])).content.decode()
    assert "Hemlig" not in page and reverse("payroll:document", args=[doc.pk]) not in page
    assert client.get(reverse("payroll:document", args=[doc.pk])).status_code == 403
    assert not ProtectedIdentityAccess.objects.exists()
    allowed = factories.UserFactory(role=roles.CASE_HANDLER, unit=unit)
    allowed.groups.add(Group.objects.get(name=roles.PROTECTED_IDENTITY_GROUP))
    client.force_login(allowed)
    assert client.get(reverse("payroll:document", args=[doc.pk])).status_code == 200
    assert ProtectedIdentityAccess.objects.filter(
        user=allowed, person=person, context=f"payroll document {case.reference}"
    ).exists()


def test_a_note_is_written_and_shown(client, case_handler, case):
    client.force_login(case_handler)
    response = client.post(reverse("payroll:note_add", args=[case.pk]), {"text": "Ringde förvaltningen <b>idag</b>."})
    note = CaseNote.objects.get()
    assert response.url.endswith(f"#note-{note.pk}") and note.author == case_handler
    page = client.get(reverse("payroll:case_detail", args=[case.pk])).content.decode()
    assert "Ringde förvaltningen &lt;b&gt;idag&lt;/b&gt;." in page
    # An empty note is refused.
    client.post(reverse("payroll:note_add", args=[case.pk]), {"text": "   "})
    assert CaseNote.objects.count() == 1


def test_a_unit_manager_reads_notes_but_writes_none(client, unit_manager, case_handler, case):
    services.add_note(case=case, user=case_handler, text="Intern anteckning")
    client.force_login(unit_manager)
    page = client.get(reverse("payroll:case_detail", args=[case.pk])).content.decode()
    assert "Intern anteckning" in page and reverse("payroll:note_add", args=[case.pk]) not in page
    assert client.post(reverse("payroll:note_add", args=[case.pk]), {"text": "x"}).status_code == 403


def test_the_timeline_tells_everything_with_who_and_when(case_handler, agency, unit):
    colleague = factories.UserFactory(role=roles.CASE_HANDLER, unit=unit, first_name="Karin", last_name="Kollega")
    case = services.register_case(
        user=case_handler,
        agency=agency,
        period="2012-03",
        personnummer=factories._valid_personnummer(9),
        name="Tidslinje Test",
        document_type="change",
        received_on=dt.date(2012, 3, 5),
        channel="manual",
        document=factories.upload("första.pdf"),
    )
    services.return_case(case=case, user=case_handler, missing=["signature"], details="Saknar underskrift")
    services.record_document_arrived(case=case, user=case_handler)
    services.add_note(case=case, user=case_handler, text="Kompletterat")
    services.assign_case(case=case, user=colleague)
    services.mark_registered(case=case, user=colleague)
    services.complete_case(case=case, user=colleague)
    events = selectors.case_timeline(PayrollCase.objects.get(pk=case.pk))
    kinds = [event.kind for event in events]
    assert kinds[0] == "registered" and kinds[-1] == "status"
    for kind in ("document", "returned", "note", "assigned"):
        assert kind in kinds, kinds
    assigned = next(e for e in events if e.kind == "assigned")
    assert assigned.who == colleague and "Karin Kollega" in assigned.text
    returned = next(e for e in events if e.kind == "returned")
    assert returned.who == case_handler and returned.detail == "Saknar underskrift"
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert kinds.count("returned") == 1  # the return is told once, with what was missing


def test_purge_deletes_the_documents_of_people_whose_data_goes(
    settings, case_handler, agency, django_capture_on_commit_callbacks
):
    case = factories.ManualCaseFactory(agency=agency, period="2010-03", status="completed")
    doc = factories.case_document(case, case_handler)
    services.add_note(case=case, user=case_handler, text="Gammal anteckning")
    stored = Path(settings.MEDIA_ROOT) / doc.file.name
    assert stored.exists()
    kept_case = factories.ManualCaseFactory(agency=agency, period="2024-03")
    kept = factories.case_document(kept_case, case_handler)
    with django_capture_on_commit_callbacks(execute=True):  # the files go when the purge is committed
        result = purge_personal_data(today=dt.date(2025, 6, 1), years=7)
    assert result.documents_deleted == 1
    assert not CaseDocument.objects.filter(pk=doc.pk).exists() and CaseDocument.objects.filter(pk=kept.pk).exists()
    assert CaseNote.objects.get(case=case).text == ""
    assert not stored.exists() and (Path(settings.MEDIA_ROOT) / kept.file.name).exists()
