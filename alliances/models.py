from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import authz_cache
from core.models import TimeStampedModel
from core.permissions import Scope, ScopedQuerySet
from core.tree import subtrees_q
from core.visibility import Administered, Context, Rule, Via, Visibility, Visible
from organizations.models import Organization, Region, Unit
from organizations.visibility import Organizations, Regions

from .choices import OPEN_STATUSES, AllianceKind, AllianceStatus, MemberRole, MembershipStatus, OrganizerPart


def _open_member_in_reach(model: type[models.Model], ctx: Context) -> Q | None:
    """Memberships (applied, invited, active) of organizations in the scope's subtrees or a member's own."""
    scope = ctx.scope
    if not (scope.org_paths or scope.org_ids):
        return None
    return ((subtrees_q(scope.org_paths, "organization__path") | Q(organization_id__in=scope.org_ids))
            & Q(status__in=OPEN_STATUSES))


def _own_memberships(model: type[models.Model], ctx: Context) -> Q | None:
    """The user's own organizations' memberships in any state (so a secretary sees a refused application)."""
    scope = ctx.scope
    if not (scope.org_paths or scope.org_ids):
        return None
    return subtrees_q(scope.org_paths, "organization__path") | Q(organization_id__in=scope.org_ids)


# Rows of an alliance (a project, a shared resource) seen by the people of its active member organizations.
ACTIVE_MEMBERS = Via("alliances.Membership", "alliance", Organizations("organization"), field="alliance",
                     where={"status": MembershipStatus.ACTIVE})

# Who manages an alliance: its administrators (and those of its parent alliance) and the staff of a region it spans.
ALLIANCE_MANAGERS = (Administered("pk"), Administered("parent"), Via("alliances.AllianceRegion", "alliance",
                                                                     Regions("region")))


class Alliance(TimeStampedModel):
    """A party-building alliance (党建联盟): organizations tied together across units, districts and provinces."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AllianceKind.choices)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    declaration = models.TextField(_("declaration"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=AllianceStatus.choices,
                              default=AllianceStatus.ACTIVE)
    parent = models.ForeignKey("self", verbose_name=_("parent alliance"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), through="AllianceRegion",
                                     related_name="alliances")

    objects = ScopedQuerySet.as_manager()
    # Seen by its managers and by anyone who sees one of its active or pending member organizations; changed only
    # by its managers — never by a mere member's secretary.
    visibility = Visibility(
        view=[*ALLIANCE_MANAGERS, Via("alliances.Membership", "alliance", Rule(_open_member_in_reach))],
        change=ALLIANCE_MANAGERS)

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("alliances:alliance_detail", args=[self.pk])

    def clean(self) -> None:
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An alliance cannot be its own parent.")})


class AllianceRegion(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="region_links")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alliance", "region"], name="alliance_region_unique")]

    def __str__(self) -> str:
        return f"{self.alliance} · {self.region}"


class Organizer(TimeStampedModel):
    """Who hosts (主办), organizes (承办) or executes (执行) the alliance: a party organization or any unit, such as
    an events company that is not a party organization."""

    alliance = models.ForeignKey(Alliance, verbose_name=_("alliance"), on_delete=models.CASCADE,
                                 related_name="organizers")
    part = models.CharField(_("part"), max_length=12, choices=OrganizerPart.choices)
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")

    class Meta:
        verbose_name = _("organizer")
        verbose_name_plural = _("organizers")
        ordering = ["alliance", "part", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False, unit__isnull=True)
                | Q(organization__isnull=True, unit__isnull=False),
                name="organizer_is_organization_or_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_part_display()} · {self.organization or self.unit}"

    def clean(self) -> None:
        if bool(self.organization_id) == bool(self.unit_id):
            raise ValidationError(_("Choose either a party organization or a unit as the organizer."))


class Workstream(TimeStampedModel):
    """A work area of an alliance (the four platforms by default); later modules attach their records to one."""

    alliance = models.ForeignKey(Alliance, verbose_name=_("alliance"), on_delete=models.CASCADE,
                                 related_name="workstreams")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("workstream")
        verbose_name_plural = _("workstreams")
        ordering = ["alliance", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["alliance", "code"], name="workstream_code_unique")]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    """One organization's membership of one alliance, from application or invitation to leaving. Rows are never
    deleted, so the history stays visible after a member leaves."""

    alliance = models.ForeignKey(Alliance, verbose_name=_("alliance"), on_delete=models.CASCADE,
                                 related_name="memberships")
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), on_delete=models.PROTECT,
                                     related_name="alliance_memberships")
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    status = models.CharField(_("status"), max_length=10, choices=MembershipStatus.choices)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    chair_term_start = models.DateField(_("chair term from"), null=True, blank=True)
    chair_term_end = models.DateField(_("chair term until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True,
                              help_text=_("Why an application was refused, an invitation declined, or a member left."))

    objects = ScopedQuerySet.as_manager()
    # Alliance-facing data: every membership of a visible alliance, and the user's own organizations' memberships.
    visibility = Visibility(view=[Visible("alliance", "alliances.Alliance"), Rule(_own_memberships)])

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["alliance", "organization__path"]
        constraints = [
            # At most one open (applied / invited / active) membership per organization and alliance.
            models.UniqueConstraint(fields=["alliance", "organization"], condition=Q(status__in=OPEN_STATUSES),
                                    name="membership_one_open_per_organization"),
        ]

    def __str__(self) -> str:
        return f"{self.alliance} · {self.organization}"


def member_alliance_ids(scope: Scope) -> list[int]:
    """The alliances in which an organization of the scope is an active member (their accepted demands open for
    claiming are visible to it). Read through joins from the few memberships, not by building the scope's
    organizations; kept between requests until a membership, organization or role changes (core.authz_cache)."""
    if not (scope.org_paths or scope.region_paths or scope.org_ids):
        return []

    def compute() -> list[int]:
        reached = (subtrees_q(scope.org_paths, "organization__path")
                   | subtrees_q(scope.region_paths, "organization__region__path")
                   | Q(organization_id__in=scope.org_ids))
        return sorted(set(Membership.objects.filter(reached, status=MembershipStatus.ACTIVE)
                          .values_list("alliance_id", flat=True)))

    return authz_cache.cached(f"member-alliances:{authz_cache.digest(repr(scope))}", compute)
