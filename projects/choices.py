from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("project status", "proposed")
    ACTIVE = "active", pgettext_lazy("project status", "under way")
    COMPLETED = "completed", pgettext_lazy("project status", "completed")
    SUSPENDED = "suspended", pgettext_lazy("project status", "suspended")
    CANCELLED = "cancelled", pgettext_lazy("project status", "cancelled")


OPEN_PROJECT_STATUSES = (ProjectStatus.PROPOSED, ProjectStatus.ACTIVE, ProjectStatus.SUSPENDED)


class ProjectOrigin(models.TextChoices):
    MEETING = "meeting", _("a joint meeting")
    DECISION = "decision", _("an alliance decision")
    MATCH = "match", _("a demand matched with a resource")
    OTHER = "other", _("other")


class ProjectEventKind(models.TextChoices):
    CREATED = "created", _("project started")
    STATUS = "status", _("status changed")
    PROGRESS = "progress", _("progress reported")
    PROGRESS_REQUESTED = "requested", _("progress report asked for")
    MILESTONE = "milestone", _("milestone reached")
    LINKED = "linked", _("linked")
    RESULT = "result", _("result recorded")
    COMMENT = "comment", _("comment")
