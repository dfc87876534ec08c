"""Stable codes of the errors the generic write services raise (the API sends them beside the message)."""

from enum import StrEnum


class CoreErrorCode(StrEnum):
    OUT_OF_SCOPE = "out_of_scope"  # after the write the record would lie outside the writer's scope
    STILL_REFERRED = "still_referred"  # a delete refused: other records point at this one
    # core.validators: identity data
    ID_FORMAT = "id_format"
    ID_BIRTHDATE = "id_birthdate"
    ID_CHECKSUM = "id_checksum"
    PHONE_FORMAT = "phone_format"
