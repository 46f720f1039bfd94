import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import roles


class UserTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), empty_values=(), order_by=("last_name", "first_name"))
    username = tables.Column(verbose_name=_("User name"))
    roles = tables.Column(verbose_name=_("Roles"), empty_values=(), orderable=False)
    unit = tables.Column(verbose_name=_("Unit"), accessor="staff_member__unit__name", default="—")
    # Agency contacts' agencies (customers.AgencyContactAccess).
    agencies = tables.Column(verbose_name=_("Agencies"), empty_values=(), orderable=False)
    protected_identity = tables.Column(verbose_name=_("Protected identity"), empty_values=(), orderable=False)
    sign_in = tables.Column(verbose_name=_("Sign-in"), empty_values=(), accessor="signs_in_with_sso")
    is_active = tables.BooleanColumn(verbose_name=_("Active"), yesno=(_("yes"), _("no")))
    last_login = tables.DateTimeColumn(verbose_name=_("Last login"), format="Y-m-d H:i", default="—")

    class Meta:
        empty_text = _("No users match the filter.")
        order_by = ("name",)

    def render_name(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("accounts:user_edit", args=[record.pk]),
            record.get_full_name() or record.get_username(),
        )

    def _group_names(self, record):
        return {group.name for group in record.groups.all()}  # prefetched

    def render_roles(self, record):
        names = self._group_names(record)
        labels = [str(roles.ROLE_LABELS[role]) for role in roles.ROLES if roles.GROUP_NAMES[role] in names]
        return ", ".join(labels) or "—"

    def render_agencies(self, record):
        codes = sorted(access.agency.code for access in record.agency_accesses.all())
        return ", ".join(codes) or "—"

    def render_protected_identity(self, record):
        return _("yes") if roles.PROTECTED_IDENTITY_GROUP in self._group_names(record) else _("no")

    def render_sign_in(self, record, value):
        if value:
            return _("Identity provider")
        return _("Password") if record.has_usable_password() else "—"  # not signed in yet
