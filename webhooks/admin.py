from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Attempt, Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["url", "owner", "events", "active", "created_at"]
    list_filter = ["active"]
    readonly_fields = ["owner", "secret", "created_at"]
    fields = ["owner", "url", "events", "description", "active", "created_at"]

    def has_add_permission(self, request):
        return False  # made by the system itself through the API (its secret is shown once there)


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = ["at", "status_code", "error", "manual"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["message_id", "event", "subscription", "status", "attempts", "last_status_code", "created_at"]
    list_filter = ["status", "event"]
    search_fields = ["message_id", "subscription__url"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    inlines = [AttemptInline]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again now"), permissions=["change"])
    def send_again(self, request, queryset):
        for delivery in queryset:
            services.resend(delivery)
        messages.info(request, _("Sent again; see each delivery's attempts."))
