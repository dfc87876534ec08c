"""Validators for Chinese identity data."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper()


def validate_id_number(value: str) -> None:
    """Resident identity card number (GB 11643-1999): 18 characters, valid birth date, ISO 7064 checksum."""
    value = normalize_id_number(value)
    if not _ID_RE.match(value):
        raise ValidationError(_("An ID number has 17 digits followed by a digit or X."), code="id_format")
    month, day = int(value[10:12]), int(value[12:14])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValidationError(_("The birth date inside the ID number is not valid."), code="id_birthdate")
    if id_check_char(value[:17]) != value[17]:
        raise ValidationError(_("The ID number's check digit is wrong; please check the number."), code="id_checksum")


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s()]", "", (value or "").strip()).removeprefix("+86")


def validate_phone(value: str) -> None:
    value = normalize_phone(value)
    if not (_MOBILE_RE.match(value) or _LANDLINE_RE.match(value)):
        raise ValidationError(
            _("Enter an 11-digit mobile number or a landline such as 0595-22345678."), code="phone_format"
        )
