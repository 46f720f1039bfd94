"""Webhooks: subscriptions, the events the apps emit, and their delivery.

``emit`` is called by the service that did the thing (the close, the import, a return), after its
transaction commits: nothing is sent for work that was rolled back. Each subscription that wants
the event and whose system account may see the object (its permission, and its unit's agencies)
gets a Delivery, handed to the worker (``core.jobs.enqueue``). One attempt is one HTTP POST; an
answer other than 2xx (or none within WEBHOOK_TIMEOUT) is tried again after
WEBHOOK_RETRY_SECONDS (30 s, 2 min, 10 min, 1 h, 6 h), then given up. The worker re-queues with a
countdown; beat's sweep (``send_due_deliveries``) sends any due delivery whose message was lost
(and, without a broker, every retry). A delivery can be sent again by hand.
"""

import datetime as dt
import ipaddress
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.selectors import agencies_for
from organisation.selectors import VIEW_ALL_UNITS, units_for

from . import signing
from .models import Attempt, Delivery, Event, Subscription

logger = logging.getLogger(__name__)

_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def validate_url(url: str) -> None:
    """https, or http to this machine only (a local relay, the tests)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host:
        return
    if parts.scheme == "http" and host in _LOCAL_HOSTS:
        return
    try:
        if parts.scheme == "http" and ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise ValidationError({"url": _("A webhook address must use https.")}, code="url")


@transaction.atomic
def create_subscription(*, owner, url: str, events: list[str], description: str = "") -> Subscription:
    validate_url(url)
    unknown = [event for event in events if event not in Event.values]
    if unknown or not events:
        raise ValidationError({"events": _("Choose at least one known event.")}, code="events")
    return Subscription.objects.create(
        owner=owner,
        url=url,
        events=[event for event in Event.values if event in events],
        description=description.strip()[:200],
        secret=signing.new_secret(),
    )


def deactivate_subscription(subscription: Subscription) -> None:
    subscription.active = False
    subscription.save(update_fields=["active"])


# --- events --------------------------------------------------------------------------------------------


def _sees(owner, *, agency_id, unit_id, service_wide, user_id) -> bool:
    if user_id is not None and owner.pk == user_id:
        return True
    if agency_id is not None:
        return agencies_for(owner).filter(pk=agency_id).exists()
    if unit_id is not None:
        return units_for(owner).filter(pk=unit_id).exists()
    if service_wide:
        return owner.has_perm(VIEW_ALL_UNITS)
    return True


def _recipients(event: str, *, permission: str, **scope) -> list[Subscription]:
    wanted = []
    subscriptions = Subscription.objects.filter(active=True, owner__is_active=True).select_related("owner")
    for subscription in subscriptions:
        if event not in subscription.events or not subscription.owner.has_perm(permission):
            continue
        if _sees(subscription.owner, **scope):
            wanted.append(subscription)
    return wanted


def emit(
    event: str,
    data: dict,
    *,
    permission: str,
    agency_id: int | None = None,
    unit_id: int | None = None,
    service_wide: bool = False,
    user_id: int | None = None,
) -> None:
    """Tell the subscribers of ``event``, after the current transaction commits, whose account has
    ``permission`` and sees the object: the agency's, the unit's, or (``service_wide``) every unit;
    ``user_id``'s account always (the uploader of a file). ``data`` holds no personal data: ids,
    codes, periods and amounts, for the system to fetch the rest through the API."""
    scope = {"agency_id": agency_id, "unit_id": unit_id, "service_wide": service_wide, "user_id": user_id}
    transaction.on_commit(lambda: _emit_now(event, data, permission=permission, scope=scope))


def _emit_now(event: str, data: dict, *, permission: str, scope: dict) -> None:
    from . import tasks  # the task module imports this one

    now = timezone.now()
    for subscription in _recipients(event, permission=permission, **scope):
        message_id = f"msg_{uuid.uuid4().hex}"
        payload = json.loads(
            json.dumps({"type": event, "timestamp": now.isoformat(), "data": data}, cls=DjangoJSONEncoder)
        )
        delivery = Delivery.objects.create(
            subscription=subscription, message_id=message_id, event=event, payload=payload, next_attempt_at=now
        )
        tasks.queue_delivery(delivery)


# --- delivery -------------------------------------------------------------------------------------------


def _post(subscription: Subscription, delivery: Delivery) -> tuple[int | None, str]:
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    headers = signing.headers(
        subscription.secret, message_id=delivery.message_id, timestamp=int(time.time()), body=body
    )
    request = urllib.request.Request(
        subscription.url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "Lonservice-Webhooks/1", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT) as response:  # noqa: S310 (https or local)
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"[:500]


def attempt(delivery_id: int, *, manual: bool = False) -> int | None:
    """One attempt of a delivery. Returns the seconds until the next one, or None (delivered, given up,
    or not due)."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("subscription").filter(pk=delivery_id).first()
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return None
        if not manual and delivery.next_attempt_at and delivery.next_attempt_at > timezone.now():
            return None  # a duplicate message, or the sweep ran ahead
        # Claim the attempt: a second worker finds it not due until this one has written its result.
        delivery.next_attempt_at = timezone.now() + dt.timedelta(seconds=settings.WEBHOOK_TIMEOUT * 3)
        delivery.save(update_fields=["next_attempt_at"])
    status_code, error = _post(delivery.subscription, delivery)
    ok = status_code is not None and 200 <= status_code < 300
    Attempt.objects.create(delivery=delivery, status_code=status_code, error=error, manual=manual)
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error
    wait = None
    if ok:
        delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, timezone.now()
        delivery.next_attempt_at = None
    else:
        retries = settings.WEBHOOK_RETRY_SECONDS
        automatic = Attempt.objects.filter(delivery=delivery, manual=False).count()
        if manual or automatic > len(retries):
            delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
        else:
            wait = retries[automatic - 1]
            delivery.next_attempt_at = timezone.now() + dt.timedelta(seconds=wait)
        logger.warning("webhook %s to %s failed: %s", delivery.message_id, delivery.subscription.url, error)
    delivery.save(
        update_fields=["status", "attempts", "last_status_code", "last_error", "delivered_at", "next_attempt_at"]
    )
    return wait


def resend(delivery: Delivery) -> Delivery:
    """Send a delivery again by hand (delivered or given up or waiting): one attempt, now."""
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING)
    attempt(delivery.pk, manual=True)
    delivery.refresh_from_db()
    return delivery


def due_deliveries() -> list[int]:
    return list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )
