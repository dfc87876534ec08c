from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")
    STREET = "street", _("Street / town")
    PARK = "park", _("Park / zone")


class UnitKind(models.TextChoices):
    ORGAN = "organ", _("Government organ")
    INSTITUTION = "institution", _("Public institution")
    SOE = "soe", _("State-owned enterprise")
    PRIVATE = "private", _("Private enterprise")
    SOCIAL = "social", _("Social organization")
    COMMUNITY = "community", _("Community")
    BUILDING = "building", _("Building")
    PARK = "park", pgettext_lazy("unit kind", "Park")
    OTHER = "other", _("Other")


class OrganizationType(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General branch")
    BRANCH = "branch", _("Branch")
    JOINT_BRANCH = "joint_branch", _("Joint branch")


class Sector(models.TextChoices):
    ORGAN = "organ", pgettext_lazy("sector", "Organ")
    INSTITUTION = "institution", pgettext_lazy("sector", "Institution")
    SOE = "soe", pgettext_lazy("sector", "State-owned enterprise")
    NON_PUBLIC = "non_public", _("Non-public enterprise")
    SOCIAL = "social", pgettext_lazy("sector", "Social organization")
    COMMUNITY = "community", pgettext_lazy("sector", "Community")
    BUILDING = "building", pgettext_lazy("sector", "Building")
    PARK = "park", pgettext_lazy("sector", "Park")


# "Two new" organizations (两新组织): new economic (non-public enterprises) and new social organizations.
TWO_NEW_SECTORS = frozenset({Sector.NON_PUBLIC, Sector.SOCIAL})

# The sector an organization takes by default from its unit's kind.
SECTOR_FOR_UNIT_KIND = {
    UnitKind.ORGAN: Sector.ORGAN,
    UnitKind.INSTITUTION: Sector.INSTITUTION,
    UnitKind.SOE: Sector.SOE,
    UnitKind.PRIVATE: Sector.NON_PUBLIC,
    UnitKind.SOCIAL: Sector.SOCIAL,
    UnitKind.COMMUNITY: Sector.COMMUNITY,
    UnitKind.BUILDING: Sector.BUILDING,
    UnitKind.PARK: Sector.PARK,
}


class PersonKind(models.TextChoices):
    MEMBER = "member", _("Party member")
    CONTACT = "contact", _("Contact")


class MemberStatus(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
