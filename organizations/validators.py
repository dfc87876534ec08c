"""Rules on people's identity data that every way in (the form, the API, the import) applies alike."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import PersonKind
from .error_codes import OrganizationErrorCode

MEMBER_ID_NUMBER_REQUIRED = _("A party member's ID number is required.")


def validate_member_id_number(kind: str, id_number: str) -> None:
    """A party member has an ID number: a re-import finds them by it, and a member without one could be entered
    twice. A contact (PersonKind.CONTACT) may have none."""
    if kind == PersonKind.MEMBER and not id_number:
        raise ValidationError(MEMBER_ID_NUMBER_REQUIRED, code=OrganizationErrorCode.ID_NUMBER_REQUIRED)
