from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import StaffMember, Target, Team, Unit


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "manager"]
    search_fields = ["code", "name"]
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "unit"]
    list_filter = ["unit"]


@admin.register(StaffMember)
class StaffMemberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "team", "category", "active", "user"]
    list_filter = ["unit", "category", "active"]
    search_fields = ["name", "user__username"]
    autocomplete_fields = ["user"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "value", "note"]
    list_filter = ["indicator"]
