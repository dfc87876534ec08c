"""Reading commendations: the scoped lists, a nominating organization's places, the reviewer's queue and the
public notice's rows (name, gender, organization, post — never ID numbers or phones)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.permissions import Action
from organizations.choices import TWO_NEW_SECTORS, Sector
from organizations.models import Organization, Person

from .choices import COUNTED, CampaignStatus, NominationStatus
from .models import Campaign, Honour, Nomination, Notice, Objection, Quota


def campaign_list(user: Any) -> QuerySet[Campaign]:
    return Campaign.objects.restrict(user).select_related("issuer", "alliance")


def nomination_list(user: Any) -> QuerySet[Nomination]:
    return Nomination.objects.restrict(user).select_related("campaign", "category", "person", "organization",
                                                            "nominator", "stage")


def objection_list(user: Any) -> QuerySet[Objection]:
    return Objection.objects.restrict(user).select_related("notice__campaign", "nomination__person",
                                                           "nomination__organization", "handler")


def honour_list(user: Any) -> QuerySet[Honour]:
    return Honour.objects.restrict(user).select_related("person", "organization", "decision__campaign")


@dataclass(frozen=True)
class Places:
    quota: Quota
    used: int

    @property
    def left(self) -> int:
        return max(self.quota.number - self.used, 0)


def places(campaign: Campaign, organization: Organization) -> list[Places]:
    """The organization's places per category and how many are taken (x / y), in one query."""
    quotas = Quota.objects.filter(category__campaign=campaign, organization=organization).select_related(
        "category").annotate(used=Count("category__nominations", filter=Q(
            category__nominations__nominator=organization, category__nominations__status__in=COUNTED)))
    return [Places(q, q.used) for q in quotas]


def nominating_organizations(user: Any, campaign: Campaign) -> QuerySet[Organization]:
    """The organizations with places in the campaign that the user nominates for (may change)."""
    return Organization.objects.restrict(user, Action.CHANGE).filter(
        commendation_quotas__category__campaign=campaign).distinct().order_by("path")


def nominee_choices(user: Any, nominator: Organization) -> tuple[QuerySet[Person], QuerySet[Organization]]:
    """People and organizations of the nominating organization's subtree that the user sees."""
    under = Q(path__gte=nominator.path, path__lt=nominator.path + "~")
    people = Person.objects.restrict(user).members().filter(
        organization__path__gte=nominator.path, organization__path__lt=nominator.path + "~").order_by("name", "id")
    organizations = Organization.objects.restrict(user).filter(under).order_by("path")
    return people, organizations


def review_queue(user: Any) -> QuerySet[Nomination]:
    """Nominations waiting at a stage the user reviews (may change its organization) in a running review; those of
    the user's own organization or unit are left out (conflict of interest, checked again when reviewing)."""
    reviewing = Organization.objects.restrict(user, Action.CHANGE).values("pk")
    rows = Nomination.objects.filter(status=NominationStatus.SUBMITTED, stage__organization__in=reviewing,
                                     campaign__status__in=(CampaignStatus.OPEN, CampaignStatus.REVIEWING))
    own = (Person.objects.filter(user_id=user.pk).values_list("organization_id", flat=True).first()
           if getattr(user, "pk", None) else None)
    if own is not None:
        rows = rows.exclude(organization_id=own).exclude(person__organization_id=own)
    return rows.select_related("campaign", "category", "person", "organization", "nominator", "stage").order_by(
        "campaign__review_until", "submitted_at", "id")


@dataclass(frozen=True)
class NoticeRow:
    nomination: Nomination
    name: str
    gender: str
    organization: str
    post: str


def notice_rows(notice: Notice) -> list[NoticeRow]:
    """The names on a notice, by category, from the details frozen at submission."""
    from organizations.choices import Gender

    rows = []
    for n in notice.nominations.select_related("category").order_by("category_id", "id"):
        snap = n.snapshot or {}
        gender = snap.get("gender") or ""
        rows.append(NoticeRow(n, snap.get("name") or n.nominee_name,
                              str(Gender(gender).label) if gender in Gender.values else "",
                              snap.get("organization", ""), snap.get("post", "")))
    return rows


