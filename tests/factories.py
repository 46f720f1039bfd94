"""factory-boy factories for every model the tests build. Apps add theirs below."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles
from customers.models import Agency, AgencyContact, AgencyContactAccess, ServiceAgreement
from organisation.models import StaffMember, Team, Unit
from payroll.models import Channel, PayrollCase
from people.models import Person
from pricing.models import PriceItem, PriceList

TEST_PASSWORD = "a-long-test-password-123"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit{n}")
    name = factory.Sequence(lambda n: f"Löneenhet {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Lönteam {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a role (group) and, for unit-bound roles, a staff record in ``unit``."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.se")
    password = factory.django.Password(TEST_PASSWORD)

    @classmethod
    def _create(cls, model_class, *args, role=None, unit=None, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if role:
            user.groups.add(Group.objects.get(name=roles.GROUP_NAMES[role]))
            user.is_staff = role == roles.ADMINISTRATOR
            user.save(update_fields=["is_staff"])
        if unit is not None:
            category = {
                roles.CASE_HANDLER: StaffMember.Category.PAYROLL_ADMIN,
                roles.PENSION_HANDLER: StaffMember.Category.PENSION_HANDLER,
                roles.UNIT_MANAGER: StaffMember.Category.MANAGER,
            }.get(role, StaffMember.Category.OTHER)
            StaffMember.objects.create(user=user, name=user.get_full_name(), unit=unit, category=category)
        return user


class AgencyContactAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyContactAccess

    user = factory.SubFactory(UserFactory, role=roles.AGENCY_CONTACT)
    agency = factory.SubFactory("tests.factories.AgencyFactory")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"AG{n:02d}")
    name = factory.Sequence(lambda n: f"Förvaltning {n}")
    kind = Agency.Kind.SPECIALIST
    unit = factory.SubFactory(UnitFactory)
    functional_mailbox = factory.LazyAttribute(lambda a: f"lon.{a.code.lower()}@example.se")
    billing_reference = factory.LazyAttribute(lambda a: f"REF-{a.code}")
    address = "Box 1, 100 00 Stockholm"
    active_from = dt.date(2009, 1, 1)
    organisation_number = "212000-0142"
    responsibility_code = factory.Sequence(lambda n: f"{1400 + n}")
    activity_code = "1100"


class AgencyContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyContact

    agency = factory.SubFactory(AgencyFactory)
    name = "Karin Kontakt"
    email = "karin@example.se"
    phone = "08-508 000 00"
    is_primary = True


class ServiceAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAgreement

    agency = factory.SubFactory(AgencyFactory)
    year = 2012
    valid_from = factory.LazyAttribute(lambda a: dt.date(a.year, 1, 1))
    valid_to = factory.LazyAttribute(lambda a: dt.date(a.year, 12, 31))
    signed_on = factory.LazyAttribute(lambda a: dt.date(a.year - 1, 12, 1))
    lead_time_days = 5


def _valid_personnummer(n: int) -> str:
    """The n-th valid personal identity number of a deterministic series."""
    from people.identity import normalize_personnummer

    base = dt.date(1950, 1, 1) + dt.timedelta(days=n % 20000)
    serial = 100 + (n // 20000) % 900
    for check in range(10):
        candidate = f"{base:%Y%m%d}-{serial:03d}{check}"
        try:
            return normalize_personnummer(candidate)
        except Exception:
            continue
    raise AssertionError("no valid check digit")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("personnummer",)

    personnummer = factory.Sequence(_valid_personnummer)
    name = factory.Sequence(lambda n: f"Anställd {n}")
    protected_identity = False


class PriceListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceList

    year = 2012
    version = 1
    effective_from = factory.LazyAttribute(lambda p: dt.date(p.year, 1, 1))


class PriceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceItem

    price_list = factory.SubFactory(PriceListFactory)
    item_code = factory.Sequence(lambda n: f"item{n}")
    name = factory.LazyAttribute(lambda i: i.item_code)
    unit = "st"
    price = Decimal("10.00")


def einvoice_agency(unit) -> Agency:
    """An agency with everything a Peppol e-invoice carries: organisation number, reference, address, coding."""
    return AgencyFactory(
        code="SDF07",
        name="Södermalms stadsdelsförvaltning",
        unit=unit,
        billing_reference="Ref. Eva Berg",
        address="Box 4270\n102 66 Stockholm",
        organisation_number="212000-0142",
        responsibility_code="1460",
        activity_code="1100",
    )


def fixed_monthly_item(price_list: PriceList, item_code: str = "fixed_base") -> PriceItem:
    """A fixed monthly item of ``price_list`` (each agency's amount is set per agency, the item's price is 0)."""
    return PriceItemFactory(
        price_list=price_list,
        item_code=item_code,
        name="Fast månadsavgift",
        unit="månad",
        price="0",
        kind=PriceItem.Kind.FIXED_MONTHLY,
    )


def price_list_2012(year: int = 2012) -> PriceList:
    """The 2012 price list of seed 000, with a demo pension-case price."""
    price_list = PriceListFactory(year=year)
    item = {}
    item["self_service"] = PriceItemFactory(
        price_list=price_list, item_code="self_service", name="Lön via Lisa Självservice", unit="lönespec", price="58"
    )
    item["lisa_tid"] = PriceItemFactory(
        price_list=price_list, item_code="lisa_tid", name="Lön via Lisa Tid", unit="lönespec", price="58"
    )
    item["manual"] = PriceItemFactory(
        price_list=price_list,
        item_code="manual",
        name="Manuell rapportering",
        unit="lönespec",
        price="95",
        base_item=item["self_service"],
    )
    PriceItemFactory(
        price_list=price_list,
        item_code="agresso",
        name="Lön via Agresso",
        unit="lönespec",
        price="145",
        base_item=item["manual"],
    )
    PriceItemFactory(
        price_list=price_list,
        item_code="girovision",
        name="Brådskande utbetalning via Girovision",
        unit="lönespec",
        price="395",
        base_item=item["manual"],
    )
    PriceItemFactory(price_list=price_list, item_code="addon_hour", name="Tilläggstjänst", unit="timme", price="390")
    PriceItemFactory(
        price_list=price_list, item_code="pension_case", name="Pensionsärende", unit="ärende", price="1200"
    )
    return price_list


class PayrollCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayrollCase

    agency = factory.SubFactory(AgencyFactory)
    period = "2012-03"
    billing_period = factory.LazyAttribute(lambda c: c.period)
    payslip_id = factory.Sequence(lambda n: f"P{n:07d}")
    person = factory.SubFactory(PersonFactory)
    employee_name = factory.LazyAttribute(lambda c: c.person.name)
    channel = Channel.SELF_SERVICE
    source = PayrollCase.Source.IMPORT
    status = PayrollCase.Status.COMPLETED


# --- customers (issue 4) ---------------------------------------------------------------------
from customers.models import AddonAgreement, AddonHours, Complaint, CustomerLogEntry  # noqa: E402


class AddonAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AddonAgreement

    agency = factory.SubFactory(AgencyFactory)
    description = "Utbildning i Lisa Självservice"
    valid_from = dt.date(2012, 1, 1)
    item_code = "addon_hour"


class AddonHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AddonHours

    agreement = factory.SubFactory(AddonAgreementFactory)
    period = "2012-03"
    billing_period = factory.LazyAttribute(lambda h: h.period)
    hours = Decimal("4.00")


class CustomerLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerLogEntry

    agency = factory.SubFactory(AgencyFactory)
    date = dt.date(2012, 3, 15)
    kind = CustomerLogEntry.Kind.MEETING
    summary = "Kundmöte: genomgång av serviceavtalet"
    author = factory.SubFactory(UserFactory)


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    agency = factory.SubFactory(AgencyFactory)
    kind = Complaint.Kind.COMPLAINT
    category = Complaint.Category.PAYMENT_ERROR
    received_on = dt.date(2012, 3, 5)
    description = "Fel lön utbetald i februari"
    status = Complaint.Status.OPEN


# --- reporting ---------------------------------------------------------------------------


def add_cases(agency, period: str, *, billing_period: str | None = None, status=None, **per_channel) -> None:
    """Completed payroll cases of ``agency`` in ``period``: ``add_cases(a, "2012-03", manual=2)``."""
    person = PersonFactory()
    for channel, count in per_channel.items():
        for _ in range(count):
            PayrollCaseFactory(
                agency=agency,
                period=period,
                billing_period=billing_period or period,
                person=person,
                channel=channel,
                status=status or PayrollCase.Status.COMPLETED,
            )


def issued_invoice(*, agency=None, unit=None, period: str = "2012-03", quantities=None):
    """An invoice issued through the invoicing service, priced by the 2012 price list."""
    from invoicing.services.invoices import LineInput, issue_invoice
    from pricing.models import PriceList
    from pricing.services import price_lines

    if not PriceList.objects.filter(year=int(period[:4])).exists():
        price_list_2012(int(period[:4]))
    agency = agency or AgencyFactory(**({"unit": unit} if unit else {}))
    lines = price_lines(agency=agency, period=period, quantities=quantities or {"self_service": 10, "manual": 2})
    return issue_invoice(agency=agency, period=period, lines=[LineInput(line) for line in lines])


# --- pensions and staffing (issue 6) ---------------------------------------------------------
from pensions.models import CaseKind, PensionCase, SignalItem, SignalList  # noqa: E402
from staffing.models import Absence, CustomerSurvey, MonthlyFte, PhoneServiceMonth  # noqa: E402


class PensionStaffFactory(factory.django.DjangoModelFactory):
    """A staff member without a login (a pension handler unless told otherwise)."""

    class Meta:
        model = StaffMember

    name = factory.Sequence(lambda n: f"Handläggare {n}")
    unit = factory.SubFactory(UnitFactory)
    category = StaffMember.Category.PENSION_HANDLER
    active = True


class PensionCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PensionCase

    number = factory.Sequence(lambda n: f"PE-T-{n:06d}")
    kind = CaseKind.OLD_AGE
    agency = factory.SubFactory(AgencyFactory)
    person = factory.SubFactory(PersonFactory)
    unit = factory.LazyAttribute(lambda c: c.agency.unit)
    received_on = dt.date(2012, 3, 1)
    due_on = factory.LazyAttribute(lambda c: c.received_on + dt.timedelta(days=28))
    status = PensionCase.Status.RECEIVED


def decided_pension_case(*, decided_on=dt.date(2012, 3, 20), decision="granted", billing_period=None, **kwargs):
    """A case decided on ``decided_on`` and invoiced in its month (or ``billing_period``)."""
    kwargs.setdefault("received_on", decided_on - dt.timedelta(days=14))
    kwargs.setdefault("status", PensionCase.Status.DECIDED)
    return PensionCaseFactory(
        decision=decision,
        decided_on=decided_on,
        benefit_start=decided_on.replace(day=1) if decision == "granted" else None,
        billing_period=billing_period or f"{decided_on:%Y-%m}",
        **kwargs,
    )


class SignalListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignalList

    provider = "kpa"
    name = factory.Sequence(lambda n: f"Pensionsavgångar lista {n}")
    unit = factory.SubFactory(UnitFactory)
    received_on = dt.date(2012, 3, 1)
    deadline = dt.date(2012, 3, 30)


class SignalItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignalItem

    signal_list = factory.SubFactory(SignalListFactory)
    row = factory.Sequence(lambda n: n + 2)
    agency = factory.SubFactory(AgencyFactory)
    person = factory.SubFactory(PersonFactory)
    signal = SignalItem.Signal.RETIREMENT
    event_date = dt.date(2012, 5, 1)
    due_on = factory.LazyAttribute(lambda i: i.signal_list.deadline)


class MonthlyFteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyFte

    period = "2012-03"
    unit = factory.SubFactory(UnitFactory)
    category = StaffMember.Category.PAYROLL_ADMIN
    fte = Decimal("27.00")


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence

    staff_member = factory.SubFactory(PensionStaffFactory, category=StaffMember.Category.PAYROLL_ADMIN)
    kind = Absence.Kind.SICK
    first_day = dt.date(2012, 3, 5)
    last_day = dt.date(2012, 3, 9)
    extent = 100


class PhoneServiceMonthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhoneServiceMonth
        django_get_or_create = ("period",)

    period = "2012-03"
    calls = 5000
    answered_25s = 4300
    first_contact_resolved = 4000
    emails = 2000
    emails_within_1d = 1950


class CustomerSurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerSurvey
        django_get_or_create = ("year",)

    year = 2012
    satisfied_pct = Decimal("88.0")
    nki = Decimal("76.0")
    respondents = 180


# --- payroll (issue 5) -----------------------------------------------------------------------
from payroll.models import CaseReturn, ControlSample, PayslipImport  # noqa: E402


class ManualCaseFactory(PayrollCaseFactory):
    """A case registered by hand from a document received on time for March 2012 (deadline 8 March)."""

    payslip_id = ""
    channel = Channel.MANUAL
    source = PayrollCase.Source.MANUAL
    status = PayrollCase.Status.RECEIVED
    document_type = "change"
    received_on = dt.date(2012, 3, 5)
    lead_time_days = 5
    due_on = dt.date(2012, 3, 15)


class CaseReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseReturn

    case = factory.SubFactory(ManualCaseFactory, status=PayrollCase.Status.RETURNED)
    returned_on = dt.date(2012, 3, 6)
    returned_by = factory.SubFactory(UserFactory)
    missing = factory.LazyFunction(lambda: ["signature"])
    details = "Attest saknas."
    reply_by = dt.date(2012, 4, 10)
    status_before = PayrollCase.Status.RECEIVED


class PayslipImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayslipImport

    file_name = "lon-2012-03.csv"
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    status = PayslipImport.Status.DONE
    origin = PayslipImport.Origin.UPLOAD
    rows_imported = 1
    summary = factory.LazyFunction(
        lambda: [{"agency": "AG01", "agency_name": "Förvaltning", "channel": "manual", "channel_label": "", "rows": 1}]
    )


class ControlSampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ControlSample

    period = "2012-03"
    unit = factory.SubFactory(UnitFactory)
    size = 1
    seed = 42
    population = 1
    drawn_by = factory.SubFactory(UserFactory)


def refused(result):
    """The row errors of an import that must have been refused (``core.importing.ImportResult``)."""
    assert result.rejected, f"the file was imported: {result.message}"
    return result.errors


# --- case documents and notes (issue 19) -----------------------------------------------------------
# The smallest files each check accepts: a PDF header and a PNG signature with a little body.
PDF_BYTES = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(name: str = "underlag.pdf", content: bytes = PDF_BYTES, content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def case_document(case, user, *, name: str = "underlag.pdf", content: bytes = PDF_BYTES):
    """A document stored with a payroll or pension case, through the one store of core.documents."""
    from core.documents import store_document
    from payroll.models import CaseDocument as PayrollDocument
    from pensions.models import CaseDocument as PensionDocument

    model = PayrollDocument if isinstance(case, PayrollCase) else PensionDocument
    return store_document(model, case=case, user=user, upload=upload(name, content), folder="test")


# --- deviations (issue 19, document quality and deviations) ------------------------------------
from payroll.models import Deviation  # noqa: E402


class DeviationFactory(factory.django.DjangoModelFactory):
    """A wrong amount paid in March 2012, found and corrected by the handler."""

    class Meta:
        model = Deviation

    agency = factory.SubFactory(AgencyFactory)
    occurred_on = dt.date(2012, 3, 25)
    kind = Deviation.Kind.WRONG_PAYMENT
    cause = Deviation.Cause.REGISTRATION
    description = "Fel timlön registrerad."
    registered_by = factory.SubFactory(UserFactory)
