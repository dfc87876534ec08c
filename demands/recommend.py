"""Recommendations: for a demand, the resources (and so the organizations) that could serve it; for a resource,
the open demands it could serve. Each recommendation says why.

The ranking is ``matching.MatchIndex`` (BM25 over jieba tokens, with a bonus for a resource kind that usually
serves the demand's category and for region proximity). Each process keeps one index of resources and one of open
demands in memory and *follows* the tables: before answering it reads the rows whose ``updated_at`` moved since it
last applied (see ``Follower``) and upserts or removes just those — adding or withdrawing a resource never
rebuilds the index. The index is built when a process first needs it.

Results are filtered to what the viewer may see; the index itself is not scoped.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tree import STEP_LEN, decode_step
from organizations.models import Organization, Region

from . import matching
from .choices import OPEN_STATUSES, SERVING_KINDS, ResourceKind, ResourceStatus
from .matching.engine import Doc, Hit, MatchIndex, Query
from .models import Demand, DemandCategory, Resource
from .selectors import pickable_handlers

KIND_CODES = {kind: number for number, kind in enumerate(ResourceKind.values, start=1)}
MAX_SCAN = 2000  # the deepest a scoped search looks before settling for fewer results


def region_key(path: str) -> tuple[int, ...]:
    """A region's place in the tree as numbers, root first (two regions share a prefix when one contains the
    other or both lie in the same area)."""
    return tuple(decode_step(path[i:i + STEP_LEN]) for i in range(0, len(path), STEP_LEN))


def _ordinal(day: dt.date | None) -> int | None:
    return day.toordinal() if day else None


def resource_doc(resource: Resource) -> Doc:
    text = " ".join(filter(None, (resource.title, resource.description, resource.terms, resource.capacity_note,
                                  resource.provider_name)))
    return Doc(id=resource.pk, text=text, kind=KIND_CODES.get(resource.kind, 0),
               region=region_key(resource.region.path), available_from=_ordinal(resource.available_from),
               available_until=_ordinal(resource.available_until), capacity=resource.capacity)


def demand_doc(demand: Demand) -> Doc:
    return Doc(id=demand.pk, text=f"{demand.title} {demand.description}", kind=demand.category_id,
               region=region_key(demand.region.path))


class Follower:
    """One in-process index following a table (see the module docstring).

    Before each use it reads ``(pk, updated_at)`` of the rows changed within the last ``MATCH_INDEX_OVERLAP``
    seconds — long enough for any transaction (an Excel import included) to commit rows stamped earlier — and
    fetches and applies only the rows whose stamp it has not applied yet. Every ``MATCH_INDEX_MAX_AGE`` seconds it
    reconciles with the whole table the same way (ids and stamps only; rows deleted by hand disappear), and
    compacts the index when withdrawn rows pile up. Nothing is re-tokenised that did not change."""

    def __init__(self, rows: Callable[[], QuerySet[Any]], to_doc: Callable[[Any], Doc],
                 live: Callable[[Any], bool]) -> None:
        self.rows, self.to_doc, self.live = rows, to_doc, live
        self.lock = threading.Lock()
        self.index: MatchIndex | None = None
        self.built_at = 0.0
        self.seen: dict[int, dt.datetime] = {}

    def reset(self) -> None:
        with self.lock:
            self.index, self.seen = None, {}

    def _apply(self, index: MatchIndex, stamps: dict[int, dt.datetime]) -> None:
        changed = [pk for pk, stamp in stamps.items() if self.seen.get(pk) != stamp]
        for row in self.rows().filter(pk__in=changed) if changed else ():
            self.seen[row.pk] = row.updated_at
            if self.live(row):
                index.upsert(self.to_doc(row))
            elif row.pk in index:
                index.remove(row.pk)

    def get(self) -> MatchIndex:
        with self.lock:
            if self.index is None:
                rows = list(self.rows())
                self.index = MatchIndex(self.to_doc(row) for row in rows if self.live(row))
                self.seen = {row.pk: row.updated_at for row in rows}
                self.built_at = time.monotonic()
            elif time.monotonic() - self.built_at > settings.MATCH_INDEX_MAX_AGE:
                stamps = dict(self.rows().values_list("pk", "updated_at"))
                for pk in set(self.seen) - set(stamps):  # deleted behind the platform's back
                    self.seen.pop(pk)
                    if pk in self.index:
                        self.index.remove(pk)
                self._apply(self.index, stamps)
                stats = self.index.stats()
                if stats["dead"] > stats["live"] // 4:
                    self.index.compact()
                self.built_at = time.monotonic()
            else:
                since = timezone.now() - dt.timedelta(seconds=settings.MATCH_INDEX_OVERLAP)
                self._apply(self.index, dict(self.rows().filter(updated_at__gte=since).values_list("pk",
                                                                                                   "updated_at")))
            return self.index


# Only the columns the index needs: no encrypted contact phone is decrypted to build or follow an index.
RESOURCES = Follower(lambda: Resource.objects.select_related("region").only(
    "title", "description", "terms", "capacity_note", "provider_name", "kind", "region__path", "available_from",
    "available_until", "capacity", "status", "updated_at").order_by("pk"), resource_doc,
    lambda r: r.status == ResourceStatus.ACTIVE)
DEMANDS = Follower(lambda: Demand.objects.select_related("region").only(
    "title", "description", "category_id", "region__path", "status", "updated_at").order_by("pk"), demand_doc,
    lambda d: d.status in OPEN_STATUSES)


def warm_up() -> float:
    """Load the tokeniser and build both indexes now (a server worker calls this at start); returns seconds."""
    start = time.monotonic()
    matching.warm_up()
    RESOURCES.get()
    DEMANDS.get()
    return time.monotonic() - start


def reset() -> None:
    """Forget both indexes (tests; after restoring a database)."""
    RESOURCES.reset()
    DEMANDS.reset()


@dataclass
class Recommendation:
    object: Any
    score: float
    reasons: list[str] = field(default_factory=list)


def _scoped_hits(index: MatchIndex, query: Query, visible: QuerySet[Any], k: int) -> list[Hit]:
    """The best ``k`` hits the viewer may see: search deeper while too many hits are out of their reach."""
    depth = k * 5
    while True:
        hits = index.search(query, depth)
        allowed = set(visible.filter(pk__in=[h.id for h in hits]).values_list("pk", flat=True))
        kept = [h for h in hits if h.id in allowed]
        if len(kept) >= k or len(hits) < depth or depth >= min(len(index), MAX_SCAN):
            return kept[:k]
        depth = min(depth * 10, MAX_SCAN)


def _region_names(region: Region) -> dict[int, str]:
    """The region and its ancestors by depth (1 = root)."""
    names = {len(r.path) // STEP_LEN: str(r) for r in region.ancestors()}
    names[len(region.path) // STEP_LEN] = str(region)
    return names


def _where(hit: Hit, query_region: tuple[int, ...], names: dict[int, str], *, for_demand: bool) -> str:
    shared = hit.shared_regions
    if not shared:
        return ""
    values = {"region": names.get(shared, "")}
    if shared < len(query_region):
        return _("Nearby: also in %(region)s") % values
    return (_("In %(region)s, where the demand is") if for_demand else _("In %(region)s, where the resource is")) \
        % values


def _terms(hit: Hit) -> str:
    return _("Shared words: %(terms)s") % {"terms": "、".join(hit.matched_terms[:6])} if hit.matched_terms else ""


def recommend_resources(user: Any, demand: Demand, k: int = 10, *, today: dt.date | None = None,
                        exclude: Iterable[int] = ()) -> list[Recommendation]:
    """The resources the viewer may see that could serve the demand, best first, each with its reasons."""
    index = RESOURCES.get()
    region = region_key(demand.region.path)
    query = Query(text=f"{demand.title} {demand.description}",
                  kinds=frozenset(KIND_CODES[kind] for kind in SERVING_KINDS.get(demand.category.code, ())),
                  region=region, on=(today or timezone.localdate()).toordinal(), exclude=frozenset(exclude))
    hits = _scoped_hits(index, query, Resource.objects.restrict(user).offered(), k)
    found = Resource.objects.select_related("organization", "region").in_bulk([h.id for h in hits])
    names = _region_names(demand.region)
    category = demand.category.display_name
    result = []
    for hit in hits:
        resource = found.get(hit.id)
        if resource is None:
            continue
        reasons = [_terms(hit)]
        if hit.kind_match:
            reasons.append(_("A %(kind)s usually serves “%(category)s” demands")
                           % {"kind": resource.get_kind_display(), "category": category})
        reasons.append(_where(hit, region, names, for_demand=True))
        if resource.available_until:
            reasons.append(_("Available until %(date)s") % {"date": resource.available_until.isoformat()})
        if resource.capacity_note:
            reasons.append(_("Capacity: %(note)s") % {"note": resource.capacity_note})
        result.append(Recommendation(resource, round(hit.score, 3), [r for r in reasons if r]))
    return result


def recommend_handlers(user: Any, demand: Demand, resources: list[Recommendation]) -> list[Recommendation]:
    """Organizations the manager may hand the case to, from the recommended resources they offer."""
    pickable = set(pickable_handlers(user, demand).filter(
        pk__in={r.object.organization_id for r in resources}).values_list("pk", flat=True))
    by_org: dict[int, Recommendation] = {}
    for rec in resources:
        org: Organization = rec.object.organization
        if org.pk not in pickable:
            continue
        entry = by_org.setdefault(org.pk, Recommendation(org, 0.0, []))
        entry.score = round(entry.score + rec.score, 3)
        entry.reasons.append(_("Offers “%(resource)s”") % {"resource": rec.object.title})
    return sorted(by_org.values(), key=lambda r: (-r.score, r.object.pk))


def _categories_served_by(kind: str) -> frozenset[int]:
    codes = [code for code, kinds in SERVING_KINDS.items() if kind in kinds]
    return frozenset(DemandCategory.objects.filter(code__in=codes).values_list("pk", flat=True))


def recommend_demands(user: Any, resource: Resource, k: int = 10) -> list[Recommendation]:
    """Open demands the viewer may see that the resource could serve."""
    index = DEMANDS.get()
    region = region_key(resource.region.path)
    query = Query(text=resource_doc(resource).text, kinds=_categories_served_by(resource.kind), region=region)
    visible = Demand.objects.restrict(user).filter(status__in=OPEN_STATUSES)
    hits = _scoped_hits(index, query, visible, k)
    found = Demand.objects.select_related("category", "region").in_bulk([h.id for h in hits])
    names = _region_names(resource.region)
    result = []
    for hit in hits:
        demand = found.get(hit.id)
        if demand is None:
            continue
        reasons = [_terms(hit)]
        if hit.kind_match:
            reasons.append(_("A %(kind)s usually serves “%(category)s” demands")
                           % {"kind": resource.get_kind_display(), "category": demand.category.display_name})
        reasons.append(_where(hit, region, names, for_demand=False))
        result.append(Recommendation(demand, round(hit.score, 3), [r for r in reasons if r]))
    return result


def reasons_for(user: Any, demand: Demand, resource: Resource) -> list[str]:
    """The reasons the viewer is shown for recommending ``resource`` (empty when it is not among the top ones)."""
    return next((r.reasons for r in recommend_resources(user, demand) if r.object.pk == resource.pk), [])
