from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgencyMonthlyAmount, PriceItem, PriceList


class PriceItemInline(admin.TabularInline):
    model = PriceItem
    fk_name = "price_list"
    extra = 0
    fields = ["item_code", "kind", "name", "unit", "price", "base_item", "note"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A base item must be an item of the same list.
        if obj is not None:
            formset.form.base_fields["base_item"].queryset = PriceItem.objects.filter(price_list=obj)
        return formset

    def _frozen(self, obj):
        return obj is not None and obj.is_frozen

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(PriceList)
class PriceListAdmin(SimpleHistoryAdmin):
    """A frozen list is read-only here too: it has been used on an issued invoice."""

    list_display = ["__str__", "year", "version", "effective_from", "frozen_at"]
    list_filter = ["year"]
    inlines = [PriceItemInline]
    readonly_fields = ["frozen_at", "created_at", "created_by", "copied_from"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.is_frozen or obj.later_versions.exists()):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PriceItem)
class PriceItemAdmin(SimpleHistoryAdmin):
    list_display = ["item_code", "name", "unit", "price", "base_item", "price_list"]
    list_filter = ["price_list"]
    search_fields = ["item_code", "name"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.price_list.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.price_list.is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "price_list":
            kwargs["queryset"] = PriceList.objects.filter(frozen_at__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AgencyMonthlyAmount)
class AgencyMonthlyAmountAdmin(SimpleHistoryAdmin):
    """An agency's fixed monthly amount; read-only once its price list is frozen."""

    list_display = ["item", "agency", "amount"]
    list_filter = ["item__price_list"]

    def has_change_permission(self, request, obj=None):
        frozen = obj is not None and obj.item.price_list.is_frozen
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        frozen = obj is not None and obj.item.price_list.is_frozen
        return not frozen and super().has_delete_permission(request, obj)
