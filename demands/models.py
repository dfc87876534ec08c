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

from alliances.choices import AllianceStatus, MembershipStatus
from alliances.models import ACTIVE_MEMBERS, Alliance, AllianceRegion, Membership, Workstream, member_alliance_ids
from core.crypto import EncryptedCharField, mask_phone
from core.models import TimeStampedModel
from core.permissions import ScopedQuerySet
from core.storage import private_storage
from core.visibility import Administered, Context, Creator, People, Rule, Visibility
from organizations.models import Organization, Person, Region, Unit
from organizations.reach import KeepsReach, ReachField
from organizations.visibility import Kept, Organizations, Regions

from .choices import (
    AWAITING_ACCEPTANCE,
    AWAITING_RESOLUTION,
    DeadlineKind,
    DemandStatus,
    EventKind,
    MatchOutcome,
    RequesterKind,
    ResourceKind,
    ResourceStatus,
    Urgency,
)


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


def overdue_q(now: Any) -> Q:
    """Overdue: waiting for acceptance past the accept-by time, or for a result past the resolve-by time. The one
    definition the list filter, the report and the dashboard use."""
    return (Q(status__in=AWAITING_ACCEPTANCE, accept_due__lt=now)
            | Q(status__in=AWAITING_RESOLUTION, resolve_due__lt=now))


def _open_for_claim(model: type[models.Model], ctx: Context) -> Q | None:
    """Accepted alliance demands open for claiming, seen by the people of the alliance's active member
    organizations. The alliances are read first (a few ids, kept in the authorization cache); the reference rule
    reads the memberships."""
    scope = ctx.scope
    if not (scope.reaches_tree or scope.org_ids):
        return None
    claimable = Q(open_for_claim=True, status=DemandStatus.ACCEPTED)
    if ctx.reference:
        members = ACTIVE_MEMBERS.q(model, ctx)
        return None if members is None else members & claimable
    alliances = member_alliance_ids(scope)
    return Q(alliance_id__in=alliances) & claimable if alliances else None


def _raised_by_my_unit(model: type[models.Model], ctx: Context) -> Q | None:
    """The cases raised by the unit an enterprise contact speaks for (``User.unit``): its colleagues follow them
    too. A contact holds no role, so the account's unit is read in the query itself (a semi-join)."""
    if ctx.user_id is None or ctx.action != "view":
        return None
    return Q(requester_unit_id__in=Unit.objects.filter(contacts__pk=ctx.user_id).values("pk"))


class Demand(KeepsReach, TimeStampedModel):
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
    # Asked for from the resource catalogue (资源清单, "Request this resource"): not yet a match — the managers
    # decide, and may hand the case to its provider in one step (``matches.match_accept``).
    resource = models.ForeignKey("Resource", verbose_name=_("requested resource"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="requests")

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

    # The organizations and region it is seen through, kept by ``organizations.visibility.refresh_reach``.
    reach = ReachField()

    audit_masked_fields = {"contact_phone": mask_phone}
    audit_excluded_fields = ("reminded", "escalated", "reach")

    objects = ScopedQuerySet.as_manager()
    # Seen by whoever raised or recorded it, the handler (their organization's secretaries and staff above, the
    # handler person), staff whose region or subtree holds the demand's region or the requesting organization, the
    # administrators of its alliance, and — once open for claiming — its members. The organizations and region are
    # kept on the row (``reach``): PostgreSQL checks one condition on each row of a page read newest first, or
    # counts from the GIN index and the column indexes together. The contacts of the requesting unit see it too.
    # Accepted, declined, assigned and followed up by the staff of its region (or above) and the alliance's
    # administrators.
    visibility = Visibility(
        view=[Kept(Organizations("handler_organization"), Organizations("requester_organization"),
                   Organizations("escalated_to"), Regions("region")),
              Administered("alliance"), People("handler_person"), People("requester_person"), Rule(_open_for_claim),
              Creator("created_by"), Rule(_raised_by_my_unit)],
        change=[Regions("region"), Administered("alliance")])

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "accept_due"]), models.Index(fields=["status", "resolve_due"]),
                   models.Index(fields=["updated_at"]),
                   models.Index(fields=["created_at", "id"], name="demand_created_id")]  # the list's order
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


def _attachment_path(instance: DemandAttachment, filename: str) -> str:
    return f"demand-attachments/{instance.demand_id}/{filename}"


