from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AllianceKind(models.TextChoices):
    BUSINESS_DISTRICT = "business_district", _("Business district")
    BUILDING = "building", _("Building")
    PARK = "park", _("Park")
    INDUSTRY = "industry", _("Industry")
    CROSS_REGIONAL = "cross_regional", _("Cross-regional")
    OTHER = "other", _("Other")


class AllianceStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")


class OrganizerPart(models.TextChoices):
    HOST = "host", _("Host")
    ORGANIZER = "organizer", _("Organizer")
    EXECUTOR = "executor", _("Executor")


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    CHAIR = "chair", _("Rotating chair")
    MEMBER = "member", pgettext_lazy("alliance role", "Member")


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    REFUSED = "refused", _("Refused")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")


# Statuses in which an organization counts as (about to be) in the alliance; only one such row per organization.
OPEN_STATUSES = (MembershipStatus.APPLIED, MembershipStatus.INVITED, MembershipStatus.ACTIVE)

# The four platforms every new alliance starts with.
DEFAULT_WORKSTREAMS = (
    ("organization", _("Organization co-building")),
    ("resources", _("Resource co-use")),
    ("activities", _("Activity co-hosting")),
    ("talent", _("Talent co-cultivation")),
)
