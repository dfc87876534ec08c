"""Validators for Chinese identity data."""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .error_codes import CoreErrorCode

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$", re.ASCII)
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
_LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$", re.ASCII)
_EARLIEST_BIRTH = dt.date(1900, 1, 1)


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _ascii_digits(value: str) -> str:
    """Full-width characters (１２３, Ｘ) as their ASCII forms (NFKC), and any other script's decimal digits (Arabic-
    Indic ٣٥٠…) as 0–9: Chinese input methods and copied documents produce them, and they mean the same number."""
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in value)


def normalize_id_number(value: str) -> str:
    return _ascii_digits(value).strip().upper()


def id_birth_date(value: str) -> dt.date | None:
    """The birth date inside a (normalised) ID number, or None when it is no real date."""
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> None:
    """Resident identity card number (GB 11643-1999): 18 characters, a real birth date (not after today, not before
    1900), ISO 7064 checksum."""
    value = normalize_id_number(value)
    if not _ID_RE.match(value):
        raise ValidationError(_("An ID number has 17 digits followed by a digit or X."), code=CoreErrorCode.ID_FORMAT)
    born = id_birth_date(value)
    if born is None or not _EARLIEST_BIRTH <= born <= timezone.localdate():
        raise ValidationError(_("The birth date inside the ID number is not valid."), code=CoreErrorCode.ID_BIRTHDATE)
    if id_check_char(value[:17]) != value[17]:
        raise ValidationError(_("The ID number's check digit is wrong; please check the number."),
                              code=CoreErrorCode.ID_CHECKSUM)


def normalize_phone(value: str) -> str:
    """``+86 138-0013-8000`` → ``13800138000``: separators and the country code go; a landline keeps the dash after
    its area code (``0595-22345678``)."""
    value = re.sub(r"[\s().]", "", _ascii_digits(value))
    for prefix in ("+86", "0086"):
        value = value.removeprefix(prefix)
    digits = value.replace("-", "")
    return digits if _MOBILE_RE.match(digits) else value


def validate_phone(value: str) -> None:
    value = normalize_phone(value)
    if not (_MOBILE_RE.match(value) or _LANDLINE_RE.match(value)):
        raise ValidationError(
            _("Enter an 11-digit mobile number or a landline such as 0595-22345678."), code=CoreErrorCode.PHONE_FORMAT
        )
