"""Demands (需求 / 诉求) and how they are settled (诉求联解): a tracked case from submission to a rated result.

A demand is raised by an enterprise or social organization, a party organization or a person — or recorded on
their behalf by a liaison cadre. Every step (accept, decline, assign, claim, start, resolve, rate, reopen), every
comment, reminder and escalation is a ``DemandEvent``: the timeline the requester and the handlers read.
Deadlines come from ``DeadlineTier`` rows (category × urgency, in working days; ``Holiday`` rows adjust the
calendar).
"""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alliances.choices import MembershipStatus
from alliances.models import Alliance, Membership, Workstream
from core.crypto import EncryptedCharField, mask_phone
from core.models import TimeStampedModel
from core.permissions import Action, Scope, ScopedQuerySet, get_scope
from core.tree import subtrees_q
from organizations.models import Organization, Person, Region, Unit, organization_scope_q

from .choices import DeadlineKind, DemandStatus, EventKind, RequesterKind, Urgency


class DemandCategory(models.Model):
    """The configurable taxonomy (policy, financing, talent and hiring, …); platform administrators edit it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("demand category")
        verbose_name_plural = _("demand categories")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and (get_language() or "").startswith("en") else self.name


class DeadlineTier(models.Model):
    """How many working days a demand may wait to be accepted, and to be resolved once accepted. The most specific
    tier wins: category and urgency, then category, then urgency, then the default (neither)."""

    category = models.ForeignKey(DemandCategory, verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="deadline_tiers",
                                 help_text=_("Empty: every category."))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, blank=True,
                               help_text=_("Empty: every urgency."))
    accept_days = models.PositiveSmallIntegerField(_("accept within (working days)"),
                                                   validators=[MinValueValidator(1), MaxValueValidator(30)])
    resolve_days = models.PositiveSmallIntegerField(_("resolve within (working days)"),
                                                    validators=[MinValueValidator(1), MaxValueValidator(365)])
    remind_days = models.PositiveSmallIntegerField(
        _("remind (working days before)"), default=1, validators=[MaxValueValidator(30)],
        help_text=_("The handler is reminded this many working days before a deadline."))

    class Meta:
        verbose_name = _("deadline tier")
        verbose_name_plural = _("deadline tiers")
        ordering = ["category__position", "urgency", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "urgency"], name="deadline_tier_unique"),
            models.UniqueConstraint(fields=["urgency"], condition=Q(category__isnull=True),
                                    name="deadline_tier_unique_any_category"),
        ]

    def __str__(self) -> str:
        return f"{self.category or _('every category')} · {self.get_urgency_display() or _('every urgency')}"


class Holiday(models.Model):
    """A change to the working calendar: a public holiday on a weekday, or a weekend day made a working day
    (调休). Weekends are otherwise rest days."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_working_day = models.BooleanField(_("working day"), default=False,
                                         help_text=_("Tick for a weekend day that is worked (调休)."))

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class DemandQuerySet(ScopedQuerySet):
    """Who sees a demand: whoever raised or recorded it, the handler (their organization's secretaries and staff
    above, the handler person), staff whose region or subtree holds the demand's region or the requesting
    organization, and the administrators of its alliance."""

    def scope_q(self, scope: Scope) -> Q:
        q = (organization_scope_q(scope, "handler_organization__")
             | organization_scope_q(scope, "requester_organization__")
             | organization_scope_q(scope, "escalated_to__")
             | subtrees_q(scope.region_paths, "region__path"))
        if scope.alliance_ids:
            q |= Q(alliance_id__in=scope.alliance_ids)
        if scope.person_ids:
            q |= Q(handler_person_id__in=scope.person_ids) | Q(requester_person_id__in=scope.person_ids)
        if scope.reaches_tree or scope.org_ids:  # accepted alliance demands its members may claim
            members = Membership.objects.filter(organization_scope_q(scope, "organization__"),
                                                status=MembershipStatus.ACTIVE, alliance=OuterRef("alliance"))
            q |= Q(Exists(members), open_for_claim=True, status=DemandStatus.ACCEPTED)
        return q

    def managed_q(self, scope: Scope) -> Q:
        """Who accepts, declines, assigns and follows up: staff of the demand's region (or above), the alliance's
        administrators."""
        q = subtrees_q(scope.region_paths, "region__path")
        if scope.alliance_ids:
            q |= Q(alliance_id__in=scope.alliance_ids)
        return q

    def restrict(self, user: Any, action: Action | str = Action.VIEW) -> Self:
        scope = get_scope(user, action)
        if scope.everything:
            return self.all()
        if action == Action.CHANGE:
            return self.filter(self.managed_q(scope)) if not scope.is_empty else self.none()
        own = Q(created_by=user) if getattr(user, "is_authenticated", False) and action == Action.VIEW else Q()
        if scope.is_empty:
            return self.filter(own) if own else self.none()
        return self.filter(self.scope_q(scope) | own) if own else self.filter(self.scope_q(scope))


