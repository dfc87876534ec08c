from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign status", "draft")
    OPEN = "open", pgettext_lazy("campaign status", "open for nominations")
    REVIEWING = "reviewing", pgettext_lazy("campaign status", "reviewing")
    ON_NOTICE = "on_notice", pgettext_lazy("campaign status", "on public notice")
    DECIDED = "decided", pgettext_lazy("campaign status", "decided")
    ARCHIVED = "archived", pgettext_lazy("campaign status", "archived")


class CategoryKind(models.TextChoices):
    PERSON = "person", _("a person")
    ORGANIZATION = "organization", _("an organization")


# The usual categories of the yearly 1 July commendation (两优一先); a campaign may name others.
STANDARD_CATEGORIES = (
    (CategoryKind.PERSON, "优秀共产党员"),
    (CategoryKind.PERSON, "优秀党务工作者"),
    (CategoryKind.ORGANIZATION, "先进基层党组织"),
)


class NominationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("nomination status", "draft")
    SUBMITTED = "submitted", pgettext_lazy("nomination status", "in review")
    RETURNED = "returned", pgettext_lazy("nomination status", "returned for changes")
    PASSED = "passed", pgettext_lazy("nomination status", "passed review")
    ON_NOTICE = "on_notice", pgettext_lazy("nomination status", "on public notice")
    APPROVED = "approved", pgettext_lazy("nomination status", "approved")
    WITHDRAWN = "withdrawn", pgettext_lazy("nomination status", "withdrawn")
    REJECTED = "rejected", pgettext_lazy("nomination status", "not adopted")


# A nomination in these states takes up a place of its organization's quota.
COUNTED = (NominationStatus.SUBMITTED, NominationStatus.RETURNED, NominationStatus.PASSED,
           NominationStatus.ON_NOTICE, NominationStatus.APPROVED)
EDITABLE = (NominationStatus.DRAFT, NominationStatus.RETURNED)
WITHDRAWABLE = (NominationStatus.DRAFT, NominationStatus.SUBMITTED, NominationStatus.RETURNED,
                NominationStatus.PASSED, NominationStatus.ON_NOTICE)


class Opinion(models.TextChoices):
    PASS = "pass", _("pass to the next stage")
    RETURN = "return", _("return for changes")
    REJECT = "reject", _("do not recommend")


class Finding(models.TextChoices):
    UNFOUNDED = "unfounded", _("unfounded")
    PARTLY = "partly", _("partly founded")
    FOUNDED = "founded", _("founded")


class ObjectionAction(models.TextChoices):
    KEEP = "keep", _("keep the nomination")
    WITHDRAW = "withdraw", _("take the nomination off the list")


class NominationEventKind(models.TextChoices):
    CREATED = "created", _("drafted")
    CHANGED = "changed", _("changed")
    SUBMITTED = "submitted", _("submitted")
    REVIEWED = "reviewed", _("reviewed")
    RETURNED = "returned", _("returned for changes")
    PASSED = "passed", _("passed review")
    REJECTED = "rejected", _("not adopted")
    NOTICED = "noticed", _("put on public notice")
    OBJECTION = "objection", _("objection filed")
    OBJECTION_HANDLED = "handled", _("objection handled")
    APPROVED = "approved", _("approved")
    WITHDRAWN = "withdrawn", _("withdrawn")
