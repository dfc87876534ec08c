"""Sending notifications: an in-platform message per user, and a mail when the user has an address."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


def notify(users: Iterable[Any], *, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Create one notification per (distinct, active) user; mails go out after the transaction commits."""
    users = [u for u in dict.fromkeys(users) if u.is_active]
    rows = Notification.objects.bulk_create([Notification(user=u, title=title[:200], body=body, url=url)
                                             for u in users])
    recipients = [u.email for u in users if u.email]
    if recipients:
        link = f"\n\n{settings.SITE_URL.rstrip('/')}{url}" if url and settings.SITE_URL else ""

        def mail() -> None:
            try:
                send_mail(title, body + link, None, recipients, fail_silently=False)
            except OSError:  # no mail server on an isolated network: the in-platform message still stands
                logger.warning("could not mail notification %r to %d users", title, len(recipients))

        transaction.on_commit(mail)
    return rows


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
