"""Slowing down guesses at one user name from many addresses.

django-axes locks a user name *from one address* after AXES_FAILURE_LIMIT failures. A user name
alone is never locked (anyone could then lock finance out for half an hour); it is only slowed
down: once it has LOGIN_USERNAME_SLOWDOWN_AFTER failures from any addresses within axes' cool-off
time, each further attempt must wait a delay that doubles with every failure, at most
LOGIN_USERNAME_MAX_DELAY seconds. An attempt made during the wait is answered with a clear message
and never reaches the password check, so it is not counted either (waiting is all it costs).
"""

import datetime as dt
import math

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import ngettext


def wait_seconds(username: str) -> int:
    """Seconds the user name must still wait before its next attempt (0: it may try now)."""
    if not username or not settings.AXES_ENABLED:
        return 0
    since = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    seen = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    over = (seen["failures"] or 0) - settings.LOGIN_USERNAME_SLOWDOWN_AFTER
    if over < 0:
        return 0
    delay = min(2**over, settings.LOGIN_USERNAME_MAX_DELAY)
    left = (seen["last"] + dt.timedelta(seconds=delay) - timezone.now()).total_seconds()
    return max(0, math.ceil(left))


class ThrottledLoginMixin:
    """For an AuthenticationForm: refuse, before the password is checked, an attempt the user name
    must still wait for (``self.throttled`` says so to the view)."""

    throttled = False

    def clean(self):
        seconds = wait_seconds(self.cleaned_data.get("username") or "")
        if seconds:
            self.throttled = True
            raise ValidationError(
                ngettext(
                    "Many failed sign-ins for this user name. Wait %(n)d second and try again.",
                    "Many failed sign-ins for this user name. Wait %(n)d seconds and try again.",
                    seconds,
                )
                % {"n": seconds},
                code="throttled",
            )
        return super().clean()
