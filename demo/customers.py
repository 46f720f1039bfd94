"""Demo data for customers: the 2012 organisation of seed 000, laid on the demo year
(``demo.calendar``: the year's agreements, meetings, calls and complaints up to today).

Two payroll units with three payroll teams each (unit 2 also holds the pension team) and the
city's 33 agencies of 2012 (14 district and 19 specialist administrations), shared between
the units as the seed says ("Stadens förvaltningar är fördelade inom båda enheterna"). Every
agency has its 2012 service agreement with an interface document, a primary contact, a
functional mailbox and a billing reference. The customer log has the spring and autumn
meetings (59 of the 60 the seed promises, so the meetings page has something to show), some
calls and e-mails; a few complaints in every status; two add-on agreements with hours.

Names of people, addresses and e-mail addresses are invented (example.se).
Running it again changes nothing.
"""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from accounts import roles
from customers.models import (
    AddonAgreement,
    AddonHours,
    Agency,
    AgencyContact,
    Complaint,
    CustomerLogEntry,
    ServiceAgreement,
)
from demo import calendar
from demo.users import upsert
from organisation.models import Team, Unit

UNITS = [
    ("lon1", "Löneenhet 1", ["Lönteam 1A", "Lönteam 1B", "Lönteam 1C"]),
    ("lon2", "Löneenhet 2", ["Lönteam 2A", "Lönteam 2B", "Lönteam 2C", "Pensionsteam"]),
]

DISTRICT, SPECIALIST = Agency.Kind.DISTRICT, Agency.Kind.SPECIALIST

# code, name, kind, unit, customer since, contact (name, title), billing reference
CITY_ORGANISATION_NUMBER = "212000-0142"

AGENCIES = [
    ("RK", "Rinkeby-Kista stadsdelsförvaltning", DISTRICT, "lon1", None, ("Anna Lindqvist", "HR-chef"), "1410"),
    (
        "ST",
        "Spånga-Tensta stadsdelsförvaltning",
        DISTRICT,
        "lon2",
        None,
        ("Mehmet Yilmaz", "Personalhandläggare"),
        "1420",
    ),
    ("HV", "Hässelby-Vällingby stadsdelsförvaltning", DISTRICT, "lon1", None, ("Karin Ek", "HR-konsult"), "1430"),
    ("BR", "Bromma stadsdelsförvaltning", DISTRICT, "lon2", None, ("Johan Berg", "Personalchef"), "1440"),
    ("KH", "Kungsholmens stadsdelsförvaltning", DISTRICT, "lon1", None, ("Eva Sandberg", "HR-chef"), "1450"),
    ("NM", "Norrmalms stadsdelsförvaltning", DISTRICT, "lon2", None, ("Lars Holm", "Administrativ chef"), "1460"),
    ("OM", "Östermalms stadsdelsförvaltning", DISTRICT, "lon1", None, ("Maria Nyberg", "Personalhandläggare"), "1470"),
    ("SM", "Södermalms stadsdelsförvaltning", DISTRICT, "lon2", None, ("Peter Forsberg", "HR-chef"), "1480"),
    ("EAV", "Enskede-Årsta-Vantörs stadsdelsförvaltning", DISTRICT, "lon1", None, ("Sara Lund", "HR-konsult"), "1490"),
    ("SKP", "Skarpnäcks stadsdelsförvaltning", DISTRICT, "lon2", None, ("Ali Hassan", "Personalhandläggare"), "1500"),
    ("FA", "Farsta stadsdelsförvaltning", DISTRICT, "lon1", None, ("Birgitta Åberg", "Personalchef"), "1510"),
    ("AL", "Älvsjö stadsdelsförvaltning", DISTRICT, "lon2", None, ("Nils Wikström", "Administrativ chef"), "1520"),
    ("HL", "Hägersten-Liljeholmens stadsdelsförvaltning", DISTRICT, "lon1", None, ("Lena Björk", "HR-chef"), "1530"),
    ("SKH", "Skärholmens stadsdelsförvaltning", DISTRICT, "lon2", None, ("Fatima Ahmadi", "HR-konsult"), "1540"),
    ("UTB", "Utbildningsförvaltningen", SPECIALIST, "lon1", None, ("Ingrid Stål", "Personaldirektör"), "2110"),
    ("SOC", "Socialförvaltningen", SPECIALIST, "lon2", None, ("Göran Lindgren", "HR-chef"), "2120"),
    ("KUL", "Kulturförvaltningen", SPECIALIST, "lon1", None, ("Cecilia Norén", "Personalhandläggare"), "2130"),
    ("IDR", "Idrottsförvaltningen", SPECIALIST, "lon2", None, ("Mikael Dahl", "HR-konsult"), "2140"),
    ("SBK", "Stadsbyggnadskontoret", SPECIALIST, "lon1", None, ("Helena Strand", "Personalchef"), "2150"),
    ("TK", "Trafikkontoret", SPECIALIST, "lon2", None, ("Anders Kvist", "HR-chef"), "2160"),
    ("MF", "Miljöförvaltningen", SPECIALIST, "lon1", None, ("Sofia Engström", "Personalhandläggare"), "2170"),
    ("EXP", "Exploateringskontoret", SPECIALIST, "lon2", None, ("Tomas Blom", "Administrativ chef"), "2180"),
    ("FK", "Fastighetskontoret", SPECIALIST, "lon1", None, ("Kristina Falk", "HR-konsult"), "2190"),
    ("AMF", "Arbetsmarknadsförvaltningen", SPECIALIST, "lon2", None, ("Omar Said", "HR-chef"), "2200"),
    ("ALD", "Äldreförvaltningen", SPECIALIST, "lon1", dt.date(2011, 1, 1), ("Gunilla Hed", "Personalchef"), "2210"),
    ("SLK", "Stadsledningskontoret", SPECIALIST, "lon2", None, ("Magnus Ström", "HR-strateg"), "2220"),
    ("SF", "Serviceförvaltningen", SPECIALIST, "lon1", None, ("Camilla Roos", "HR-chef"), "2230"),
    ("OFF", "Överförmyndarförvaltningen", SPECIALIST, "lon2", None, ("Per Sjöberg", "Administrativ chef"), "2240"),
    ("SSA", "Stadsarkivet", SPECIALIST, "lon1", None, ("Elin Vass", "Administratör"), "2250"),
    ("KGF", "Kyrkogårdsförvaltningen", SPECIALIST, "lon2", None, ("Rolf Ekman", "Personalhandläggare"), "2260"),
    ("REV", "Revisionskontoret", SPECIALIST, "lon1", None, ("Margareta Lööf", "Administrativ chef"), "2270"),
    ("VAL", "Valnämndens kansli", SPECIALIST, "lon2", dt.date(2010, 1, 1), ("Hans Wall", "Kanslichef"), "2280"),
    ("BRB", "Borgarrådsberedningen", SPECIALIST, "lon1", None, ("Annika Rydén", "Administrativ chef"), "2290"),
]

