"""Activities (活动联办): one record per activity, however many organizations host it.

An activity is hosted by one or more organizations (one lead), may belong to an alliance workstream, to pairs
(结对) and to a monthly series. Everything that counts activities — each host's organization-life ledger, each
pair's target progress, a series' completion matrix, an alliance's statistics — reads these rows; nothing is
entered twice.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance, Workstream
from core.models import TimeStampedModel
from core.permissions import ScopedQuerySet
from core.storage import private_storage
from core.visibility import Administered, People, Seen, Via, Visibility, Visible
from organizations.choices import OrganizationType
from organizations.models import Organization, Person
from organizations.reach import KeepsReach, ReachField
from organizations.visibility import Kept, Organizations
from pairing.models import Pair, PairingProgramme

from .choices import ActivityKind, ActivityStatus, AttendanceMethod, FollowUpStatus, LedgerPeriod, RegistrationStatus


def new_signin_key() -> str:
    return secrets.token_urlsafe(16)


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class Activity(KeepsReach, TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    theme = models.CharField(_("theme"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))  # indexed with id below: lists read newest first
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True,
                                           validators=[MinValueValidator(1), MaxValueValidator(100000)],
                                           help_text=_("Leave empty when there is no limit."))
    status = models.CharField(_("status"), max_length=12, choices=ActivityStatus.choices,
                              default=ActivityStatus.PLANNED, db_index=True)
    hosts = models.ManyToManyField(Organization, verbose_name=_("host organizations"), through="ActivityHost",
                                   related_name="hosted_activities")
    alliance = models.ForeignKey(Alliance, verbose_name=_("alliance"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="activities")
    workstream = models.ForeignKey(Workstream, verbose_name=_("workstream"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="activities")
    pairs = models.ManyToManyField(Pair, verbose_name=_("pairs"), through="ActivityPair", blank=True,
                                   related_name="activities")
    series = models.ForeignKey("ActivitySeries", verbose_name=_("series"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="activities")
    invited_organizations = models.ManyToManyField(Organization, verbose_name=_("invited organizations"),
                                                   blank=True, related_name="invited_activities")
    invited_people = models.ManyToManyField(Person, verbose_name=_("invited people"), blank=True,
                                            related_name="invited_activities")
    allow_guests = models.BooleanField(_("guests may sign in"), default=True,
                                       help_text=_("Guests from other units sign in with their name and unit."))
    minutes = models.TextField(_("minutes"), blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # Part of every sign-in token; replacing it revokes the QR codes already handed out.
    signin_key = models.CharField(max_length=40, default=new_signin_key, editable=False)
    # The organizations and people it is seen through, kept by ``organizations.visibility.refresh_reach``.
    reach = ReachField()

    audit_excluded_fields = ("signin_key", "reach")

    # Seen by whoever sees one of its hosts or invited organizations, both sides (and the organizers) of a linked
    # pair, its invited people (kept on the row: ``reach``), whoever sees its alliance (the few visible alliances are
    # read first and compared with the indexed column) and the people who attended it. Changed by whoever may change
    # one of its hosts (not a mere member) and, for an alliance activity, the alliance's administrators.
    visibility = Visibility(
        view=[Kept(Via("activities.ActivityHost", "activity", Organizations("organization")),
                   Via("activities.Activity_invited_organizations", "activity", Organizations("organization")),
                   Via("activities.ActivityPair", "activity", Visible("pair", "pairing.Pair")),
                   Via("activities.Activity_invited_people", "activity", People("person"))),
              Visible("alliance", "alliances.Alliance", ids=True),
              Via("activities.Attendance", "activity", People("person"))],
        change=[Administered("alliance"),
                Via("activities.ActivityHost", "activity", Organizations("organization", managers=True))])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["starts_at", "id"], name="activity_starts_at_id")]  # the list's order

    def __str__(self) -> str:
        return self.theme

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The activity must end after it starts.")})
        if self.workstream is not None and self.workstream.alliance_id != self.alliance_id:
            raise ValidationError({"workstream": _("Choose a workstream of the activity's alliance.")})

    @property
    def lead_host(self) -> Organization | None:
        # Detail pages prefetch ``host_links__organization``; then this costs no query.
        return next((link.organization for link in self.host_links.all() if link.is_lead), None)


class ActivityHost(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="host_links")
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), on_delete=models.PROTECT,
                                     related_name="activity_host_links", db_index=False)  # see indexes
    is_lead = models.BooleanField(_("lead host"), default=False)

    class Meta:
        ordering = ["-is_lead", "organization__path"]
        # (organization, activity): the activities a scope's organizations host, read from the index alone.
        indexes = [models.Index(fields=["organization", "activity"], name="activity_host_org_activity")]
        constraints = [
            models.UniqueConstraint(fields=["activity", "organization"], name="activity_host_unique"),
            models.UniqueConstraint(fields=["activity"], condition=Q(is_lead=True), name="activity_one_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.organization}"


class ActivityPair(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="pair_links")
    pair = models.ForeignKey(Pair, on_delete=models.PROTECT, related_name="activity_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "pair"], name="activity_pair_unique")]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.pair_id}"


# Attendance and registrations: seen by whoever sees the activity, and by the person concerned.
PERSON_AT_ACTIVITY = Visibility(view=[Visible("activity", "activities.Activity"), People("person")])


class Attendance(models.Model):
    """One person (or guest) at one activity. For the record only: no rankings are built from it."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE,
                                 related_name="attendance")
    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="attendance")
    organization = models.ForeignKey(Organization, verbose_name=_("credited organization"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="attendance",
                                     help_text=_("The person's organization when they signed in."))
    guest_name = models.CharField(_("guest name"), max_length=50, blank=True)
    guest_unit = models.CharField(_("guest unit"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=8, choices=AttendanceMethod.choices)
    signed_in_at = models.DateTimeField(_("signed in at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()
    visibility = PERSON_AT_ACTIVITY

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["activity", "signed_in_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], condition=Q(person__isnull=False),
                                    name="attendance_once_per_person"),
            models.UniqueConstraint(fields=["activity", "guest_name", "guest_unit"], condition=Q(person__isnull=True),
                                    name="attendance_once_per_guest"),
            models.CheckConstraint(condition=Q(person__isnull=False) | ~Q(guest_name=""),
                                   name="attendance_person_or_guest"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.person.name if self.person_id and self.person else self.guest_name

    @property
    def is_guest(self) -> bool:
        return self.person_id is None


class Registration(TimeStampedModel):
    """A person's place at an activity open for registration (报名). Capacity counts the registered; cancelling
    keeps the row (and its history) and frees the place."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE,
                                 related_name="registrations")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="activity_registrations")
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     help_text=_("The person's organization when they registered."))
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.REGISTERED)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()
    visibility = PERSON_AT_ACTIVITY

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["activity", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="registration_once_per_person")]

    def __str__(self) -> str:
        return f"{self.person} · {self.activity}"


class FollowUp(TimeStampedModel):
    """A follow-up item from an activity's record, with an owner and a due date."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE,
                                 related_name="follow_ups")
    title = models.CharField(_("item"), max_length=300)
    owner_organization = models.ForeignKey(Organization, verbose_name=_("owner organization"),
                                           on_delete=models.PROTECT, related_name="activity_follow_ups")
    owner_person = models.ForeignKey(Person, verbose_name=_("owner"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="activity_follow_ups")
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    # The reminders already sent ("due soon", "overdue"): each goes once.
    reminded_due_on = models.DateField(null=True, blank=True, editable=False)
    reminded_overdue_on = models.DateField(null=True, blank=True, editable=False)

    audit_excluded_fields = ("reminded_due_on", "reminded_overdue_on")

    class Meta:
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")
        ordering = ["status", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ActivityPhoto(TimeStampedModel):
    """A photo of an activity, re-encoded on upload; served only by a permission-checked view."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE,
                                 related_name="photos")
    image = models.FileField(_("photo"), storage=private_storage, upload_to="activity-photos/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["activity", "id"]

    def __str__(self) -> str:
        return self.caption or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("activities:photo", args=[self.activity_id, self.pk])


# Monthly theme series --------------------------------------------------------------------------------------------


class ActivitySeries(TimeStampedModel):
    """A monthly theme series, e.g. “one lesson a month, one practice per area” (一月一课、一片一实践)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    owner = models.ForeignKey(Organization, verbose_name=_("owner organization"), on_delete=models.PROTECT,
                              related_name="activity_series")
    kind = models.CharField(_("usual kind"), max_length=20, choices=ActivityKind.choices,
                            default=ActivityKind.THEMED_PARTY_DAY)
    description = models.TextField(_("description"), blank=True)
    first_month = models.DateField(_("first month"), help_text=_("Any day of the month."))
    last_month = models.DateField(_("last month"), help_text=_("Any day of the month."))
    programme = models.ForeignKey(PairingProgramme, verbose_name=_("pairing programme"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="activity_series",
                                  help_text=_("When set, the completion matrix has one row per pair of the "
                                              "programme, and an activity counts when it is linked to the pair."))
    participants = models.ManyToManyField(Organization, verbose_name=_("participating organizations"), blank=True,
                                          related_name="participating_series",
                                          help_text=_("Without a programme: the organizations expected to hold "
                                                      "an activity of the series every month."))
    reminder_day = models.PositiveSmallIntegerField(
        _("reminder day"), default=20, validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("On this day of each month, participants with no activity of the series held that month are "
                    "reminded."))
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()
    # Seen by whoever sees its owner, one of its participants or a pair of its programme; managed by whoever may
    # change its owner.
    visibility = Visibility(
        view=[Organizations("owner"),
              Via("activities.ActivitySeries_participants", "activityseries", Organizations("organization")),
              Via("pairing.Pair", "programme", Seen(), field="programme")],
        change=[Organizations("owner", managers=True)])

    class Meta:
        verbose_name = _("activity series")
        verbose_name_plural = _("activity series")
        ordering = ["-first_month", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("activities:series_detail", args=[self.pk])

    def clean(self) -> None:
        if self.first_month and self.last_month:
            self.first_month = self.first_month.replace(day=1)
            self.last_month = self.last_month.replace(day=1)
            if self.last_month < self.first_month:
                raise ValidationError({"last_month": _("The last month cannot come before the first.")})
            if (self.last_month.year - self.first_month.year) * 12 + self.last_month.month - self.first_month.month \
                    >= 36:
                raise ValidationError({"last_month": _("A series runs for at most 36 months.")})


class SeriesMonth(models.Model):
    series = models.ForeignKey(ActivitySeries, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(_("month"))
    theme = models.CharField(_("theme"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("month theme")
        verbose_name_plural = _("month themes")
        ordering = ["series", "month"]
        constraints = [models.UniqueConstraint(fields=["series", "month"], name="series_month_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.theme}"


class SeriesReminder(models.Model):
    """A reminder sent to one participant for one month; kept so that a reminder goes out once."""

    series = models.ForeignKey(ActivitySeries, on_delete=models.CASCADE, related_name="reminders")
    month = models.DateField()
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "month", "organization"],
                                               name="series_reminder_once")]

    def __str__(self) -> str:
        return f"{self.series_id} {self.month:%Y-%m} {self.organization_id}"


# Organization-life ledger ----------------------------------------------------------------------------------------


class LedgerRule(TimeStampedModel):
    """What an organization of one type must hold, e.g. a branch: a committee meeting every month."""

    organization_type = models.CharField(_("organization type"), max_length=20, choices=OrganizationType.choices)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kinds = models.JSONField(_("activity kinds"), default=list,
                             help_text=_("An activity of any of these kinds fulfils the rule."))
    period = models.CharField(_("period"), max_length=10, choices=LedgerPeriod.choices)
    min_count = models.PositiveSmallIntegerField(_("at least"), default=1,
                                                 validators=[MinValueValidator(1), MaxValueValidator(31)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()
    # Platform-wide settings: everyone with a role reads them; platform administrators edit.
    visibility = Visibility(view=[], public=True)

    class Meta:
        verbose_name = _("ledger rule")
        verbose_name_plural = _("ledger rules")
        ordering = ["organization_type", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["organization_type", "name"], name="ledger_rule_unique")]

    def __str__(self) -> str:
        return f"{self.get_organization_type_display()} · {self.display_name}"

    @property
    def kinds_display(self) -> str:
        return "、".join(str(ActivityKind(k).label) for k in self.kinds if k in ActivityKind.values)

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and not get_language().lower().startswith("zh") else self.name

    def get_absolute_url(self) -> str:
        return reverse("activities:rule_edit", args=[self.pk])

    def clean(self) -> None:
        valid = set(ActivityKind.values)
        if not isinstance(self.kinds, list) or not self.kinds or any(k not in valid for k in self.kinds):
            raise ValidationError({"kinds": _("Choose at least one activity kind.")})


# Calendar feeds --------------------------------------------------------------------------------------------------


class CalendarFeed(models.Model):
    """A secret iCalendar link for a user (their calendar) or for one organization. Revoking it kills the link;
    a new one can be made at any time. The feed never shows more than its owner may see today."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    # The token is the feed's only credential: like an activity's sign-in key it never enters the audit trail.
    audit_excluded_fields = ("token",)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.organization_id or '-'}"

    def get_absolute_url(self) -> str:
        return reverse("activities:ical_feed", args=[self.token])


__all__ = ["Activity", "ActivityHost", "ActivityPair", "ActivityPhoto", "ActivitySeries", "Attendance",
           "AttendanceMethod", "CalendarFeed", "FollowUp", "LedgerRule", "SeriesMonth", "SeriesReminder"]
