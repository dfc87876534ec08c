"""Stable codes of the errors the activity services raise (the API sends them beside the message)."""

from enum import StrEnum


class ActivityErrorCode(StrEnum):
    STEP_NOT_ALLOWED = "activity_step_not_allowed"  # the activity's status does not allow this step
    CANCELLED = "activity_cancelled"  # a cancelled activity is history
    NOT_STARTED = "activity_not_started"  # held or recorded only after it started
    ALREADY_STARTED = "activity_already_started"  # registration opens only before the start