# Agencies whose autumn meeting did not happen in 2012 (so the page shows who is below two).
NO_AUTUMN_MEETING = {"ST", "SKH", "IDR", "EXP", "OFF", "REV", "VAL"}


def load_organisation() -> None:
    """Two payroll units with three payroll teams each; unit 2 also holds the pension team."""
    for code, name, teams in UNITS:
        unit = upsert(Unit, lookup={"code": code}, values={"name": name, "kind": Unit.Kind.PAYROLL})
        for team in teams:
            Team.objects.get_or_create(unit=unit, name=team)


def _slug(name: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "a", "Ä": "a", "Ö": "o", " ": "-"})
    return name.split(" ")[0].lower().translate(table)


def interface_pdf(agency_name: str, year: int) -> bytes:
    """A one-page PDF standing in for the agency's interface document (gränssnitt)."""
    lines = [
        f"Gränssnitt {year} - löneadministration",
        agency_name,
        "Serviceförvaltningen, verksamhetsområde lön och pension",
        "Förvaltningen ansvarar för korrekta underlag senast den 8:e i månaden.",
        "Lön och pension registrerar, kontrollerar och betalar ut inom avtalad ledtid.",
        "Demodokument - ej ett verkligt avtal.",
    ]
    text = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines
    )
    stream = (text + " ET").encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _agencies() -> dict[str, Agency]:
    units = {u.code: u for u in Unit.objects.filter(code__in=["lon1", "lon2"])}
    agencies = {}
    for number, (code, name, kind, unit_code, since, (contact, title), reference) in enumerate(AGENCIES):
        slug = _slug(name)
        agency = upsert(
            Agency,
            lookup={"code": code},
            values={
                "name": name,
                "kind": kind,
                "unit": units[unit_code],
                "functional_mailbox": f"lon.{slug}@example.se",
                "billing_reference": f"Ref. {contact}",
                # The agencies are one legal person, the city: they share its organisation number and
                # Peppol endpoint and are told apart by the ansvar code in the buyer reference.
                "organisation_number": CITY_ORGANISATION_NUMBER,
                "responsibility_code": reference,
                "activity_code": "1100" if kind == DISTRICT else "1200",
                # The rest of the buyer's coding (illustrative: the seeds give none): the city's
                # internal purchase account and the counterpart.
                "account_code": "6420",
                "counterpart_code": "100",
                "address": f"Box {8000 + 37 * number}\n1{number % 8 + 1}{number % 10} {10 + number:02d} Stockholm",
                "active_from": since or dt.date(2009, 1, 1),
            },
        )
        first, last = contact.split(" ", 1)
        upsert(
            AgencyContact,
            lookup={"agency": agency, "name": contact},
            values={
                "title": title,
                "email": f"{_slug(first)}.{_slug(last)}@example.se",
                "phone": f"08-508 {10 + number:02d} {100 + 7 * number:03d}",
                "is_primary": True,
            },
        )
        agencies[code] = agency
    return agencies


