from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    THEMED_PARTY_DAY = "party_day", _("themed party day")
    MICRO_LESSON = "micro_lesson", _("micro party lesson")
    # The "three meetings and one lesson" (三会一课)
    MEMBERS_MEETING = "members_meeting", _("members' meeting")
    COMMITTEE_MEETING = "committee_meeting", _("branch committee meeting")
    GROUP_MEETING = "group_meeting", _("party group meeting")
    PARTY_LESSON = "party_lesson", _("party lesson")
    STUDY = "study", _("study session")
    FORUM = "forum", _("forum")
    VOLUNTEER = "volunteer", _("volunteer service")
    CEREMONY = "ceremony", _("ceremony or summit")
    OATH = "oath", _("oath renewal")
    OTHER = "other", _("other")


THREE_MEETINGS_ONE_LESSON = (ActivityKind.MEMBERS_MEETING, ActivityKind.COMMITTEE_MEETING,
                             ActivityKind.GROUP_MEETING, ActivityKind.PARTY_LESSON)


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    OPEN = "open", _("open for registration")
    HELD = "held", _("held")
    RECORDED = "recorded", _("recorded")
    CANCELLED = "cancelled", _("cancelled")


# An activity that took place: it counts for the ledger, the pairs' progress, series and statistics.
DONE_STATUSES = (ActivityStatus.HELD, ActivityStatus.RECORDED)
# An activity that may still take place.
UPCOMING_STATUSES = (ActivityStatus.PLANNED, ActivityStatus.OPEN)


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("QR sign-in")
    MANUAL = "manual", _("marked by hand")


class LedgerPeriod(models.TextChoices):
    MONTH = "month", _("monthly")
    QUARTER = "quarter", _("quarterly")
    HALF_YEAR = "half_year", _("half-yearly")
    YEAR = "year", _("yearly")


PERIOD_MONTHS = {LedgerPeriod.MONTH: 1, LedgerPeriod.QUARTER: 3, LedgerPeriod.HALF_YEAR: 6, LedgerPeriod.YEAR: 12}


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    CANCELLED = "cancelled", _("registration cancelled")
