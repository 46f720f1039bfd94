from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from payroll.models import PayslipImport
from payroll.services import import_payslips
from payroll.services.imports import import_scope_unit


class Command(BaseCommand):
    help = (
        "Import a monthly payslip file (period;agency_code;payslip_id;personnummer;channel). "
        "All or nothing: a file with any error is refused with every error listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="import as this user (limited to the agencies of the user's unit)")

    def handle(self, *args, file: Path, user=None, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"No such user: {user}")
        job = PayslipImport.objects.create(
            file_name=file.name[:255],
            sha256="",
            origin=PayslipImport.Origin.COMMAND,
            uploaded_by=importer,
            unit=import_scope_unit(importer) if importer else None,
        )
        with file.open("rb") as binary:
            job = import_payslips(binary=binary, job=job, user=importer)
        if job.status != PayslipImport.Status.DONE:
            for error in job.errors:
                column = f", column {error['column']}" if error["column"] else ""
                self.stderr.write(f"Row {error['row']}{column}: {error['message']}")
            raise CommandError(f"The file was rejected (import {job.pk}); nothing was imported.")
        for row in job.summary:
            self.stdout.write(f"{row['agency']:<10} {row['channel']:<14} {row['rows']:>8}")
        self.stdout.write(self.style.SUCCESS(f"Imported {job.rows_imported} payslips (import {job.pk})."))