def _agreements(agencies: dict[str, Agency]) -> None:
    year = calendar.year()
    for number, agency in enumerate(agencies.values()):
        agreement = upsert(
            ServiceAgreement,
            lookup={"agency": agency, "year": year},
            values={
                "valid_from": calendar.day(1, 1),
                "valid_to": calendar.day(12, 31),
                "signed_on": calendar.day(11, 14 + number % 14, offset=-1),
                "lead_time_days": 3 if agency.kind == DISTRICT else 5,
                "opening_hours": "Vardagar 8–16; telefon 9–11 och 13–15",
                "notes": "Serviceavtal enligt stadens mall; ledtid räknas från sista dag för underlag (den 8:e).",
            },
        )
        if not agreement.interface_document:
            name = f"Gränssnitt {year} {agency.code}.pdf"
            agreement.interface_document.save(name, ContentFile(interface_pdf(agency.name, year)), save=False)
            agreement.interface_document_name = name
            agreement.save(update_fields=["interface_document", "interface_document_name"])


def _log(agencies: dict[str, Agency], users) -> None:
    lon1_author = users[roles.UNIT_MANAGER]
    lon2_author = users[roles.HEAD_OF_SERVICE]
    for number, (code, agency) in enumerate(agencies.items()):
        author = lon1_author if agency.unit.code == "lon1" else lon2_author
        contact = agency.contacts.filter(is_primary=True).first()
        spring = calendar.day(3 + number % 3, 5 + number % 20)
        meetings = [(spring, "Vårens kundmöte")]
        if code not in NO_AUTUMN_MEETING:
            meetings.append((calendar.day(9 + number % 3, 6 + number % 20), "Höstens kundmöte"))
        for day, title in meetings:
            if not calendar.is_past(day):
                continue  # nothing in the demo is dated after today
            CustomerLogEntry.objects.get_or_create(
                agency=agency,
                date=day,
                kind=CustomerLogEntry.Kind.MEETING,
                defaults={
                    "summary": f"{title} med {contact.name} ({contact.title}). Genomgång av volymer, "
                    "andel manuell rapportering, ledtider och kundundersökningen.",
                    "author": author,
                },
            )
    handler = users[roles.CASE_HANDLER]
    others = [
        ("RK", calendar.day(1, 12), CustomerLogEntry.Kind.CALL, "Frågor om sista dag för underlag i januari."),
        ("HV", calendar.day(2, 3), CustomerLogEntry.Kind.EMAIL, "Skickade uppdaterade blanketter för nyanställning."),
        (
            "UTB",
            calendar.day(2, 20),
            CustomerLogEntry.Kind.CHANGE,
            "Ny kontaktperson från 1 mars; fler skolor i Lisa.",
        ),
        (
            "KUL",
            calendar.day(4, 16),
            CustomerLogEntry.Kind.CALL,
            "Fråga om semesterberäkning vid verksamhetsövergång.",
        ),
        ("FA", calendar.day(5, 9), CustomerLogEntry.Kind.EMAIL, "Påminnelse om att använda Lisa Självservice."),
        ("ALD", calendar.day(6, 1), CustomerLogEntry.Kind.CHANGE, "Omorganisation: två enheter slås ihop."),
        ("EAV", calendar.day(8, 22), CustomerLogEntry.Kind.CALL, "Brådskande utbetalning via Girovision efterfrågad."),
        ("SF", calendar.day(10, 2), CustomerLogEntry.Kind.EMAIL, "Utbildningsdatum för Lisa Självservice bekräftade."),
    ]
    for code, day, kind, summary in others:
        if not calendar.is_past(day):
            continue
        CustomerLogEntry.objects.get_or_create(
            agency=agencies[code], date=day, kind=kind, summary=summary, defaults={"author": handler}
        )


