"""The admin site's users and groups with role, group and permission names in the reader's language.

Group names stay the stored keys accounts/roles.py keeps in step (so the role groups' names
cannot be edited here); what is shown is translated: the group list, the Group change form's
permissions, and the User change form's groups and user permissions.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _

from . import roles
from .labels import group_label, permission_label
from .models import SsoIdentity


class _TranslatedChoices:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.queryset = field.queryset.select_related("content_type")
            field.label_from_instance = permission_label
        elif db_field.name == "groups":
            field.label_from_instance = group_label
        return field


class RoleFilter(admin.SimpleListFilter):
    title = _("role or group")
    parameter_name = "group"

    def lookups(self, request, model_admin):
        return [(group.pk, group_label(group)) for group in Group.objects.order_by("name")]

    def queryset(self, request, queryset):
        return queryset.filter(groups__pk=self.value()) if self.value() else queryset


def _named_as_read(entry, group):
    entry.object_repr = group_label(group)[:200]
    entry.save(update_fields=["object_repr"])
    return entry


admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class TranslatedGroupAdmin(_TranslatedChoices, GroupAdmin):
    list_display = ["display_name", "name"]
    readonly_fields = ["display_name"]
    fields = ["display_name", "name", "permissions"]

    @admin.display(description=_("name shown"))
    def display_name(self, group):
        return group_label(group)

    # The admin site's log (and so the audit trail) names a group as people read it, in the
    # language of the administrator who changed it: the stored name is only a key.
    def log_addition(self, request, obj, message):
        return _named_as_read(super().log_addition(request, obj, message), obj)

    def log_change(self, request, obj, message):
        return _named_as_read(super().log_change(request, obj, message), obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.name in roles.GROUP_LABELS:
            return ["display_name", "name"]  # the name is the key roles.py keeps the group by
        return super().get_readonly_fields(request, obj)


@admin.register(User)
class TranslatedUserAdmin(_TranslatedChoices, UserAdmin):
    list_filter = ["is_staff", "is_superuser", "is_active", RoleFilter]


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "subject", "issuer", "created_at"]
    search_fields = ["user__username", "subject"]
    readonly_fields = ["user", "issuer", "subject", "created_at"]

    def has_add_permission(self, request):
        return False  # made at the first sign-in through the provider
