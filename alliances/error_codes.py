"""Stable codes of the errors the alliance services raise (the API sends them beside the message)."""

from enum import StrEnum


class AllianceErrorCode(StrEnum):
    STEP_NOT_ALLOWED = "membership_step_not_allowed"  # the membership's status does not allow this step
