"""Stable codes of the errors the demand and resource services raise (the API sends them beside the message)."""

from enum import StrEnum


class DemandErrorCode(StrEnum):
    STEP_NOT_ALLOWED = "demand_step_not_allowed"  # the case's status does not allow this step
    ATTACHMENTS_CLOSED = "demand_attachments_closed"  # the case is closed: no more files
    TOO_MANY_ATTACHMENTS = "demand_too_many_attachments"
    WITHDRAW_TOO_LATE = "demand_withdraw_too_late"  # the case was taken on (or finished): it cannot be withdrawn
    RESOURCE_NOT_AVAILABLE = "demand_resource_not_available"  # the requested resource is not offered to the requester
