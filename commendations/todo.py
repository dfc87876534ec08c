"""What waits in a commendation: nominations at the stages the user reviews, returned nominations of the user's
organizations to fix, objections to find on, and open windows where the user's organizations still have places."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.permissions import Action, get_scope
from core.tree import subtrees_q
from workbench.registry import Found, Item, first, todo

from .choices import COUNTED, CampaignStatus, NominationStatus
from .models import Nomination, Objection, Quota
from .selectors import review_queue


@todo("commendations.review", _("Nominations to review at my stage"), order=70)
def to_review(user: Any, now: dt.datetime) -> Found:
    rows, total = first(review_queue(user))
    return [Item(n.nominee_name, n.get_absolute_url(), n.campaign.review_until, f"{n.category} · {n.stage}")
            for n in rows], total


@todo("commendations.returned", _("Returned nominations to fix"), order=71)
def to_fix(user: Any, now: dt.datetime) -> Found:
    """Of the organizations the user answers for as secretary (a district's staff follow the campaign instead)."""
    paths = get_scope(user, Action.CHANGE).org_paths
    if not paths:
        return [], 0
    rows, total = first(Nomination.objects.filter(subtrees_q(paths, "nominator__path"),
                                                  status=NominationStatus.RETURNED)
                        .select_related("campaign", "category", "person", "organization").order_by("updated_at", "id"))
    return [Item(n.nominee_name, n.get_absolute_url(), n.campaign.review_until, n.return_reason) for n in rows], total


@todo("commendations.objections", _("Objections to find on"), order=72)
def objections(user: Any, now: dt.datetime) -> Found:
    rows, total = first(Objection.objects.restrict(user, Action.CHANGE).filter(finding="")
                        .select_related("nomination__person", "nomination__organization").order_by("filed_at", "id"))
    return [Item(o.nomination.nominee_name, o.get_absolute_url(), None, o.objector_unit) for o in rows], total


@todo("commendations.nominate", _("Commendations open with places left"), order=73)
def to_nominate(user: Any, now: dt.datetime) -> Found:
    """Places of the organizations the user answers for as secretary, in campaigns whose window is open today."""
    paths = get_scope(user, Action.CHANGE).org_paths
    if not paths:
        return [], 0
    today = timezone.localdate(now)
    used = Count("category__nominations", filter=Q(category__nominations__nominator=F("organization"),
                                                   category__nominations__status__in=COUNTED))
    rows, total = first(Quota.objects.filter(
        subtrees_q(paths, "organization__path"), category__campaign__status=CampaignStatus.OPEN,
        category__campaign__nominate_from__lte=today, category__campaign__nominate_until__gte=today,
    ).annotate(used=used).filter(used__lt=F("number")).select_related("category__campaign", "organization")
        .order_by("category__campaign__nominate_until", "id"))
    return [Item(q.category.campaign.title, reverse("commendations:nominating",
                                                    args=[q.category.campaign_id, q.organization_id]),
                 q.category.campaign.nominate_until,
                 f"{q.organization} · {q.category.name} {q.used} / {q.number}")
            for q in rows], total
