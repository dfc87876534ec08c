"""A user's interface language is kept on the account: signing in on another device starts in it (notifications
written in it: notifications/tests)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from accounts.models import User
from core.models import AuditEvent


def test_switching_the_language_keeps_it_on_the_account(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    user = User.objects.get(username="staff_fz")
    assert user.language == "en"
    assert AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk), action="update").exists()
    assert client.post("/i18n/setlang/", {"language": "xx", "next": "/"}).status_code == 302  # ignored
    assert User.objects.get(username="staff_fz").language == "en"
    # Anonymous visitors switch as before, with nothing stored.
    assert Client().post("/i18n/setlang/", {"language": "en", "next": "/"}).cookies["django_language"].value == "en"


def test_signing_in_starts_in_the_language_last_chosen(world: Any) -> None:
    User.objects.filter(username="secretary_b1").update(language="en")
    response = Client().post("/accounts/login/", {"username": "secretary_b1", "password": "Correct-Horse-42"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    plain = Client().post("/accounts/login/", {"username": "staff_jj", "password": "Correct-Horse-42"})
    assert plain.status_code == 302 and "django_language" not in plain.cookies
