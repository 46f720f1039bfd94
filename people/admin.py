from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .identity import display_name, display_personnummer, log_unmasked_view
from .models import Person, ProtectedIdentityAccess


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    """People are searched by identity number only; names of protected people are masked in the list."""

    list_display = ["pk", "masked_personnummer", "masked_name", "protected_identity"]
    list_filter = ["protected_identity"]
    search_fields = ["=personnummer"]

    @admin.display(description=_("personal identity number"))
    def masked_personnummer(self, obj):
        return display_personnummer(obj, None)

    @admin.display(description=_("name"))
    def masked_name(self, obj):
        return display_name(obj, None)

    # The change form and the history show a person unmasked: like every other page, that is logged.
    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._log_unmasked(request, object_id, "admin: person")
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log_unmasked(request, object_id, "admin: person history")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._log_unmasked(request, object_id, "admin: person history")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _log_unmasked(self, request, object_id, context):
        person = Person.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if person is not None and request.method == "GET":
            log_unmasked_view(request.user, [person], context)


@admin.register(ProtectedIdentityAccess)
class ProtectedIdentityAccessAdmin(admin.ModelAdmin):
    """The access log is evidence: read-only."""

    list_display = ["accessed_at", "user", "person", "context"]
    list_filter = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
