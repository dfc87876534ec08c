"""Sending notifications: an in-platform message per user, and a mail when the user has an address."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)


# A notification's text: a string, or a function that writes it in the language active when it is called.
Text = str | Callable[[], str]


def notify(users: Iterable[Any], *, title: Text, body: Text = "", url: str = "") -> list[Notification]:
    """Create one notification per (distinct, active) user; mails go out after the transaction commits.

    Each user reads it in their own language (``User.language``, the interface language they last chose; else the
    platform's): give ``title`` and ``body`` as functions, and they are called once per language among the
    recipients, with that language active."""
    users = [u for u in dict.fromkeys(users) if u.is_active]
    by_language: dict[str, list[Any]] = {}
    for user in users:
        by_language.setdefault(getattr(user, "language", "") or settings.LANGUAGE_CODE, []).append(user)
    rows: list[Notification] = []
    for language, group in by_language.items():
        with translation.override(language):
            title_text = title() if callable(title) else str(title)
            body_text = body() if callable(body) else str(body)
        rows += Notification.objects.bulk_create([
            Notification(user=u, title=title_text[:200], body=body_text, url=url) for u in group])
        _mail([u.email for u in group if u.email], title_text, body_text, url)
    return rows


def _mail(recipients: list[str], title: str, body: str, url: str) -> None:
    if not recipients:
        return
    link = f"\n\n{settings.SITE_URL.rstrip('/')}{url}" if url and settings.SITE_URL else ""

    def mail() -> None:
        try:
            send_mail(title, body + link, None, recipients, fail_silently=False)
        except OSError:  # no mail server on an isolated network: the in-platform message still stands
            logger.warning("could not mail notification %r to %d users", title, len(recipients))

    transaction.on_commit(mail)


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
