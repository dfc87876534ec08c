"""Stable codes of the errors the project services raise (the API sends them beside the message)."""

from enum import StrEnum


class ProjectErrorCode(StrEnum):
    STATUS_NOT_ALLOWED = "project_status_not_allowed"  # the project's status cannot become the one asked for
    NOT_RUNNING = "project_not_running"  # the step is taken only while the project is under way
