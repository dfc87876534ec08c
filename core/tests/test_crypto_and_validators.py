from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from conftest import make_id
from core.crypto import blind_index, decrypt, encrypt, mask_id_number, mask_phone
from core.validators import normalize_id_number, normalize_phone, validate_id_number, validate_phone


def test_encrypt_round_trip_and_randomised() -> None:
    a, b = encrypt("350503199001011234"), encrypt("350503199001011234")
    assert a != b
    assert decrypt(a) == decrypt(b) == "350503199001011234"


def test_blind_index_is_deterministic_and_case_insensitive() -> None:
    assert blind_index("35050319900101123x") == blind_index("35050319900101123X")
    assert blind_index("350503199001011234") != blind_index("350503199001011235")


def test_masks() -> None:
    assert mask_id_number("350503199001011234") == "3505**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""


def test_sensitive_values_are_not_stored_in_clear(world: Any) -> None:
    person = world.people["e1-a"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, id_number_index FROM organizations_person WHERE id = %s",
                       [person.pk])
        stored_id, stored_phone, index = cursor.fetchone()
    assert person.id_number not in stored_id and person.phone not in stored_phone
    assert stored_id.startswith("gAAAA")  # Fernet token
    assert index == blind_index(person.id_number)


def test_valid_id_numbers() -> None:
    validate_id_number(make_id("350503", "19900101", "123"))
    validate_id_number("11010519491231002X")  # the standard's published example


@pytest.mark.parametrize(("value", "code"), [
    ("35050319900101123", "id_format"),
    ("3505031990010112AB", "id_format"),
    ("350503199013011234", "id_birthdate"),
    ("110105194912310021", "id_checksum"),
])
def test_invalid_id_numbers(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert exc.value.code == code


@pytest.mark.parametrize("value", ["13812345678", "0595-22345678", "+86 13812345678"])
def test_valid_phones(value: str) -> None:
    validate_phone(value)


@pytest.mark.parametrize("value", ["12345", "23812345678", "abc"])
def test_invalid_phones(value: str) -> None:
    with pytest.raises(ValidationError):
        validate_phone(value)


@pytest.mark.parametrize("birth", ["19730229", "19900230", "19900431", "29990101", "18000101", "19000000"])
def test_impossible_birth_dates(birth: str) -> None:
    """Issue 24 §8: the date inside must be a real day, not in the future, not before 1900 (the check digit is
    right, so only the date can refuse them)."""
    with pytest.raises(ValidationError) as exc:
        validate_id_number(make_id("350503", birth, "123"))
    assert exc.value.code == "id_birthdate"


def test_the_birth_date_limits() -> None:
    validate_id_number(make_id("350503", "19000101", "123"))
    validate_id_number(make_id("350503", "19720229", "123"))  # a leap year
    with time_machine.travel(dt.datetime(2030, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        validate_id_number(make_id("350503", "20300601", "123"))  # born today
        with pytest.raises(ValidationError):
            validate_id_number(make_id("350503", "20300602", "123"))


def test_full_width_and_other_digits_are_the_same_number() -> None:
    number = make_id("350503", "19900101", "123")
    full_width = number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    arabic_indic = number[:17].translate({ord(c): 0x0660 + int(c) for c in "0123456789"}) + number[17]
    for typed in (full_width, arabic_indic, f" {number.lower()} "):
        assert normalize_id_number(typed) == number
        validate_id_number(typed)
    assert blind_index(normalize_id_number(full_width)) == blind_index(number)  # re-import finds the same person


@pytest.mark.parametrize(("typed", "stored"), [
    ("+86 138-0013-8000", "13800138000"), ("138 0013 8000", "13800138000"), ("0086 13800138000", "13800138000"),
    ("１３８００１３８０００", "13800138000"), ("(0595) 22345678", "059522345678"), ("0595-22345678", "0595-22345678"),
])
def test_phones_are_normalised(typed: str, stored: str) -> None:
    assert normalize_phone(typed) == stored
    validate_phone(typed)
