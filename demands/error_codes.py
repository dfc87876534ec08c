"""Stable codes of the errors the demand and resource services raise (the API sends them beside the message)."""

from enum import StrEnum


class DemandErrorCode(StrEnum):
    STEP_NOT_ALLOWED = "demand_step_not_allowed"  # the case's status does not allow this step
    ATTACHMENTS_CLOSED = "demand_attachments_closed"  # the case is closed: no more files
    TOO_MANY_ATTACHMENTS = "demand_too_many_attachments"