def structure_warnings(campaign: Campaign) -> list[str]:
    """Categories whose nominations fall short of their two-new share target: a warning for the campaign's
    managers, never a condition on anyone's nomination."""
    two_new = list(TWO_NEW_SECTORS)
    found = []
    for category in campaign.categories.exclude(two_new_share=None).annotate(
            counted=Count("nominations", filter=Q(nominations__status__in=COUNTED)),
            from_two_new=Count("nominations", filter=Q(nominations__status__in=COUNTED) & (
                Q(nominations__organization__sector__in=two_new)
                | Q(nominations__person__organization__sector__in=two_new)))):
        counted, share = category.counted, category.two_new_share
        if counted and share is not None and 100 * category.from_two_new < share * counted:
            found.append(_("%(category)s: %(n)d of %(total)d nominees come from non-public enterprises and social "
                           "organizations; the target is %(target)d%%.")
                         % {"category": category.name, "n": category.from_two_new,
                            "total": counted, "target": share})
    return found


@dataclass
class ArchiveRow:
    category: str
    by_sector: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_sector.values())

    @property
    def two_new(self) -> int:
        return sum(n for sector, n in self.by_sector.items() if sector in TWO_NEW_SECTORS)

    @property
    def two_new_percent(self) -> int:
        return round(100 * self.two_new / self.total) if self.total else 0

    def cells(self, sectors: list[str]) -> list[int]:
        return [self.by_sector.get(sector, 0) for sector in sectors]


def honour_archive(user: Any) -> list[tuple[int, list[ArchiveRow]]]:
    """The honours the user sees (not revoked), by year and honour, counted by the holder's sector (an
    organization's own, a person's organization's): counts for the record, never a ranking. One query."""
    rows = (Honour.objects.restrict(user).filter(revoked_at=None)
            .annotate(sector=Coalesce("organization__sector", "person__organization__sector"))
            .values("year", "category_name", "sector").annotate(n=Count("id"))
            .order_by("-year", "category_name", "sector"))
    years: dict[int, dict[str, ArchiveRow]] = {}
    for row in rows:
        by_category = years.setdefault(row["year"], {})
        entry = by_category.setdefault(row["category_name"], ArchiveRow(row["category_name"], {}))
        entry.by_sector[row["sector"] or ""] = row["n"]
    return [(year, list(by_category.values())) for year, by_category in years.items()]


def archive_sectors(archive: list[tuple[int, list[ArchiveRow]]]) -> list[tuple[str, str]]:
    """The sectors that occur, in the sector list's order, with their labels."""
    present = {sector for _year, rows in archive for row in rows for sector in row.by_sector}
    return [(value, str(label)) for value, label in Sector.choices if value in present]


@dataclass(frozen=True)
class Fact:
    label: str
    count: int
    url: str


def nominee_facts(user: Any, nomination: Nomination, now: Any) -> list[Fact]:
    """What the platform itself records about the nominee's organization over the last year — activities hosted,
    demands resolved as handler, pairs in force — counted among the records the viewer may see, each with the list
    it comes from. Context for the reviewers, never a score or a condition (no ranking of units)."""
    import datetime as dt

    from django.urls import reverse

    from activities.choices import DONE_STATUSES
    from activities.models import Activity
    from demands.choices import DemandStatus
    from demands.models import Demand
    from pairing.choices import PairStatus
    from pairing.models import Pair

    org = nomination.organization or (nomination.person.organization if nomination.person else None)
    if org is None:
        return []
    since = now - dt.timedelta(days=365)
    hosted = Activity.objects.restrict(user).filter(host_links__organization=org, status__in=DONE_STATUSES,
                                                    starts_at__gte=since).distinct().count()
    resolved = Demand.objects.restrict(user).filter(
        handler_organization=org, status__in=(DemandStatus.RESOLVED, DemandStatus.CLOSED),
        resolved_at__gte=since).count()
    pairs = Pair.objects.restrict(user).filter(
        Q(organ=org) | Q(partner_links__organization=org),
        status__in=(PairStatus.ACTIVE, PairStatus.UNDER_REVIEW, PairStatus.RENEWED)).distinct().count()
    return [
        Fact(_("Activities hosted by %(organization)s in the last 12 months") % {"organization": org.name}, hosted,
             f"{reverse('activities:activity_list')}?host={org.pk}"),
        Fact(_("Demands %(organization)s resolved as handler in the last 12 months") % {"organization": org.name},
             resolved, f"{reverse('demands:demand_list')}?handler_organization={org.pk}"),
        Fact(_("Pairs in force with %(organization)s") % {"organization": org.name}, pairs,
             reverse("pairing:pair_list")),
    ]