class DemandAttachment(models.Model):
    """A file added to a demand (a photo of the problem, a letter, a plan). Checked by its content, kept outside
    the public media and served only to who sees the demand."""

    demand = models.ForeignKey(Demand, verbose_name=_("demand"), on_delete=models.CASCADE,
                               related_name="attachments")
    file = models.FileField(_("file"), storage=private_storage, upload_to=_attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("demands:attachment", args=[self.demand_id, self.pk])


def _alliance_catalogue(model: type[models.Model], ctx: Context) -> Q | None:
    """The alliance's shared resource catalogue (资源清单) for those who speak for a unit or hold no role: an
    enterprise contact (``User.unit``) or a person linked to the account sees the resources shared with an alliance
    of which their unit's party organization (or their own) is an active member, and the offered resources of the
    active alliances spanning their unit's region. No role says this — a contact's scope is empty — so the account's
    unit and person are read in the query itself (semi-joins, nothing read first)."""
    if ctx.user_id is None:
        return None
    units = Unit.objects.filter(Q(contacts__pk=ctx.user_id) | Q(people__user_id=ctx.user_id))
    organizations = Organization.objects.filter(Q(unit__in=units.values("pk")) | Q(people__user_id=ctx.user_id))
    members = Membership.objects.filter(organization__in=organizations.values("pk"), status=MembershipStatus.ACTIVE)
    in_region = units.filter(region__path__startswith=OuterRef("region__path"))
    spanning = AllianceRegion.objects.filter(Exists(in_region), alliance__status=AllianceStatus.ACTIVE)
    return (Q(alliance_id__in=members.values("alliance_id"))
            | Q(status=ResourceStatus.ACTIVE, alliance_id__in=spanning.values("alliance_id")))


class ResourceQuerySet(ScopedQuerySet):
    def offered(self) -> Self:
        return self.filter(status=ResourceStatus.ACTIVE)


class Resource(TimeStampedModel):
    """A resource (资源) an organization, a unit or a person offers: a venue, advice, experts, volunteers, a
    course, funding, a channel. The offering party organization is responsible for it (and sees the demands it
    could serve); a resource offered by a unit or a person names them and is kept by the organization that
    recorded it."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    kind = models.CharField(_("kind"), max_length=16, choices=ResourceKind.choices)
    organization = models.ForeignKey(Organization, verbose_name=_("offering organization"),
                                     on_delete=models.PROTECT, related_name="resources",
                                     help_text=_("The party organization responsible for the offer."))
    provider_kind = models.CharField(_("offered by"), max_length=12, choices=RequesterKind.choices,
                                     default=RequesterKind.ORGANIZATION)
    provider_name = models.CharField(_("provider"), max_length=200, blank=True,
                                     help_text=_("The unit or person offering it, when it is not the organization "
                                                 "itself."))
    provider_unit = models.ForeignKey(Unit, verbose_name=_("providing unit"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="resources")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="resources",
                               help_text=_("Where the resource is available."))
    alliance = models.ForeignKey(Alliance, verbose_name=_("shared with alliance"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="resources",
                                 help_text=_("The alliance's member organizations see it and may use it."))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True,
                                           help_text=_("How many it serves (seats, people, places); empty: not "
                                                       "limited. 0: used up for now."))
    capacity_note = models.CharField(_("capacity note"), max_length=100, blank=True,
                                     help_text=_("For example “50 seats” or “up to 2 million yuan”."))
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    terms = models.CharField(_("terms"), max_length=500, blank=True,
                             help_text=_("Free of charge, at cost, conditions, how to book."))
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("contact phone"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ResourceStatus.choices,
                              default=ResourceStatus.ACTIVE, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.CharField(_("reason for withdrawing"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="recorded_resources")

    audit_masked_fields = {"contact_phone": mask_phone}

    objects = ResourceQuerySet.as_manager()
    # Seen by whoever sees the offering organization, staff whose region holds the resource's region, and — for a
    # resource shared with an alliance — the alliance's administrators and the people of its member organizations,
    # and the enterprise contacts of its member units and of its regions (the catalogue, ``_alliance_catalogue``).
    # Being a member of that alliance lets one see it, not change it.
    visibility = Visibility(
        view=[Organizations("organization"), Regions("region"), Administered("alliance"), ACTIVE_MEMBERS,
              Rule(_alliance_catalogue)],
        change=[Organizations("organization"), Regions("region"), Administered("alliance")])

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["updated_at"]),  # the matching index follows changes by this
                   models.Index(fields=["created_at", "id"], name="resource_created_id")]  # the list's order
        constraints = [
            models.CheckConstraint(
                condition=Q(available_from__isnull=True) | Q(available_until__isnull=True)
                | Q(available_until__gte=models.F("available_from")), name="resource_window_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:resource_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.available_from and self.available_until and self.available_until < self.available_from:
            errors["available_until"] = _("The end of availability must not be before its start.")
        if self.provider_kind != RequesterKind.ORGANIZATION and not (self.provider_name or self.provider_unit_id):
            errors["provider_name"] = _("Name the unit or person offering it.")
        if self.provider_unit_id and not self.provider_name and self.provider_unit is not None:
            self.provider_name = self.provider_unit.name
        if errors:
            raise ValidationError(errors)

    @property
    def provider(self) -> str:
        return self.provider_name or (self.organization.name if self.organization_id else "")

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)

    def available_on(self, day: Any) -> bool:
        return (self.status == ResourceStatus.ACTIVE and self.capacity != 0
                and (self.available_from is None or self.available_from <= day)
                and (self.available_until is None or self.available_until >= day))


class Match(models.Model):
    """A recommendation somebody accepted: the demand went to the resource's organization (or a handler
    organization), or a cooperation project was started from it. The explanation shown at the time is kept."""

    demand = models.ForeignKey(Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="matches")
    resource = models.ForeignKey(Resource, verbose_name=_("resource"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="matches")
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), on_delete=models.PROTECT,
                                     related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=MatchOutcome.choices)
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="matches")
    reasons = models.JSONField(_("why it was recommended"), default=list, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("accepted match")
        verbose_name_plural = _("accepted matches")
        ordering = ["-accepted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.demand_id} → {self.resource or self.organization}"
