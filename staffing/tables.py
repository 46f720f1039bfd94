import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from organisation.models import StaffMember

from .models import Absence

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class StaffTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"))
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name")
    team = tables.Column(verbose_name=_("Team"), accessor="team__name", default="—")
    category = tables.Column(verbose_name=_("Category"))
    active = tables.BooleanColumn(verbose_name=_("Active"))

    class Meta:
        model = StaffMember
        fields = ["name", "unit", "team", "category", "active"]
        order_by = ("unit", "name")
        empty_text = _("No staff members.")


class AbsenceTable(tables.Table):
    staff_member = tables.Column(verbose_name=_("Staff member"), accessor="staff_member__name")
    unit = tables.Column(verbose_name=_("Unit"), accessor="staff_member__unit__name")
    kind = tables.Column(verbose_name=_("Kind"))
    first_day = tables.DateColumn(verbose_name=_("First day"), short=True)
    last_day = tables.DateColumn(verbose_name=_("Last day"), short=True)
    extent = tables.Column(verbose_name=_("Extent (%)"), attrs=NUM)
    note = tables.Column(verbose_name=_("Note"), default="")
    edit = tables.LinkColumn(
        "staffing:absence_edit", args=[tables.A("pk")], text=_("Edit"), verbose_name="", orderable=False
    )

    class Meta:
        model = Absence
        fields = ["staff_member", "unit", "kind", "first_day", "last_day", "extent", "note", "edit"]
        order_by = ("-first_day",)
        empty_text = _("No absences registered.")

    def __init__(self, *args, can_change=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_change:
            self.columns.hide("edit")
