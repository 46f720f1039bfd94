"""Helpers for the payroll tests: payslip files and users."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import roles
from payroll.imports import import_payslips
from payroll.models import PayslipImport
from tests import factories

HEADER = "period;agency_code;payslip_id;personnummer;channel"


def pnr(n: int) -> str:
    return factories._valid_personnummer(n)


def payslip_file(lines: list[str], *, header: str = HEADER, sep: str = ";", bom: bool = False, encoding="utf-8"):
    text = "\n".join([header, *lines]).replace(";", sep) + "\n"
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def generated_file(agency_codes: list[str], rows: int, *, period="2012-03", start=0) -> bytes:
    """A payslip file of ``rows`` good rows spread over the agencies and channels (built in memory)."""
    channels = ["self_service", "self_service", "lisa_tid", "manual", "agresso"]
    out = io.StringIO()
    out.write(HEADER + "\n")
    for i in range(start, start + rows):
        out.write(f"{period};{agency_codes[i % len(agency_codes)]};P{i:07d};{pnr(i)};{channels[i % 5]}\n")
    return out.getvalue().encode()


def run_import(content: bytes, *, user=None, name="lon.csv") -> PayslipImport:
    job = PayslipImport.objects.create(file_name=name, sha256="", origin=PayslipImport.Origin.COMMAND)
    return import_payslips(binary=io.BytesIO(content), job=job, user=user).target


def upload(content: bytes, name="lon.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def second_handler(unit):
    return factories.UserFactory(role=roles.CASE_HANDLER, unit=unit)
