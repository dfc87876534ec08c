"""Commendation (评优表彰): a campaign with categories and quotas; nominations reviewed stage by stage; a public
notice (公示) with objections; the decision (表彰决定) and the honours it confers. No points, votes or rankings: a
nomination passes or not on its deeds and the reviewers' opinions."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance
from core.crypto import EncryptedCharField, MaskedCopies, MaskedCopyField, mask_phone
from core.models import TimeStampedModel
from core.permissions import ScopedQuerySet
from core.visibility import Administered, Creator, Via, Visibility, Visible
from organizations.models import Organization, Person
from organizations.visibility import Organizations

from .choices import (
    CampaignStatus,
    CategoryKind,
    Finding,
    NominationEventKind,
    NominationStatus,
    ObjectionAction,
    Opinion,
)

MIN_NOTICE_DAYS = 5  # working days a public notice runs at least (the local rule)


class Campaign(TimeStampedModel):
    issuer = models.ForeignKey(Organization, verbose_name=_("issuing organization"), on_delete=models.PROTECT,
                               related_name="commendation_campaigns")
    alliance = models.ForeignKey(Alliance, verbose_name=_("alliance"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="commendation_campaigns",
                                 help_text=_("For a commendation among an alliance's member organizations."))
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    basis = models.TextField(_("basis"), blank=True, max_length=10000,
                             help_text=_("The notice or plan the commendation is held under."))
    nominate_from = models.DateField(_("nominations from"))
    nominate_until = models.DateField(_("nominations until"))
    review_until = models.DateField(_("review until"))
    decide_by = models.DateField(_("decide by"))
    notice_days = models.PositiveSmallIntegerField(
        _("public notice (working days)"), default=MIN_NOTICE_DAYS, validators=[MinValueValidator(MIN_NOTICE_DAYS)])
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices,
                              default=CampaignStatus.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()
    # Seen by the issuer's managers and members, the nominating organizations (those given a quota), the reviewing
    # organizations' managers and the alliance's administrators; run by the issuer's managers and the alliance's.
    visibility = Visibility(
        view=[Organizations("issuer"), Via("commendations.Quota", "category__campaign", Organizations("organization")),
              Via("commendations.ReviewStage", "campaign", Organizations("organization", managers=True)),
              Administered("alliance")],
        change=[Organizations("issuer", managers=True), Administered("alliance")])

    class Meta:
        verbose_name = _("commendation campaign")
        verbose_name_plural = _("commendation campaigns")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["-year", "-id"], name="campaign_list_idx")]
        constraints = [models.CheckConstraint(condition=Q(notice_days__gte=MIN_NOTICE_DAYS),
                                              name="campaign_notice_min_days")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commendations:campaign_detail", args=[self.pk])

    def clean(self) -> None:
        order = [("nominate_from", self.nominate_from), ("nominate_until", self.nominate_until),
                 ("review_until", self.review_until), ("decide_by", self.decide_by)]
        for (_earlier, before), (name, after) in itertools.pairwise(order):
            if before and after and after < before:
                raise ValidationError({name: _("The windows follow each other: nominations, review, decision.")})


class Category(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="categories")
    kind = models.CharField(_("nominee"), max_length=12, choices=CategoryKind.choices)
    name = models.CharField(_("name"), max_length=60, help_text=_("优秀共产党员, 优秀党务工作者, 先进基层党组织 or "
                                                                  "another."))
    quota_total = models.PositiveSmallIntegerField(_("total places"))
    quota_rate = models.DecimalField(
        _("places per 100 members"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Empty: each organization's places are fixed. Otherwise they are computed when the campaign "
                    "opens from the members of the organization and those under it, rounded up."))
    two_new_share = models.PositiveSmallIntegerField(
        _("two-new share target (%)"), null=True, blank=True, validators=[MaxValueValidator(100)],
        help_text=_("A structure target shown as a warning, never a condition: the share of nominees from non-public "
                    "enterprises and social organizations."))
    deeds_max_length = models.PositiveSmallIntegerField(_("deeds: most characters"), default=1500)
    full_member_required = models.BooleanField(_("full members only"), default=False)
    organization_types = models.JSONField(_("organization types allowed"), default=list, blank=True,
                                          help_text=_("Empty: any type."))
    declaration_required = models.BooleanField(
        _("declaration required"), default=True,
        help_text=_("The nominee declares no disciplinary action in the last three years (verified in review)."))

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="category_unique_name")]

    def __str__(self) -> str:
        return self.name


class Quota(models.Model):
    """The places a nominating organization has in a category (a fixed number)."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE,
                                 related_name="quotas")
    organization = models.ForeignKey(Organization, verbose_name=_("nominating organization"),
                                     on_delete=models.PROTECT, related_name="commendation_quotas")
    number = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["category", "organization__path"]
        constraints = [models.UniqueConstraint(fields=["category", "organization"], name="quota_unique")]

    def __str__(self) -> str:
        return f"{self.category} · {self.organization}: {self.number}"


