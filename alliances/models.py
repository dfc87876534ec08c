from __future__ import annotations

from typing import Any, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.permissions import Action, Scope, ScopedQuerySet, get_scope
from core.tree import subtrees_q
from organizations.models import Organization, Region, Unit

from .choices import OPEN_STATUSES, AllianceKind, AllianceStatus, MemberRole, MembershipStatus, OrganizerPart


class AllianceQuerySet(ScopedQuerySet):
    """Who sees an alliance: its administrators (and those of its parent alliance), staff whose region covers one
    of the regions it spans, and anyone who sees one of its active or pending member organizations. Who may
    change it: its administrators and the staff of a region it spans — never a mere member's secretary."""

    def _managed_q(self, scope: Scope) -> Q:
        in_region = AllianceRegion.objects.filter(subtrees_q(scope.region_paths, "region__path"),
                                                  alliance=OuterRef("pk"))
        return Q(pk__in=scope.alliance_ids) | Q(parent_id__in=scope.alliance_ids) | Q(Exists(in_region))

    def scope_q(self, scope: Scope) -> Q:
        with_member = Membership.objects.filter(
            subtrees_q(scope.org_paths, "organization__path") | Q(organization_id__in=scope.org_ids),
            alliance=OuterRef("pk"), status__in=OPEN_STATUSES,
        )
        return self._managed_q(scope) | Q(Exists(with_member))

    def restrict(self, user: Any, action: Action | str = Action.VIEW) -> Self:
        if action != Action.CHANGE:
            return super().restrict(user, action)
        scope = get_scope(user, action)
        if scope.everything:
            return self.all()
        return self.filter(self._managed_q(scope)) if not scope.is_empty else self.none()


class MembershipQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope) -> Q:
        """Alliance-facing data: every membership of a visible alliance, plus the user's own organizations'
        memberships in any state (so a secretary sees a refused application)."""
        visible = Alliance.objects.filter(Alliance.objects.scope_q(scope)).values("pk")
        own = subtrees_q(scope.org_paths, "organization__path") | Q(organization_id__in=scope.org_ids)
        return Q(alliance__in=visible) | own


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

    objects = AllianceQuerySet.as_manager()

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

    objects = MembershipQuerySet.as_manager()

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
