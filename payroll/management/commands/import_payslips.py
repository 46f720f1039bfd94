from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from core.importing import ImportCommand
from payroll.imports import import_payslips, import_scope_unit
from payroll.models import PayslipImport


class Command(ImportCommand):
    help = (
        "Import a monthly payslip file (period;agency_code;payslip_id;personnummer;channel). "
        "All or nothing: a file with any error is refused with every error listed."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--user", help="import as this user (limited to the agencies of the user's unit)")

    def run_import(self, file, options):
        importer = None
        if options.get("user"):
            importer = get_user_model().objects.filter(username=options["user"]).first()
            if importer is None:
                raise CommandError(f"No such user: {options['user']}")
        job = PayslipImport.objects.create(
            file_name=options["file_name"][:255],
            sha256="",
            origin=PayslipImport.Origin.COMMAND,
            uploaded_by=importer,
            unit=import_scope_unit(importer),
        )
        return import_payslips(binary=file, job=job, user=importer)
