"""What waits on pairing: pairs proposed in the user's programmes to put in force once signed, and yearly reviews
falling due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.permissions import Action
from workbench.registry import LIMIT, Found, Item, first, todo

from .choices import PairStatus
from .models import Pair, PairingProgramme
from .selectors import reviews_due


def _managed(user: Any) -> Any:
    return Pair.objects.filter(programme__in=PairingProgramme.objects.restrict(user, Action.CHANGE).values("pk"))


@todo("pairing.proposed", _("Proposed pairs to put in force"), order=30)
def proposed(user: Any, now: dt.datetime) -> Found:
    rows, total = first(_managed(user).filter(status=PairStatus.PROPOSED).select_related("organ", "programme")
                        .prefetch_related("partners").order_by("created_at", "id"))
    return [Item(str(p), p.get_absolute_url(), None, p.programme.name) for p in rows], total


@todo("pairing.reviews", _("Pair reviews due"), order=31)
def reviews(user: Any, now: dt.datetime) -> Found:
    due = reviews_due(_managed(user), timezone.localdate(now))
    return [Item(str(p), p.get_absolute_url(), on, p.programme.name) for p, on in due[:LIMIT]], len(due)
