"""Stable codes of the errors the pairing services raise (the API sends them beside the message)."""

from enum import StrEnum


class PairingErrorCode(StrEnum):
    STEP_NOT_ALLOWED = "pair_step_not_allowed"  # the pair's status does not allow this step
    ENDED = "pair_ended"  # an ended pair is history
