"""Pairing reads: scoped lists, organ loads, pairing suggestions with their reasons, and target progress."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.tree import STEP_LEN, subtree_q
from organizations.models import Organization, Region

from .choices import LIVE_STATUSES, ORGAN_SECTORS, REVIEWABLE_STATUSES, SUGGESTED_SECTORS
from .models import Pair, PairingProgramme, PairPartner


def programme_list(user: Any) -> QuerySet[PairingProgramme]:
    """Programmes with the number of their pairs the user can see (never a count of what they cannot)."""
    visible = Pair.objects.restrict(user).filter(programme=OuterRef("pk")).order_by().values("programme")
    count = visible.annotate(n=Func(F("id"), function="COUNT")).values("n")
    return (PairingProgramme.objects.restrict(user).select_related("owner")
            .annotate(pair_count=Coalesce(Subquery(count), 0)).order_by("-starts_on", "name"))


def pair_list(user: Any) -> QuerySet[Pair]:
    partners = Prefetch("partners", queryset=Organization.objects.order_by("path"))
    return (Pair.objects.restrict(user).select_related("programme", "organ", "organ__region")
            .prefetch_related(partners).order_by("programme__name", "organ__path", "id"))


def organ_loads(programme: PairingProgramme, organ_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Partner organizations per organ among the programme's live pairs."""
    rows = PairPartner.objects.filter(pair__programme=programme, pair__status__in=LIVE_STATUSES)
    if organ_ids is not None:
        rows = rows.filter(pair__organ_id__in=list(organ_ids))
    counts = rows.values("pair__organ_id").annotate(n=Count("id"))
    return {row["pair__organ_id"]: row["n"] for row in counts}


# Suggestions -----------------------------------------------------------------------------------------------------

_SPLIT = re.compile(r"[、,，;；/|\s]+")


def industries(text: str) -> set[str]:
    """The industries named in a unit's industry field (“装备制造、新材料” → {"装备制造", "新材料"})."""
    return {part.strip().lower() for part in _SPLIT.split(text or "") if part.strip()}


def distance_km(a: Any, b: Any) -> float | None:
    """Great-circle distance between two units with coordinates, or None."""
    if a is None or b is None or None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, map(float, (a.latitude, a.longitude, b.latitude, b.longitude)))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


@dataclass
class Suggestion:
    organ: Organization
    score: float
    load: int
    reasons: list[str] = field(default_factory=list)


@dataclass
class PartnerSuggestions:
    organization: Organization
    suggestions: list[Suggestion]


def programme_area(programme: PairingProgramme) -> Q:
    """Organizations in the region (and sub-regions) of the programme's owner."""
    return subtree_q(programme.owner.region.path, "region__path")


def pickable_organizations(programme: PairingProgramme, user: Any) -> QuerySet[Organization]:
    """Organizations a programme's manager may put into a pair: those they see, and every organization of the
    programme's area (the secretary of a working committee sees only its own subtree, yet pairs its zone's
    enterprises). ``user=None`` is the system."""
    if user is None:
        return Organization.objects.all()
    visible = Organization.objects.restrict(user).values("pk")
    return Organization.objects.filter(Q(pk__in=visible) | programme_area(programme))


def unpaired_partners(programme: PairingProgramme, user: Any) -> QuerySet[Organization]:
    """Enterprise and social organizations in the programme's area without a live pair in the programme."""
    paired = PairPartner.objects.filter(pair__programme=programme, pair__status__in=LIVE_STATUSES)
    return (Organization.objects.restrict(user).filter(programme_area(programme), sector__in=SUGGESTED_SECTORS)
            .exclude(pk__in=paired.values("organization_id")).select_related("unit", "region").order_by("path"))


def pairing_suggestions(programme: PairingProgramme, user: Any, partners: Iterable[Organization],
                        per_partner: int = 3) -> list[PartnerSuggestions]:
    """For each partner organization, the best organ partners, each with the reasons it was chosen.

    Score: same region +3 (a shared higher region +1); units within 3 km +2 (within 10 km +1); a shared industry +3;
    the organ already pairs with organizations of that industry +1; spare capacity up to +2 (organs at the
    programme's maximum are left out).
    """
    partners = list(partners)
    organs = list(Organization.objects.restrict(user).filter(programme_area(programme), sector__in=ORGAN_SECTORS)
                  .exclude(pk=programme.owner_id).select_related("unit", "region").order_by("path"))
    limit = programme.max_partners_per_organ
    loads = organ_loads(programme, [o.pk for o in organs])
    organs = [o for o in organs if loads.get(o.pk, 0) < limit]
    experience: dict[int, list[str]] = defaultdict(list)  # organ → industries of its current partners
    for organ_id, industry in (PairPartner.objects.filter(pair__organ__in=organs, pair__status__in=LIVE_STATUSES)
                               .values_list("pair__organ_id", "organization__unit__industry")):
        experience[organ_id].extend(industries(industry or ""))
    region_names = _region_names(partners, organs)
    result = []
    for partner in partners:
        scored = [_score(partner, organ, loads.get(organ.pk, 0), limit, experience[organ.pk], region_names)
                  for organ in organs]
        scored.sort(key=lambda s: (-s.score, s.load, s.organ.path))
        result.append(PartnerSuggestions(partner, scored[:per_partner]))
    return result


def _region_names(partners: list[Organization], organs: list[Organization]) -> dict[str, str]:
    paths = {o.region.path for o in [*partners, *organs]}
    prefixes = {p[:i] for p in paths for i in range(STEP_LEN, len(p) + 1, STEP_LEN)}
    return dict(Region.objects.filter(path__in=prefixes).values_list("path", "name"))


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n + STEP_LEN <= min(len(a), len(b)) and a[n:n + STEP_LEN] == b[n:n + STEP_LEN]:
        n += STEP_LEN
    return a[:n]


