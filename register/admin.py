from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PersonSignal, RegisterFile


@admin.register(RegisterFile)
class RegisterFileAdmin(admin.ModelAdmin):
    list_display = ["received_on", "source_filename", "rows", "people_changed", "unknown_rows", "deadline"]
    readonly_fields = ["sha256", "imported_at", "imported_by"]


@admin.register(PersonSignal)
class PersonSignalAdmin(SimpleHistoryAdmin):
    """Signals are listed by kind and unit only: the person is shown on the queue page, masked there."""

    list_display = ["pk", "kind", "unit", "due_on", "status"]
    list_filter = ["kind", "status", "unit"]
    raw_id_fields = ["person", "register_file", "handled_by"]
    readonly_fields = ["person", "old_value", "new_value", "protected"]
