"""Telling people: ``notify`` writes one notification per recipient (the bell) inside the caller's transaction and
queues its deliveries on the other channels, which the task backend sends once the transaction commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format

from core import audit
from core.models import AuditAction
from core.permissions import Actor

from .channels import channels
from .kinds import KINDS, Kind
from .models import Delivery, DeliveryStatus, MailMode, Notification, Preference, Subscriber

# A notification's text: a string, or a function that writes it in the language active when it is called.
Text = str | Callable[[], str]


class Say:
    """A message written in each recipient's language: a lazy msgid and its values (lazy values, such as a
    status label, are translated too)."""

    def __init__(self, message: Any, **values: Any) -> None:
        self.message = message
        self.values = values

    def __call__(self) -> str:
        text = str(self.message)
        return text % {k: str(v) for k, v in self.values.items()} if self.values else text


class When:
    """A date or time written in the language active when the message is (``Say`` values may be these)."""

    def __init__(self, value: Any, *, with_time: bool = True) -> None:
        self.value = value
        self.with_time = with_time

    def __str__(self) -> str:
        if self.value is None:
            return "—"
        if self.with_time:
            return date_format(timezone.localtime(self.value), "SHORT_DATETIME_FORMAT")
        return date_format(self.value, "SHORT_DATE_FORMAT")


def _text(value: Text) -> str:
    return value() if callable(value) else str(value)


def notify(users: Iterable[Any], *, kind: Kind, title: Text, body: Text = "", url: str = "", event: str = "",
           actor: Actor = None, at: dt.datetime | None = None) -> list[Notification]:
    """Tell each (distinct, active) user once: not the actor, who did it, and nobody twice for the same
    ``event`` (a user holding several roles, a task run twice).

    Each user reads it in their own language (``User.language``; else the platform's): give ``title`` and
    ``body`` as functions (``Say``), called once per language among the recipients. ``at``: when it happened, if
    not now (a step recorded with its own time)."""
    actor_id = getattr(actor, "pk", None)
    recipients = {u.pk: u for u in users if u is not None and u.is_active and u.pk != actor_id}
    if event and recipients:
        for user_id in Notification.objects.filter(event=event, user_id__in=list(recipients)).values_list(
                "user_id", flat=True):
            recipients.pop(user_id, None)
    if not recipients:
        return []
    by_language: dict[str, list[Any]] = {}
    for user in recipients.values():
        by_language.setdefault(getattr(user, "language", "") or settings.LANGUAGE_CODE, []).append(user)
    now = at or timezone.now()
    rows: list[Notification] = []
    for language, group in by_language.items():
        with translation.override(language):
            title_text, body_text = _text(title)[:200], _text(body)
        rows += [Notification(user=u, kind=kind.key, event=event[:200], title=title_text, body=body_text, url=url,
                              created_at=now) for u in group]
    rows = Notification.objects.bulk_create(rows)
    _queue_deliveries(rows, recipients, kind)
    return rows


def _queue_deliveries(rows: list[Notification], users: Mapping[int, Any], kind: Kind) -> None:
    reachable = [(row, key, address) for row in rows for key, channel in channels().items()
                 if (address := channel.address(users[row.user_id]))]
    if not reachable:
        return
    user_ids = list({row.user_id for row, _key, _address in reachable})
    muted = set(Preference.objects.filter(user_id__in=user_ids, kind=kind.key).values_list("user_id", "channel"))
    daily = set(Subscriber.objects.filter(user_id__in=user_ids, mode=MailMode.DAILY).values_list("user_id",
                                                                                               flat=True))
    deliveries = [Delivery(notification=row, channel=key, address=address[:254],
                           status=DeliveryStatus.DIGEST if row.user_id in daily else DeliveryStatus.PENDING)
                  for row, key, address in reachable if (row.user_id, key) not in muted]
    if not deliveries:
        return
    pending = [d.pk for d in Delivery.objects.bulk_create(deliveries) if d.status == DeliveryStatus.PENDING]
    if pending:
        from .tasks import deliver_task

        transaction.on_commit(lambda: deliver_task.enqueue(pending))


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (all of them, or these); how many were."""
    qs = Notification.objects.owned_by(user).filter(read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


@transaction.atomic
def preferences_set(*, actor: Any, muted: Iterable[tuple[str, str]], mode: str) -> bool:
    """Replace what the user switched off (``(kind, channel)`` pairs among the declared kinds and configured
    channels) and how mail reaches them. Audited; False when nothing changed."""
    wanted = {(k, c) for k, c in muted if k in KINDS and c in channels()}
    if mode not in MailMode.values:
        raise ValueError(mode)
    before = set(Preference.objects.owned_by(actor).values_list("kind", "channel"))
    settings_row, _created = Subscriber.objects.get_or_create(user=actor)
    if before == wanted and settings_row.mode == mode:
        return False
    for kind, channel in before - wanted:
        Preference.objects.owned_by(actor).filter(kind=kind, channel=channel).delete()
    Preference.objects.bulk_create([Preference(user=actor, kind=k, channel=c) for k, c in wanted - before])
    old_mode, settings_row.mode = settings_row.mode, mode
    settings_row.save(update_fields=["mode"])
    audit.record(actor=actor, action=AuditAction.UPDATE, object_type="notifications.preference",
                 object_id=str(actor.pk), object_repr=str(actor),
                 changes={"muted": {"old": sorted(map(list, before)), "new": sorted(map(list, wanted))},
                          "mode": {"old": old_mode, "new": mode}})
    return True
