from core.importing import ImportCommand
from staffing.imports import import_phone


class Command(ImportCommand):
    help = (
        "Import the phone service's monthly figures exported by the telephony system "
        "(period;calls;answered_25s;first_contact_resolved;emails;emails_within_1d). A month already entered "
        "is replaced. All or nothing."
    )

    def run_import(self, file, options):
        return import_phone(file=file)
