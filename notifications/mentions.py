"""Comments that name someone: ``@username`` in a comment tells that user, when they may see what it is on."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model

from core.permissions import Action

MENTION = re.compile(r"(?<![\w@])@([\w.+-]{2,150})")


def named(text: str, visible_to: Any) -> list[Any]:
    """The active users named in ``text`` who may see ``visible_to`` (a scoped model instance): naming someone
    never shows them what they could not open."""
    names = {m.rstrip(".") for m in MENTION.findall(text or "")}
    if not names:
        return []
    users = list(get_user_model().objects.filter(username__in=list(names)[:20], is_active=True))
    model = type(visible_to)
    return [u for u in users if model.objects.restrict(u, Action.VIEW).filter(pk=visible_to.pk).exists()]
