"""Webhook subscriptions of the city's systems and every delivery made to them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    INVOICE_ISSUED = "invoice.issued", _("Invoice or credit note issued")
    CLOSE_DONE = "close.done", _("Monthly close done")
    IMPORT_DONE = "import.done", _("Payslip import finished")
    CASE_RETURNED = "case.returned", _("Payroll case returned to the agency")


class Subscription(models.Model):
    """A system account's wish to be told of events, at ``url``, signed with ``secret``
    (Standard Webhooks: ``whsec_`` and base64). The secret is shown once, when it is made."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("system account"), on_delete=models.PROTECT, related_name="+"
    )
    url = models.URLField(_("address"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(_("signing secret"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        indexes = [models.Index(fields=["active", "owner"], name="webhook_sub_active_owner")]

    def __str__(self):
        return self.url


class Delivery(models.Model):
    """One event for one subscription, tried until delivered or given up (the delivery log)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Given up")

    subscription = models.ForeignKey(
        Subscription, verbose_name=_("subscription"), on_delete=models.PROTECT, related_name="deliveries"
    )
    message_id = models.CharField(_("message id"), max_length=40, unique=True)
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(_("last response"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self):
        return f"{self.event} → {self.subscription.url}"

    # core.jobs: the delivery is handed to the worker
    def queue_label(self) -> str:
        return gettext("the webhook %(event)s") % {"event": self.event}

    def mark_not_queued(self, message: str) -> None:
        """Not queued: it stays waiting and the sweep (send_due_deliveries) sends it later."""
        self.last_error = message
        self.save(update_fields=["last_error"])


class Attempt(models.Model):
    """One HTTP request of a delivery: when, the answer's status or the error."""

    delivery = models.ForeignKey(Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(_("response"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    manual = models.BooleanField(_("sent again by hand"), default=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"
