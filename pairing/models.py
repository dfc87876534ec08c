"""Pairing (结对共建): a programme run by an owner organization holds pairs; a pair ties one organ organization to
one or more enterprise or social organizations under an agreement, with a status and yearly reviews.

Joint activities are not stored here: an activity names the pairs it belongs to (``Activity.pairs``, added by the
activities module), so one activity record counts for the pair's target progress without being entered again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.permissions import ScopedQuerySet
from core.visibility import Seen, Via, Visibility
from organizations.models import Organization
from organizations.visibility import Organizations

from .choices import PairStatus, ReviewRating


class PairingProgramme(TimeStampedModel):
    """A pairing programme, e.g. “organ – two-new pairing 2024” of a high-tech zone's working committee."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    owner = models.ForeignKey(Organization, verbose_name=_("owner organization"), on_delete=models.PROTECT,
                              related_name="pairing_programmes",
                              help_text=_("The organization that runs the programme (e.g. a working committee)."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    max_partners_per_organ = models.PositiveSmallIntegerField(
        _("maximum partners per organ"), default=3, validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("An organ's load is the number of enterprise or social organizations it is paired with in this "
                    "programme. Suggestions skip organs at the maximum, and pairing beyond it is refused."))

    objects = ScopedQuerySet.as_manager()
    # Seen by whoever sees its owner or one of its pairs; managed by whoever may change its owner organization (its
    # secretary, the staff of its region) — never by a paired organization's own secretary.
    visibility = Visibility(view=[Organizations("owner"), Via("pairing.Pair", "programme", Seen())],
                            change=[Organizations("owner", managers=True)])

    class Meta:
        verbose_name = _("pairing programme")
        verbose_name_plural = _("pairing programmes")
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pairing:programme_detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The programme cannot end before it starts.")})


class Pair(TimeStampedModel):
    """One organ organization paired with one or more partner organizations, and their agreement."""

    programme = models.ForeignKey(PairingProgramme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="pairs")
    organ = models.ForeignKey(Organization, verbose_name=_("organ organization"), on_delete=models.PROTECT,
                              related_name="organ_pairs")
    partners = models.ManyToManyField(Organization, verbose_name=_("partner organizations"), through="PairPartner",
                                      related_name="partner_pairs")
    status = models.CharField(_("status"), max_length=12, choices=PairStatus.choices, default=PairStatus.PROPOSED)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    goals = models.TextField(_("goals"), blank=True)
    # The "three alliances, three constructions" (三联三建) content of the agreement.
    teams_content = models.TextField(_("teams trained together"), blank=True)
    activities_content = models.TextField(_("activities held together"), blank=True)
    appeals_content = models.TextField(_("appeals settled together"), blank=True)
    target_activities_per_quarter = models.PositiveSmallIntegerField(
        _("joint activities per quarter"), default=1, validators=[MaxValueValidator(31)],
        help_text=_("The target the pair's progress is measured against."))
    end_reason = models.CharField(_("reason for ending"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    # Seen by the programme's managers and both sides: the organ and each partner organization (a district whose
    # enterprise is paired across regions sees that pair, not the rest of the programme).
    visibility = Visibility(
        view=[Organizations("programme__owner"), Organizations("organ"),
              Via("pairing.PairPartner", "pair", Organizations("organization"))],
        change=[Organizations("programme__owner", managers=True)])

    class Meta:
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")
        ordering = ["programme", "organ__path", "id"]

    def __str__(self) -> str:
        # Lists prefetch ``partners``; then this costs no query.
        names = "、".join(o.short_name or o.name for o in self.partners.all()) if self.pk else ""
        return f"{self.organ.short_name or self.organ.name} ↔ {names or '…'}"

    def get_absolute_url(self) -> str:
        return reverse("pairing:pair_detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The pairing cannot end before it starts.")})


class PairPartner(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="partner_links")
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pair", "organization"], name="pair_partner_unique")]

    def __str__(self) -> str:
        return f"{self.pair_id} · {self.organization}"


class PairReview(TimeStampedModel):
    """The yearly review of a pair: a rating and comments, one per year."""

    pair = models.ForeignKey(Pair, verbose_name=_("pair"), on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    rating = models.CharField(_("rating"), max_length=16, choices=ReviewRating.choices)
    comments = models.TextField(_("comments"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("pair review")
        verbose_name_plural = _("pair reviews")
        ordering = ["pair", "-year"]
        constraints = [models.UniqueConstraint(fields=["pair", "year"], name="pair_review_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year} · {self.get_rating_display()}"
