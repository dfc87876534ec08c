from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import authz_cache
from core.crypto import EncryptedCharField, MaskedCopies, MaskedCopyField, blind_index, mask_id_number, mask_phone
from core.models import TimeStampedModel
from core.permissions import Action, Scope, ScopedQuerySet, get_scope
from core.tree import TreeNode, subtree_q, subtrees_q
from core.visibility import Context, Rule, Via, Visibility

from .choices import (
    TWO_NEW_SECTORS,
    Gender,
    MemberStatus,
    OrganizationType,
    PersonKind,
    RegionLevel,
    Sector,
    UnitKind,
)
from .visibility import Organizations, Regions


class Region(TreeNode, TimeStampedModel):
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    code = models.CharField(
        _("division code"), max_length=12, unique=True, help_text=_("Administrative division code, e.g. 350503.")
    )
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)

    objects = ScopedQuerySet.as_manager()
    # Administrative divisions are public reference data: anyone holding a role reads them all. Changing them stays
    # inside the region scope (in practice: platform administrators).
    visibility = Visibility(view=[Regions("")], public=True)

    class Meta(TreeNode.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        """The English name where there is one and English is being read; the official name otherwise."""
        return self.name_en if self.name_en and get_language() == "en" else self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:region_detail", args=[self.pk])


def _hosts_an_organization_in_reach(model: type[models.Model], ctx: Context) -> Q | None:
    """A unit is seen with the organizations it hosts (their subtrees, a member's own), wherever it is registered."""
    scope = ctx.scope
    if not (scope.org_paths or scope.org_ids):
        return None
    return subtrees_q(scope.org_paths) | Q(pk__in=scope.org_ids)


class Unit(TimeStampedModel):
    """The organ, institution, company or social organization that hosts party organizations."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True,
        help_text=_("18 characters; used to recognise the same unit on re-import."),
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="units")
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    objects = ScopedQuerySet.as_manager()
    visibility = Visibility(view=[Regions("region"), Via("organizations.Organization", "unit",
                                                          Rule(_hosts_an_organization_in_reach))])

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:unit_detail", args=[self.pk])


def organization_scope_q(scope: Scope, prefix: str = "", spans: dict[str, tuple[str, str]] | None = None) -> Q:
    """The organizations a scope reaches; ``prefix`` ("organ__", "owner__" …) applies it through a relation.

    Through a relation the rule is a semi-join (``owner_id IN (SELECT id … WHERE <scope>)``), not a join: several
    such conditions OR-ed together (a demand's handler, requester, escalation) would otherwise join the
    organization table once each and make PostgreSQL test every row of a large table; a semi-join is hashed once
    and probed per row, so a page in index order stops after its rows. ``spans``: see ``region_spans``."""
    if prefix:
        return Q(**{f"{prefix}in": Organization.objects.filter(organization_scope_q(scope)).values("pk")})
    return (subtrees_q(scope.org_paths, "path") | region_organizations_q(scope.region_paths, "", spans)
            | Q(pk__in=scope.org_ids))


def region_organizations_q(paths: tuple[str, ...], prefix: str = "",
                           spans: dict[str, tuple[str, str]] | None = None) -> Q:
    """Organizations whose region lies in one of the region subtrees (``prefix`` "organization__" for rows that
    belong to one). ``spans`` (from ``region_spans``, read just before) also bounds each subtree's organizations
    by the first and last tree path they occupy, for lists in tree order: see ``region_spans``."""
    q = Q(pk__in=[])
    for path in paths:
        if spans is None:
            q |= subtree_q(path, f"{prefix}region__path")
        elif path in spans:
            q |= subtree_q(path, f"{prefix}region__path") & Q(**{f"{prefix}path__gte": spans[path][0],
                                                                 f"{prefix}path__lte": spans[path][1]})
    return q


def region_spans(paths: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """{region path: (first, last) tree path of the organizations in that region subtree}; subtrees without
    organizations are left out. One query, one index probe per region.

    A list in tree order under a region scope otherwise walks the tree index from its start past every
    organization of the regions before (18 ms for a district at 100k organizations); bounded by the span, it reads
    only the span the district's organizations occupy, usually nothing else. The bounds are sent as constants so
    that PostgreSQL estimates the range from its statistics (as sub-queries it guessed 0.5 % of the table and
    sorted a 20 % subtree). An organization added or moved since the spans were read would fall outside them, so
    they are kept between requests only until such a write (``core.authz_cache``)."""
    if not paths:
        return {}
    return authz_cache.cached(f"spans:{authz_cache.digest('|'.join(paths))}", lambda: _read_region_spans(paths))


def _read_region_spans(paths: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    in_region = Organization.objects.filter(region=OuterRef("pk"))
    rows = (Region.objects.filter(subtrees_q(paths)).order_by()
            .annotate(first=Subquery(in_region.order_by("path").values("path")[:1]),
                      last=Subquery(in_region.order_by("-path").values("path")[:1]))
            .values_list("path", "first", "last"))
    spans: dict[str, tuple[str, str]] = {}
    for region_path, first, last in rows:
        if first is None:
            continue
        for path in paths:
            if region_path.startswith(path):
                known = spans.get(path)
                spans[path] = (min(known[0], first), max(known[1], last)) if known else (first, last)
    return spans


def region_subtrees_q(paths: tuple[str, ...] | list[str], field: str = "region") -> Q:
    """Rows whose ``field`` (a region) lies in one of the region subtrees, as a semi-join on the region ids
    (see ``organization_scope_q``); an empty list matches nothing."""
    if not paths:
        return Q(pk__in=[])
    return Q(**{f"{field}__in": Region.objects.filter(subtrees_q(paths)).values("pk")})


class OrganizationQuerySet(ScopedQuerySet):
    def visible_in_tree_order(self, user: Any) -> Self:
        """``restrict(user).order_by("path")``, with region scopes bounded by their spans (``region_spans``)."""
        scope = get_scope(user, Action.VIEW)
        if scope.everything or scope.is_empty:
            return self.restrict(user).order_by("path")
        return self.filter(organization_scope_q(scope, spans=region_spans(scope.region_paths))).order_by("path")

    def two_new(self) -> Self:
        return self.filter(sector__in=TWO_NEW_SECTORS)


class Organization(MaskedCopies, TreeNode, TimeStampedModel):
    """A party organization (党组织): committee, general branch, branch or joint branch."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    code = models.CharField(
        _("organization code"), max_length=32, unique=True, null=True, blank=True,
        help_text=_("Code from the party-member information system; used to recognise it on re-import."),
    )
    type = models.CharField(_("type"), max_length=20, choices=OrganizationType.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="organizations"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organizations"
    )
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    secretary = models.ForeignKey(
        "Person", verbose_name=_("secretary"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("contact phone"), blank=True)
    contact_phone_masked = MaskedCopyField(_("contact phone (masked)"), source="contact_phone", masker=mask_phone)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    # Kept by the person services (one UPDATE per change); tests check it equals the live count.
    member_count = models.PositiveIntegerField(_("members"), default=0, editable=False)

    objects = OrganizationQuerySet.as_manager()
    visibility = Visibility(view=[Organizations()])

    audit_masked_fields = {"contact_phone": mask_phone}
    audit_excluded_fields = {"contact_phone_masked"}  # the audit masks contact_phone itself
    computed_from = {"is_two_new": ("sector",)}  # see api.columns

    class Meta(TreeNode.Meta):
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="organization_unique_name_in_parent")]
        indexes = [models.Index(fields=["region", "path"], name="org_region_path_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:organization_detail", args=[self.pk])

    @property
    def is_two_new(self) -> bool:
        return self.sector in TWO_NEW_SECTORS


class PersonQuerySet(ScopedQuerySet):
    @staticmethod
    def _through_organization_q(scope: Scope, spans: dict[str, tuple[str, str]] | None = None) -> Q:
        return (subtrees_q(scope.org_paths, "organization__path")
                | region_organizations_q(scope.region_paths, "organization__", spans) | Q(pk__in=scope.person_ids))

    @staticmethod
    def visible_q(model: type[models.Model], ctx: Context) -> Q | None:
        """Through their organization (a join, not a semi-join: member lists are read in the organization's tree
        order, see ``visible_members``), their own record, and people without an organization through their unit's
        region."""
        scope = ctx.scope
        if not (scope.org_paths or scope.region_paths or scope.person_ids):
            return None
        return PersonQuerySet._through_organization_q(scope) | (
            Q(organization__isnull=True) & subtrees_q(scope.region_paths, "unit__region__path"))

    def visible_members(self, user: Any) -> Self:
        """``restrict(user).members()`` without the branch for people with no organization (a member always has
        one), so that the condition is on the organization alone and a subtree's members are read through the
        organization index; region scopes are bounded by their spans (``region_spans``)."""
        scope = get_scope(user, Action.VIEW)
        members = self.members()
        if scope.everything:
            return members
        if scope.is_empty:
            return members.none()
        return members.filter(self._through_organization_q(scope, region_spans(scope.region_paths)))

    def members(self) -> Self:
        return self.filter(kind=PersonKind.MEMBER)

    def contacts(self) -> Self:
        return self.filter(kind=PersonKind.CONTACT)

    def with_id_number(self, id_number: str) -> Self:
        return self.filter(id_number_index=blind_index(id_number))


class Person(MaskedCopies, TimeStampedModel):
    """A party member, or another person the platform deals with (enterprise liaison, cadre).

    ID and phone numbers are encrypted at rest, masked in every view and list, and read in clear only through
    the audited reveal action by users who hold it.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=PersonKind.choices, default=PersonKind.MEMBER)
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    id_number = EncryptedCharField(_("ID number"), blank=True)
    id_number_index = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    id_number_masked = MaskedCopyField(_("ID number (masked)"), source="id_number", masker=mask_id_number)
    phone = EncryptedCharField(_("phone"), blank=True)
    phone_masked = MaskedCopyField(_("phone (masked)"), source="phone", masker=mask_phone)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="people",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    member_status = models.CharField(_("membership"), max_length=16, choices=MemberStatus.choices, blank=True)
    joined_party_on = models.DateField(_("joined the party on"), null=True, blank=True)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="person",
    )

    objects = PersonQuerySet.as_manager()
    visibility = Visibility(view=[Rule(PersonQuerySet.visible_q)])

    audit_masked_fields = {"id_number": mask_id_number, "phone": mask_phone}
    audit_excluded_fields = {"id_number_index", "id_number_masked", "phone_masked"}
    computed_from = {"is_member": ("kind",)}

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=PersonKind.MEMBER) | Q(organization__isnull=False),
                name="member_has_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:person_detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.id_number_index = blind_index(self.id_number) if self.id_number else None
        if kwargs.get("update_fields") is not None and "id_number" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "id_number_index"}
        super().save(*args, **kwargs)

    @property
    def is_member(self) -> bool:
        return self.kind == PersonKind.MEMBER


class Position(TimeStampedModel):
    """A post a person holds in an organization (secretary, deputy secretary, committee member, liaison …)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="positions"
    )
    title = models.CharField(_("post"), max_length=60)
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["organization__path", "title"]

    def __str__(self) -> str:
        return f"{self.person} · {self.title} · {self.organization}"


class RegionTally(models.Model):
    """Pre-aggregated counts per region and sector, so that dashboards over a whole province read a few thousand
    rows instead of every organization and member. Kept by the organization and person services in the writing
    transaction (``services.adjust_member_counts``, ``organization_create/update/delete``); rebuilt from the live
    tables by ``services.rebuild_region_tallies`` (tests check both give the same numbers)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    sector = models.CharField(max_length=16, choices=Sector.choices)
    organizations = models.IntegerField(default=0)
    members = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("regional tally")
        verbose_name_plural = _("regional tallies")
        constraints = [models.UniqueConstraint(fields=["region", "sector"], name="region_tally_unique")]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.sector}: {self.organizations} organizations, {self.members} members"
