"""Sending deliveries: at once after the transaction that raised them commits, again for those a channel
refused, and once a day as a digest for users who asked for one. Safe to run twice: a delivery is claimed by a
conditional update before it is sent."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from .channels import channels
from .models import Delivery, DeliveryStatus, Subscriber

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


def _link(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url and settings.SITE_URL else ""


def _claim(delivery: Delivery) -> bool:
    return bool(Delivery.objects.filter(pk=delivery.pk, status=delivery.status, attempts=delivery.attempts)
                .update(attempts=F("attempts") + 1))


def _outcome(ids: Iterable[int], error: str = "", attempts: int = 0) -> None:
    rows = Delivery.objects.filter(pk__in=list(ids))
    if not error:
        rows.update(status=DeliveryStatus.SENT, sent_at=timezone.now(), error="")
    elif attempts >= MAX_ATTEMPTS:
        rows.update(status=DeliveryStatus.FAILED, error=error[:500])
    else:
        rows.update(status=DeliveryStatus.PENDING, error=error[:500])


def deliver(ids: Iterable[int] | None = None) -> dict[str, int]:
    """Send pending deliveries (these, or all of them)."""
    counts = {"sent": 0, "failed": 0}
    pending: QuerySet[Delivery] = Delivery.objects.filter(status=DeliveryStatus.PENDING).select_related("notification")
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    configured = channels()
    for delivery in pending:
        channel = configured.get(delivery.channel)
        if channel is None or not _claim(delivery):
            continue
        note = delivery.notification
        text = "\n\n".join(part for part in (note.body, _link(note.url)) if part)
        try:
            channel.send(delivery.address, note.title, text)
        except Exception as exc:  # a gateway's failure of any kind: record it and retry later, never lose the row
            logger.warning("delivery %s on %s failed: %s", delivery.pk, delivery.channel, exc)
            _outcome([delivery.pk], f"{type(exc).__name__}: {exc}", delivery.attempts + 1)
            counts["failed"] += 1
        else:
            _outcome([delivery.pk])
            counts["sent"] += 1
    return counts


def send_digests(now: dt.datetime | None = None) -> int:
    """One message per user and channel with everything waiting for the digest; how many were sent."""
    now = now or timezone.now()
    waiting: dict[tuple[int, str], list[Delivery]] = defaultdict(list)
    for delivery in Delivery.objects.filter(status=DeliveryStatus.DIGEST).select_related(
            "notification__user").order_by("notification__created_at", "pk"):
        waiting[(delivery.notification.user_id, delivery.channel)].append(delivery)
    configured = channels()
    sent = 0
    for (user_id, key), deliveries in waiting.items():
        channel = configured.get(key)
        if channel is None:
            continue
        user = deliveries[0].notification.user
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = ngettext("Lianmeng: %(count)d notification", "Lianmeng: %(count)d notifications",
                               len(deliveries)) % {"count": len(deliveries)}
            lines = [f"· {d.notification.title}" + (f"\n  {_link(d.notification.url)}" if d.notification.url else "")
                     for d in deliveries]
            text = "\n".join([_("Since the last digest:"), "", *lines])
        try:
            channel.send(deliveries[-1].address, subject, text)
        except Exception as exc:  # the digest stays waiting for tomorrow's run
            logger.warning("digest for user %s on %s failed: %s", user_id, key, exc)
            continue
        _outcome([d.pk for d in deliveries])
        Subscriber.objects.filter(user_id=user_id).update(digest_sent_at=now)
        sent += 1
    return sent


@task()
def deliver_task(delivery_ids: list[int]) -> dict[str, int]:
    return deliver(delivery_ids)


@task()
def retry_deliveries_task() -> dict[str, int]:
    """Hourly or daily: what a channel refused earlier (or a worker never sent) gets another try."""
    return deliver()


@task()
def send_digests_task() -> int:
    return send_digests()