class Demand(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    category = models.ForeignKey(DemandCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="demands")
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="demands",
                               help_text=_("Where the demand arises; staff of this region accept it."))
    alliance = models.ForeignKey(Alliance, verbose_name=_("alliance"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="demands")
    workstream = models.ForeignKey(Workstream, verbose_name=_("workstream"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="demands")

    # Who raised it: a unit (enterprise, social organization), a party organization, or a person.
    requester_kind = models.CharField(_("raised by"), max_length=12, choices=RequesterKind.choices)
    requester_name = models.CharField(_("requester"), max_length=200,
                                      help_text=_("The enterprise, organization or person, as they call "
                                                  "themselves; linked to the record below when there is one."))
    requester_unit = models.ForeignKey(Unit, verbose_name=_("requesting unit"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="demands")
    requester_organization = models.ForeignKey(Organization, verbose_name=_("requesting organization"), null=True,
                                               blank=True, on_delete=models.PROTECT,
                                               related_name="raised_demands")
    requester_person = models.ForeignKey(Person, verbose_name=_("requesting person"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="raised_demands")
    contact_name = models.CharField(_("contact name"), max_length=50)
    contact_phone = EncryptedCharField(_("contact phone"), blank=True)
    on_behalf = models.BooleanField(_("recorded on the requester's behalf"), default=False,
                                    help_text=_("A liaison cadre recorded a demand raised to them."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="recorded_demands")

    status = models.CharField(_("status"), max_length=12, choices=DemandStatus.choices,
                              default=DemandStatus.SUBMITTED, db_index=True)
    handler_organization = models.ForeignKey(Organization, verbose_name=_("handler organization"), null=True,
                                             blank=True, on_delete=models.PROTECT, related_name="handled_demands")
    handler_person = models.ForeignKey(Person, verbose_name=_("handler"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="handled_demands")
    open_for_claim = models.BooleanField(
        _("open for claiming"), default=False,
        help_text=_("The alliance's member organizations see the accepted demand and may claim it."))
    claimed = models.BooleanField(_("claimed"), default=False,
                                  help_text=_("A member organization took the case on itself (认领)."))
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    rating_comment = models.CharField(_("comment on the rating"), max_length=1000, blank=True)

    accept_due = models.DateTimeField(_("accept by"), null=True, blank=True)
    resolve_due = models.DateTimeField(_("resolve by"), null=True, blank=True)
    # The deadlines (accept, resolve) already reminded of and escalated; cleared when a deadline is set again.
    reminded = models.CharField(max_length=20, blank=True, editable=False)
    escalated = models.CharField(max_length=20, blank=True, editable=False)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_to = models.ForeignKey(Organization, verbose_name=_("escalated to"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="escalated_demands")

    audit_masked_fields = {"contact_phone": mask_phone}
    audit_excluded_fields = ("reminded", "escalated")

    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "accept_due"]), models.Index(fields=["status", "resolve_due"])]
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="demand_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:demand_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        required = {RequesterKind.UNIT: "requester_unit", RequesterKind.ORGANIZATION: "requester_organization",
                    RequesterKind.PERSON: "requester_person"}
        field = required.get(self.requester_kind)  # type: ignore[call-overload]
        linked = getattr(self, field) if field and getattr(self, f"{field}_id") else None
        if linked is not None and not self.requester_name:
            self.requester_name = linked.name
        if not self.requester_name:
            errors["requester_name"] = _("Say who raised the demand.")
        if self.workstream_id and self.workstream is not None and self.workstream.alliance_id != self.alliance_id:
            errors["workstream"] = _("Choose a workstream of the demand's alliance.")
        if errors:
            raise ValidationError(errors)

    @property
    def requester(self) -> Any:
        return {RequesterKind.UNIT: self.requester_unit, RequesterKind.ORGANIZATION: self.requester_organization,
                RequesterKind.PERSON: self.requester_person}.get(self.requester_kind)  # type: ignore[call-overload]

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def deadline(self) -> Any:
        """The deadline running now (accept or resolve), if any."""
        if self.status == DemandStatus.SUBMITTED:
            return self.accept_due
        if self.status in (DemandStatus.ACCEPTED, DemandStatus.ASSIGNED, DemandStatus.IN_PROGRESS,
                           DemandStatus.REVIEW):
            return self.resolve_due
        return None


class DemandEvent(models.Model):
    """One line of a demand's timeline."""

    demand = models.ForeignKey(Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(max_length=12, choices=DemandStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=DemandStatus.choices, blank=True)
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    deadline = models.CharField(max_length=8, choices=DeadlineKind.choices, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["demand", "at", "id"]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.kind}"