class ReviewStage(models.Model):
    """One level of review (branch → committee → organization department): whoever may change its organization
    reviews at it."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="stages")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=60)
    organization = models.ForeignKey(Organization, verbose_name=_("reviewing organization"),
                                     on_delete=models.PROTECT, related_name="commendation_stages")
    integrity = models.BooleanField(
        _("integrity opinion (廉政意见)"), default=False,
        help_text=_("The discipline-inspection body gives its opinion on each nominee here; nothing goes on notice "
                    "without it."))

    class Meta:
        verbose_name = _("review stage")
        verbose_name_plural = _("review stages")
        ordering = ["campaign", "order"]
        constraints = [models.UniqueConstraint(fields=["campaign", "order"], name="stage_unique_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Notice(models.Model):
    """A public notice (公示) of the nominations that passed review. It runs ``campaign.notice_days`` working days
    and cannot close early; names added later need a notice of their own."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="notices")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), help_text=_("Counted in working days."))
    contact = models.CharField(_("contact for objections"), max_length=200,
                               help_text=_("The office and telephone that receive objections."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()
    # Public within the campaign: whoever sees the campaign reads its notice; its managers run it.
    visibility = Visibility(view=[Visible("campaign", "commendations.Campaign")],
                            change=[Organizations("campaign__issuer", managers=True),
                                    Administered("campaign__alliance")])

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("commendations:notice_detail", args=[self.pk])


class Nomination(TimeStampedModel):
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="nominations")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="nominations")
    person = models.ForeignKey(Person, verbose_name=_("nominee"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="nominations")
    organization = models.ForeignKey(Organization, verbose_name=_("nominated organization"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="nominations")
    nominator = models.ForeignKey(Organization, verbose_name=_("nominating organization"), on_delete=models.PROTECT,
                                  related_name="nominations_made")
    deeds = models.TextField(_("main deeds"), max_length=10000)
    prior_honours = models.TextField(_("honours received before"), blank=True, max_length=2000)
    declared = models.BooleanField(_("no disciplinary action in the last three years (declared)"), default=False)
    snapshot = models.JSONField(_("nominee's details at submission"), default=dict, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=NominationStatus.choices,
                              default=NominationStatus.DRAFT)
    stage = models.ForeignKey(ReviewStage, verbose_name=_("review stage"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="nominations")
    return_reason = models.TextField(_("reason for return"), blank=True, max_length=2000)
    notice = models.ForeignKey(Notice, verbose_name=_("public notice"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="nominations")
    blocked = models.BooleanField(_("blocked by a founded objection"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()
    # Seen and changed by the nominating organization's managers and the campaign's; seen by the reviewing
    # organizations' managers. Not by the nominee's fellow members: the notice is what they read.
    visibility = Visibility(
        view=[Organizations("nominator", managers=True), Organizations("campaign__issuer", managers=True),
              Administered("campaign__alliance"),
              Via("commendations.ReviewStage", "campaign", Organizations("organization", managers=True),
                  field="campaign")],
        change=[Organizations("nominator", managers=True), Organizations("campaign__issuer", managers=True),
                Administered("campaign__alliance")])

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["campaign", "status"], name="nomination_campaign_status_idx")]
        constraints = [models.CheckConstraint(
            condition=Q(person__isnull=False, organization__isnull=True)
            | Q(person__isnull=True, organization__isnull=False), name="nomination_one_nominee",
            violation_error_message=_("Choose either a person or an organization as the nominee."))]

    def __str__(self) -> str:
        return f"{self.nominee_name} · {self.category}" if self.category_id else self.nominee_name

    def get_absolute_url(self) -> str:
        return reverse("commendations:nomination_detail", args=[self.pk])

    @property
    def nominee(self) -> Any:
        return self.person if self.person_id else self.organization

    @property
    def nominee_name(self) -> str:
        nominee = self.nominee
        return str(nominee) if nominee is not None else ""

    def clean(self) -> None:
        if self.category_id and self.category.campaign_id != self.campaign_id:
            raise ValidationError({"category": _("Choose a category of this campaign.")})
        if self.category_id and len(self.deeds or "") > self.category.deeds_max_length:
            raise ValidationError({"deeds": _("Keep the deeds within %(max)d characters (now %(n)d).")
                                   % {"max": self.category.deeds_max_length, "n": len(self.deeds)}})


class NominationEvent(models.Model):
    """A line of the nomination's timeline (what the nominating organization and the reviewers read)."""

    nomination = models.ForeignKey(Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE,
                                   related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=NominationEventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    stage = models.ForeignKey(ReviewStage, verbose_name=_("review stage"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("nomination event")
        verbose_name_plural = _("nomination events")
        ordering = ["nomination", "at", "id"]

    def __str__(self) -> str:
        return f"{self.nomination_id} {self.kind}"


class Review(models.Model):
    nomination = models.ForeignKey(Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE,
                                   related_name="reviews")
    stage = models.ForeignKey(ReviewStage, verbose_name=_("review stage"), on_delete=models.PROTECT,
                              related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    opinion = models.CharField(_("opinion"), max_length=8, choices=Opinion.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["nomination", "at", "id"]

    def __str__(self) -> str:
        return f"{self.stage} · {self.get_opinion_display()}"


class Objection(MaskedCopies, models.Model):
    """An objection during a public notice: by a named person with their unit and phone (encrypted, masked)."""

    notice = models.ForeignKey(Notice, verbose_name=_("public notice"), on_delete=models.PROTECT,
                               related_name="objections")
    nomination = models.ForeignKey(Nomination, verbose_name=_("nomination"), on_delete=models.PROTECT,
                                   related_name="objections")
    objector_name = models.CharField(_("your name"), max_length=50)
    objector_unit = models.CharField(_("your unit"), max_length=200)
    objector_phone = EncryptedCharField(_("your phone"))
    objector_phone_masked = MaskedCopyField(_("phone (masked)"), source="objector_phone", masker=mask_phone)
    text = models.TextField(_("objection"), max_length=5000)
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("filed by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    finding = models.CharField(_("finding"), max_length=10, choices=Finding.choices, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=ObjectionAction.choices, blank=True)
    reply = models.TextField(_("reply to the objector"), blank=True, max_length=5000)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    # Handled by the campaign's managers; the objector reads their own (and the reply).
    visibility = Visibility(
        view=[Organizations("notice__campaign__issuer", managers=True), Administered("notice__campaign__alliance"),
              Creator("filed_by")],
        change=[Organizations("notice__campaign__issuer", managers=True), Administered("notice__campaign__alliance")])

    audit_masked_fields = {"objector_phone": mask_phone}
    audit_excluded_fields = {"objector_phone_masked"}

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.objector_name} → {self.nomination.nominee_name}"

    def get_absolute_url(self) -> str:
        return reverse("commendations:objection_detail", args=[self.pk])


class Decision(models.Model):
    """The commendation decision (表彰决定): its document number (文号), date and signing organization."""

    campaign = models.OneToOneField(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT,
                                    related_name="decision")
    number = models.CharField(_("document number"), max_length=60, help_text=_("e.g. 丰委〔2026〕12号"))
    date = models.DateField(_("date"))
    signer = models.ForeignKey(Organization, verbose_name=_("signing organization"), on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("commendation decision")
        verbose_name_plural = _("commendation decisions")

    def __str__(self) -> str:
        return self.number


class Honour(models.Model):
    """An honour on a person's or an organization's record."""

    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="honours")
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="honours")
    category_name = models.CharField(_("honour"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    decision = models.ForeignKey(Decision, verbose_name=_("decision"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="honours")
    nomination = models.OneToOneField(Nomination, verbose_name=_("nomination"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="honour")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revoking"), blank=True, max_length=2000)

    objects = ScopedQuerySet.as_manager()
    # On the record of the person or organization: whoever sees them sees it; revoked by the deciding campaign's
    # managers.
    visibility = Visibility(
        view=[Visible("person", "organizations.Person"), Organizations("organization")],
        change=[Organizations("decision__campaign__issuer", managers=True),
                Administered("decision__campaign__alliance")])

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "-id"]
        constraints = [models.CheckConstraint(
            condition=Q(person__isnull=False, organization__isnull=True)
            | Q(person__isnull=True, organization__isnull=False), name="honour_one_holder",
            violation_error_message=_("An honour is held by either a person or an organization."))]

    def __str__(self) -> str:
        holder = self.person if self.person_id else self.organization
        return f"{self.year} {self.category_name} · {holder}"

    def get_absolute_url(self) -> str:
        return reverse("commendations:honour_detail", args=[self.pk])
