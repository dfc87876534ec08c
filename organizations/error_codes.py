"""Stable codes of the errors the organizations app raises (the API sends them beside the message)."""

from enum import StrEnum


class OrganizationErrorCode(StrEnum):
    ID_NUMBER_REQUIRED = "id_number_required"  # a party member without an ID number (form, API, import)
