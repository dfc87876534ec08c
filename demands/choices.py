from django.db import models
from django.utils.translation import gettext_lazy as _


class DemandStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", _("resolved")
    REVIEW = "review", _("reopened for review")
    CLOSED = "closed", _("closed")


# Cases somebody still has to act on (the scheduling report's "open").
OPEN_STATUSES = (DemandStatus.SUBMITTED, DemandStatus.ACCEPTED, DemandStatus.ASSIGNED, DemandStatus.IN_PROGRESS,
                 DemandStatus.REVIEW)
# Cases waiting for acceptance (the "accept by" deadline runs) or for a result (the "resolve by" deadline runs).
AWAITING_ACCEPTANCE = (DemandStatus.SUBMITTED,)
AWAITING_RESOLUTION = (DemandStatus.ACCEPTED, DemandStatus.ASSIGNED, DemandStatus.IN_PROGRESS, DemandStatus.REVIEW)


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


class DeadlineKind(models.TextChoices):
    ACCEPT = "accept", _("accept")
    RESOLVE = "resolve", _("resolve")
