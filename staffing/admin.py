from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Absence, CustomerSurvey, MonthlyFte, PhoneServiceMonth, SurveyScore


@admin.register(MonthlyFte)
class MonthlyFteAdmin(SimpleHistoryAdmin):
    """FTE changes are kept in the history (who, when, before and after)."""

    list_display = ["period", "unit", "category", "fte", "updated_by", "updated_at"]
    list_filter = ["unit", "category"]
    search_fields = ["period"]
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Absence)
class AbsenceAdmin(SimpleHistoryAdmin):
    list_display = ["staff_member", "kind", "first_day", "last_day", "extent"]
    list_filter = ["kind", "staff_member__unit"]
    raw_id_fields = ["staff_member"]
    date_hierarchy = "first_day"


@admin.register(PhoneServiceMonth)
class PhoneServiceMonthAdmin(SimpleHistoryAdmin):
    list_display = ["period", "calls", "answered_25s", "first_contact_resolved", "emails", "emails_within_1d"]


class SurveyScoreInline(admin.TabularInline):
    """NKI per service area, for the area as a whole (no agency) and per agency."""

    model = SurveyScore
    extra = 2
    autocomplete_fields = ["agency"]


@admin.register(CustomerSurvey)
class CustomerSurveyAdmin(SimpleHistoryAdmin):
    list_display = ["year", "satisfied_pct", "nki", "respondents"]
    inlines = [SurveyScoreInline]
