"""Demo data for the person register (EPS): one file from the tax agency received three working days
ago, read through the real import, so the case handler's and the pension handler's queues have
what the seeds describe (seed 001, spring 2025: names and addresses come electronically, with
signals and secrecy):

- new addresses and a new name for employees with open payroll cases in Löneenhet 1,
- protected identity added for one of them (masked on every page at once),
- a death, which flags the person's open case and the urgent payout not yet paid,
- a new address for a person with a current pension case (Löneenhet 2's queue),
- the person already protected, sent without an address (no change), and two people the centre
  does not know (left out).

Idempotent: the file's content is fixed, and a file already imported is not read again.
"""

import io

from django.utils import timezone

from accounts import roles
from core.workdays import add_working_days
from payroll.models import PayrollCase
from pensions.models import PensionCase
from register.imports import import_register_file
from register.models import RegisterFile

FILE_NAME = "eps-folkbokforing.csv"
HEADER = "personnummer;name;care_of;street_address;postal_code;city;protected_identity;deceased_on"
# payslip id of a demo case (demo.payroll.MANUAL_CASES) → what the register says about its person
PAYROLL_CHANGES = {
    "DEMO-02": ("Sara Lindgren", "", "Hornsgatan 12", "118 20", "Stockholm", "0", ""),
    "DEMO-03": ("Johan Ek", "", "Fridhemsgatan 3", "112 40", "Stockholm", "0", ""),
    "DEMO-08": ("Gunnar Holm", "", "Björkvägen 8", "125 30", "Älvsjö", "0", "DEATH"),
    "DEMO-09": ("Maria Sund", "", "", "", "", "1", ""),
    "DEMO-10": ("Lisa Berg", "Ahmed Berg", "Ringvägen 101", "116 61", "Stockholm", "0", ""),
}
UNKNOWN = [
    "19380101-2380;Okänd Ett;;Storgatan 1;111 22;Stockholm;0;",
    "19400202-4422;Okänd Två;;Kungsgatan 2;111 43;Stockholm;0;",
]


def _rows(today) -> list[str] | None:
    cases = {
        c.payslip_id: c.person
        for c in PayrollCase.objects.filter(payslip_id__in=list(PAYROLL_CHANGES)).select_related("person")
    }
    if len(cases) < len(PAYROLL_CHANGES):
        return None
    # The day of death is fixed relative to nothing but the file: a week before it was received.
    died = add_working_days(today, -8).isoformat()
    rows = []
    for key, (name, care_of, street, postal_code, city, protected, deceased) in PAYROLL_CHANGES.items():
        person = cases[key]
        rows.append(
            ";".join(
                [person.personnummer, name, care_of, street, postal_code, city, protected, died if deceased else ""]
            )
        )
    pension = (
        PensionCase.objects.filter(status__in=PensionCase.OPEN_STATUSES, person__protected_identity=False)
        .exclude(person__in=cases.values())
        .select_related("person")
        .order_by("-received_on", "id")
        .first()
    )
    if pension:
        rows.append(f"{pension.person.personnummer};{pension.person.name};;Vasagatan 7;111 20;Stockholm;0;")
    protected = PayrollCase.objects.filter(payslip_id="DEMO-11").select_related("person").first()
    if protected and protected.person.protected_identity:
        rows.append(f"{protected.person.personnummer};{protected.person.name or 'Skyddad'};;;;;1;")
    return rows + UNKNOWN


def load(*, users) -> None:
    if RegisterFile.objects.filter(source_filename=FILE_NAME).exists():
        return
    today = timezone.localdate()
    rows = _rows(today)
    if rows is None:
        return  # the payroll demo's current cases are not there
    received = add_working_days(today, -3)
    content = "\n".join([HEADER, *rows]) + "\n"
    result = import_register_file(
        file=io.BytesIO(content.encode("utf-8")),
        received_on=received,
        deadline=add_working_days(received, 5),
        user=users.get(roles.HEAD_OF_SERVICE),
        filename=FILE_NAME,
    )
    if result.rejected:
        raise RuntimeError(f"the demo register file was refused: {result.errors[:3]}")
