from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DemandStatus(models.TextChoices):
    # A context of their own: 受理/交办/办结 are not the words other apps use for "accepted", "assigned" …
    SUBMITTED = "submitted", pgettext_lazy("demand status", "submitted")
    ACCEPTED = "accepted", pgettext_lazy("demand status", "accepted")
    DECLINED = "declined", pgettext_lazy("demand status", "declined")
    ASSIGNED = "assigned", pgettext_lazy("demand status", "assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("demand status", "in progress")
    RESOLVED = "resolved", pgettext_lazy("demand status", "resolved")
    REVIEW = "review", pgettext_lazy("demand status", "reopened for review")
    CLOSED = "closed", pgettext_lazy("demand status", "closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("demand status", "withdrawn")


# Cases somebody still has to act on (the scheduling report's "open"). Declined, closed and withdrawn cases are
# finished: nobody acts on them any more.
OPEN_STATUSES = (DemandStatus.SUBMITTED, DemandStatus.ACCEPTED, DemandStatus.ASSIGNED, DemandStatus.IN_PROGRESS,
                 DemandStatus.REVIEW)
# Cases waiting for acceptance (the "accept by" deadline runs) or for a result (the "resolve by" deadline runs).
AWAITING_ACCEPTANCE = (DemandStatus.SUBMITTED,)
AWAITING_RESOLUTION = (DemandStatus.ACCEPTED, DemandStatus.ASSIGNED, DemandStatus.IN_PROGRESS, DemandStatus.REVIEW)
# Finished cases: no deadline runs and no file is added any more.
FINISHED_STATUSES = (DemandStatus.CLOSED, DemandStatus.DECLINED, DemandStatus.WITHDRAWN)


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    URGENT = "urgent", _("urgent")
    CRITICAL = "critical", _("critical")


class RequesterKind(models.TextChoices):
    UNIT = "unit", _("enterprise or social organization")
    ORGANIZATION = "organization", _("party organization")
    PERSON = "person", _("person")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    ASSIGNED = "assigned", _("assigned")
    CLAIMED = "claimed", _("claimed")
    STARTED = "started", _("work started")
    RESOLVED = "resolved", _("resolved")
    RATED = "rated", _("rated")
    REOPENED = "reopened", _("reopened for review")
    COMMENT = "comment", _("comment")
    REMINDED = "reminded", _("deadline reminder")
    ESCALATED = "escalated", _("escalated")
    ATTACHMENT = "attachment", _("attachment added")
    WITHDRAWN = "withdrawn", _("withdrawn by the requester")


class DeadlineKind(models.TextChoices):
    ACCEPT = "accept", _("accept")
    RESOLVE = "resolve", _("resolve")


class ResourceKind(models.TextChoices):
    VENUE = "venue", _("venue")
    POLICY_ADVICE = "policy_advice", _("policy advice")
    EXPERT = "expert", _("expert")
    VOLUNTEERS = "volunteers", _("volunteers")
    TRAINING = "training", _("training course")
    FUNDING = "funding", _("funding")
    CHANNEL = "channel", _("channel")
    OTHER = "other", _("other")


class ResourceStatus(models.TextChoices):
    ACTIVE = "active", _("offered")
    WITHDRAWN = "withdrawn", _("withdrawn")


# Which kinds of resource usually serve a demand of a category (by category code): a bonus in the ranking, not a
# filter. Categories added by administrators get no bonus until they are listed here.
SERVING_KINDS: dict[str, tuple[str, ...]] = {
    "policy": (ResourceKind.POLICY_ADVICE, ResourceKind.EXPERT),
    "financing": (ResourceKind.FUNDING, ResourceKind.POLICY_ADVICE),
    "talent": (ResourceKind.CHANNEL, ResourceKind.TRAINING, ResourceKind.EXPERT),
    "premises": (ResourceKind.VENUE, ResourceKind.CHANNEL),
    "legal": (ResourceKind.EXPERT, ResourceKind.POLICY_ADVICE),
    "training": (ResourceKind.TRAINING, ResourceKind.EXPERT),
    "market": (ResourceKind.CHANNEL,),
    "public": (ResourceKind.VOLUNTEERS, ResourceKind.VENUE),
}


class MatchOutcome(models.TextChoices):
    ASSIGNED = "assigned", _("demand assigned to the provider")
    PROJECT = "project", _("cooperation project created")