def _complaints(agencies: dict[str, Agency], users) -> None:
    manager = users[roles.UNIT_MANAGER]
    handler = users[roles.CASE_HANDLER]
    Kind, Cat, Status = Complaint.Kind, Complaint.Category, Complaint.Status
    rows = [
        (
            "RK",
            Kind.COMPLAINT,
            Cat.PAYMENT_ERROR,
            calendar.day(1, 25),
            "OB-tillägg saknades för två medarbetare.",
            manager,
            Status.RESOLVED,
            "Rättat i februarilönen; rutin för kontroll av OB genomgången.",
            calendar.day(2, 3),
        ),
        (
            "SOC",
            Kind.COMPLAINT,
            Cat.LATE,
            calendar.day(2, 14),
            "Nyanställning registrerades efter lönekörningen.",
            None,
            Status.RESOLVED,
            "Underlaget kom efter den 8:e; information om sista dag skickad.",
            calendar.day(2, 20),
        ),
        (
            "UTB",
            Kind.FEEDBACK,
            Cat.INFORMATION,
            calendar.day(3, 8),
            "Önskar tydligare blankett för tjänstledighet.",
            manager,
            Status.RESOLVED,
            "Blanketten uppdaterad på intranätet.",
            calendar.day(4, 2),
        ),
        (
            "HV",
            Kind.COMPLAINT,
            Cat.SERVICE,
            calendar.day(4, 11),
            "Lång väntetid i telefon till löneservice.",
            manager,
            Status.RESOLVED,
            "Fler handläggare på telefon under löneveckan.",
            calendar.day(4, 30),
        ),
        (
            "TK",
            Kind.COMPLAINT,
            Cat.PAYMENT_ERROR,
            calendar.day(5, 21),
            "Fel skattetabell för en medarbetare.",
            None,
            Status.RESOLVED,
            "Rättat; skatteavdraget justerat i juni.",
            calendar.day(6, 4),
        ),
        (
            "FA",
            Kind.FEEDBACK,
            Cat.SYSTEM,
            calendar.day(6, 13),
            "Lisa Självservice svår att använda för chefer.",
            handler,
            Status.IN_PROGRESS,
            "",
            None,
        ),
        (
            "KH",
            Kind.COMPLAINT,
            Cat.LATE,
            calendar.day(9, 17),
            "Avslut av anställning registrerades sent.",
            manager,
            Status.IN_PROGRESS,
            "",
            None,
        ),
        (
            "SLK",
            Kind.FEEDBACK,
            Cat.OTHER,
            calendar.day(10, 9),
            "Beröm för snabb hjälp vid omorganisationen.",
            None,
            Status.RESOLVED,
            "Tackat; återkopplat till teamet.",
            calendar.day(10, 10),
        ),
        (
            "BR",
            Kind.COMPLAINT,
            Cat.INFORMATION,
            calendar.day(11, 5),
            "Otydligt följebrev vid returnerat underlag.",
            None,
            Status.OPEN,
            "",
            None,
        ),
        (
            "SKP",
            Kind.COMPLAINT,
            Cat.PAYMENT_ERROR,
            calendar.day(12, 3),
            "Dubbel utbetalning av övertid.",
            None,
            Status.OPEN,
            "",
            None,
        ),
    ]
    for code, kind, category, received, description, who, status, resolution, resolved in rows:
        if not calendar.is_past(received):
            continue
        if resolved is not None and not calendar.is_past(resolved):
            status, resolution, resolved = Status.IN_PROGRESS, "", None  # resolved later than today: not yet
        upsert(
            Complaint,
            lookup={"agency": agencies[code], "received_on": received, "description": description},
            values={
                "kind": kind,
                "category": category,
                "handler": who or (manager if agencies[code].unit.code == "lon1" else None),
                "status": status,
                "resolution": resolution,
                "resolved_on": resolved,
                "registered_by": handler,
            },
        )


def _addons(agencies: dict[str, Agency], users) -> None:
    manager = users[roles.UNIT_MANAGER]
    plans = [
        ("RK", "Utbildning i Lisa Självservice", [(2, "6.00"), (3, "4.50")]),
        ("UTB", "Omkontering av uppgifter i LISA", [(3, "3.00"), (5, "2.00")]),
        ("SOC", "Underhåll av roll- och organisationsregister i Lisa", [(4, "2.50")]),
    ]
    for code, description, hours in plans:
        agreement = upsert(
            AddonAgreement,
            lookup={"agency": agencies[code], "description": description},
            values={
                "valid_from": calendar.day(1, 1),
                "item_code": "addon_hour",
                "notes": "390 kr/timme (prislistan 2012).",
            },
        )
        for month, amount in hours:
            if not calendar.is_closed_month(month):
                continue
            period = calendar.period(month)
            upsert(
                AddonHours,
                lookup={"agreement": agreement, "period": period},
                values={"billing_period": period, "hours": Decimal(amount), "registered_by": manager},
            )


def load(*, users) -> None:
    """Agencies, agreements, contacts, log entries, complaints and add-on hours (seed 000, on the demo year)."""
    agencies = _agencies()
    _agreements(agencies)
    _log(agencies, users)
    _complaints(agencies, users)
    _addons(agencies, users)
