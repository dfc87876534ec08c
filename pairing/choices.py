from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.choices import Sector


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("In force")
    UNDER_REVIEW = "under_review", _("Under review")
    RENEWED = "renewed", _("Renewed")
    ENDED = "ended", _("Ended")


# A pair that may (and each year after its first must) be reviewed.
REVIEWABLE_STATUSES = (PairStatus.ACTIVE, PairStatus.UNDER_REVIEW, PairStatus.RENEWED)


class ReviewRating(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    SATISFACTORY = "satisfactory", _("Satisfactory")
    UNSATISFACTORY = "unsatisfactory", _("Unsatisfactory")


# Pairs that still bind both sides: they count for overlapping periods and for an organ's load.
LIVE_STATUSES = (PairStatus.PROPOSED, PairStatus.ACTIVE, PairStatus.UNDER_REVIEW, PairStatus.RENEWED)

# The "organ" side of a pair (机关事业单位) and the side it pairs with (enterprises, social organizations and the
# joint branches of buildings and parks).
ORGAN_SECTORS = frozenset({Sector.ORGAN, Sector.INSTITUTION})
PARTNER_SECTORS = frozenset({Sector.SOE, Sector.NON_PUBLIC, Sector.SOCIAL, Sector.BUILDING, Sector.PARK})
# Suggestions look for partners for enterprises and social organizations (buildings and parks are paired by hand).
SUGGESTED_SECTORS = frozenset({Sector.SOE, Sector.NON_PUBLIC, Sector.SOCIAL})
