"""The shell's models: the heartbeat readiness reads (lonservice/observability/health.py) and the alerts
sent to operations (lonservice/observability/alerts.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a periodic signal arrived: ``beat`` is beat's tick, as a worker ran it."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"


class AlertSent(models.Model):
    """The last alert e-mail about one thing (a failed job, the health check), so it is sent once
    (or again after ALERT_REPEAT_MINUTES, for a state that lasts)."""

    key = models.CharField(_("about"), max_length=120, primary_key=True)
    subject = models.CharField(_("subject"), max_length=255)
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("alert sent")
        verbose_name_plural = _("alerts sent")

    def __str__(self):
        return f"{self.key} {self.sent_at:%Y-%m-%d %H:%M:%S}"
