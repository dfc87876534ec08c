"""Protection at rest for sensitive personal data (ID numbers, phone numbers).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``); ``MultiFernet`` lets keys be
rotated: the first key encrypts, all keys decrypt. Equality look-ups (re-import must find the same ID number)
use a keyed blind index (HMAC-SHA256) stored beside the ciphertext, never the plain value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet() -> MultiFernet:
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        if not settings.SECRET_KEY:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS or SECRET_KEY must be set.")
        derived = hashlib.sha256(b"lianmeng-field-encryption:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(key.encode()) for key in keys])


@cache
def _index_key() -> bytes:
    material = (settings.FIELD_ENCRYPTION_KEYS or [settings.SECRET_KEY])[-1]
    return hashlib.sha256(b"lianmeng-blind-index:" + material.encode()).digest()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("Cannot decrypt a protected field: wrong FIELD_ENCRYPTION_KEYS?") from exc


def blind_index(value: str) -> str:
    """Deterministic keyed digest for equality look-ups; reveals nothing without the key."""
    return hmac.new(_index_key(), value.strip().upper().encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """Stores ciphertext; Python code sees the plain value. Cannot be filtered on: use a blind index."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        return decrypt(value) if value else ""

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        return encrypt(value) if value else ""


def mask(value: str, keep_start: int, keep_end: int) -> str:
    """``350503199001011234`` → ``3505**********1234``."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_id_number(value: str) -> str:
    return mask(value, 4, 4)


def mask_phone(value: str) -> str:
    return mask(value, 3, 4)