def _score(partner: Organization, organ: Organization, load: int, limit: int, experience: list[str],
           region_names: dict[str, str]) -> Suggestion:
    s = Suggestion(organ=organ, score=0.0, load=load)
    if partner.region_id == organ.region_id:
        s.score += 3
        s.reasons.append(_("Same region: %(region)s") % {"region": partner.region.name})
    else:
        common = _common_prefix(partner.region.path, organ.region.path)
        if common in region_names:
            s.score += 1
            s.reasons.append(_("Both in %(region)s") % {"region": region_names[common]})
    km = distance_km(partner.unit, organ.unit)
    if km is not None and km <= 10:
        s.score += 2 if km <= 3 else 1
        s.reasons.append(_("About %(km).1f km apart") % {"km": km})
    wanted = industries(partner.unit.industry if partner.unit else "")
    shared = sorted(wanted & industries(organ.unit.industry if organ.unit else ""))
    if shared:
        s.score += 3
        s.reasons.append(_("Industry fit: %(industries)s") % {"industries": "、".join(shared)})
    known = sorted(wanted & set(experience))
    if known:
        n = sum(1 for industry in experience if industry in wanted)
        s.score += 1
        s.reasons.append(ngettext("Already paired with %(n)d organization in %(industries)s",
                                  "Already paired with %(n)d organizations in %(industries)s", n)
                         % {"n": n, "industries": "、".join(known)})
    s.score += 2 * (1 - load / limit)
    s.reasons.append(_("Load: %(load)d of %(max)d partners") % {"load": load, "max": limit})
    return s


# Target progress -------------------------------------------------------------------------------------------------


@dataclass
class QuarterProgress:
    year: int
    quarter: int
    starts_on: dt.date
    ends_on: dt.date
    target: int
    done: int
    state: str  # "past", "current" or "future"

    @property
    def met(self) -> bool:
        return self.done >= self.target


@dataclass
class PairProgress:
    quarters: list[QuarterProgress]
    target_to_date: int
    done_to_date: int

    @property
    def percent(self) -> int:
        if not self.target_to_date:
            return 100 if self.done_to_date else 0
        return min(100, round(100 * self.done_to_date / self.target_to_date))


def quarters_between(start: dt.date, end: dt.date) -> list[tuple[int, int, dt.date, dt.date]]:
    """Calendar quarters overlapping [start, end], each clipped to the period."""
    result: list[tuple[int, int, dt.date, dt.date]] = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while True:
        q_start = dt.date(year, 3 * quarter - 2, 1)
        q_end = (dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - dt.timedelta(days=1))
        if q_start > end:
            return result
        result.append((year, quarter, max(q_start, start), min(q_end, end)))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def pair_progress(pair: Pair, activity_dates: Iterable[dt.date], today: dt.date | None = None) -> PairProgress:
    """Joint activities per quarter of the pair's period against its target.

    ``activity_dates`` are the dates of the activities linked to the pair (each activity once, however many
    co-hosts it had). Quarters still to come are shown but not counted in the target to date.
    """
    today = today or timezone.localdate()
    per_quarter: dict[tuple[int, int], int] = defaultdict(int)
    for day in activity_dates:
        if pair.starts_on <= day <= pair.ends_on:
            per_quarter[(day.year, (day.month - 1) // 3 + 1)] += 1
    quarters = []
    for year, quarter, q_start, q_end in quarters_between(pair.starts_on, pair.ends_on):
        state = "future" if q_start > today else ("current" if q_end >= today else "past")
        quarters.append(QuarterProgress(year, quarter, q_start, q_end, pair.target_activities_per_quarter,
                                        per_quarter[(year, quarter)], state))
    counted = [q for q in quarters if q.state != "future"]
    return PairProgress(quarters=quarters, target_to_date=sum(q.target for q in counted),
                        done_to_date=sum(q.done for q in counted))


def organization_pairs(user: Any, organization: Organization) -> QuerySet[Pair]:
    """The pairs an organization is in, on either side (newest first), as far as the user may see them."""
    partner = PairPartner.objects.filter(pair=OuterRef("pk"), organization=organization)
    return (pair_list(user).filter(Q(organ=organization) | Q(Exists(partner)))
            .order_by("-starts_on", "id"))


REVIEW_REMIND_DAYS = 30  # a yearly review shows as due (and is announced) this many days before its date


def review_due_on(pair: Pair, year: int) -> dt.date | None:
    """A pair in force reviews each year after the one it started in, by its anniversary (by its end, if sooner)."""
    if pair.starts_on.year >= year:
        return None
    try:
        anniversary = pair.starts_on.replace(year=year)
    except ValueError:  # started on 29 February
        anniversary = dt.date(year, 2, 28)
    return min(anniversary, pair.ends_on)


def reviews_due(pairs: QuerySet[Pair], today: dt.date) -> list[tuple[Pair, dt.date]]:
    """The pairs among ``pairs`` whose review for this year is not recorded and falls due within
    ``REVIEW_REMIND_DAYS`` (or is overdue), with its date."""
    candidates = (pairs.filter(status__in=REVIEWABLE_STATUSES, starts_on__lt=dt.date(today.year, 1, 1),
                               ends_on__gte=dt.date(today.year, 1, 1))
                  .exclude(reviews__year=today.year).select_related("organ", "programme__owner")
                  .prefetch_related("partners"))
    horizon = today + dt.timedelta(days=REVIEW_REMIND_DAYS)
    due = [(pair, review_due_on(pair, today.year)) for pair in candidates]
    return [(pair, on) for pair, on in due if on is not None and on <= horizon]
