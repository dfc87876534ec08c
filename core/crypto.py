"""Protection at rest for sensitive personal data (ID numbers, phone numbers).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``); ``MultiFernet`` lets keys be
rotated: the first key encrypts, all keys decrypt. Equality look-ups (re-import must find the same ID number)
use a keyed blind index (HMAC-SHA256) stored beside the ciphertext, never the plain value. Lists show the masked
form, stored beside the ciphertext too (``MaskedCopyField``), so that a page of 50 people is not 100 decryptions.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
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


class MaskedCopyField(models.TextField):
    """The masked form of an encrypted field of the same model (``source``), stored beside it: lists, exports and
    the API show masked values without decrypting every row (a member page's 100 decryptions were ~1.5 of its
    9 ms). It reveals no more than every list shows. ``save()`` sets it from the source (``pre_save``); writes
    that skip ``save()`` add it with ``with_masked_copies``, and models that save with ``update_fields`` use
    ``MaskedCopies``."""

    def __init__(self, *args: Any, source: str = "", masker: Callable[[str], str] = mask_phone, **kwargs: Any) -> None:
        self.source, self.masker = source, masker
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, {**kwargs, "source": self.source, "masker": self.masker}

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.masker(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


def masked_copies(model: type[models.Model]) -> list[MaskedCopyField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, MaskedCopyField)]


def with_masked_copies(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """{attname: value} for a write that skips ``save()`` (``bulk_insert``, ``bulk_update``), plus the masked copy
    of each encrypted field it sets."""
    copies = {f.attname: f.masker(values[f.source] or "") for f in masked_copies(model) if f.source in values}
    return {**values, **copies} if copies else values


class MaskedCopies:
    """Model mixin: ``save(update_fields=[...])`` naming an encrypted field also saves its masked copy."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if fields is not None:
            copies = {f.name for f in masked_copies(type(self)) if f.source in fields}  # type: ignore[arg-type]
            if copies:
                kwargs["update_fields"] = {*fields, *copies}
        super().save(*args, **kwargs)  # type: ignore[misc]
