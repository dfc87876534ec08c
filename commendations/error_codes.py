"""Stable codes of the errors the commendation services raise (the API sends them beside the message)."""

from enum import StrEnum


class CommendationErrorCode(StrEnum):
    STEP_NOT_ALLOWED = "commendation_step_not_allowed"  # the record's status does not allow the step
    WINDOW_NOT_OPEN = "commendation_window_not_open"  # before the window opens
    WINDOW_CLOSED = "commendation_window_closed"  # after the window closed
    OVER_QUOTA = "commendation_over_quota"  # the organization's places in the category are taken
    NO_QUOTA = "commendation_no_quota"  # the organization has no places in the category
    NOT_ELIGIBLE = "commendation_not_eligible"  # the nominee does not meet the category's conditions
    NOT_EDITABLE = "commendation_not_editable"  # a nomination is edited only while a draft or returned
    CONFLICT_OF_INTEREST = "commendation_conflict_of_interest"  # the reviewer belongs to the nominee's organization
    NOT_REVIEWER = "commendation_not_reviewer"  # the user does not review at the nomination's stage
    NOTICE_RUNNING = "commendation_notice_running"  # a public notice cannot end early
    OBJECTION_OPEN = "commendation_objection_open"  # an objection waits for its finding
    INCOMPLETE = "commendation_incomplete"  # the campaign lacks categories, quotas or stages
