"""Password change, reset by mail and by a manager, and the forced change after a password set by someone else."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core import mail
from django.test import Client

from accounts import services
from accounts.models import User
from core.models import AuditEvent

PASSWORD = "Correct-Horse-42"
NEW = "Quiet-Lantern-Orchard-9"


def login(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_profile_links_to_the_password_change(client_for: Any) -> None:
    page = client_for("member").get("/accounts/profile/").content.decode()
    assert 'href="/accounts/password/change/"' in page


def test_password_change_is_audited_and_keeps_this_session(world: Any, client: Client) -> None:
    user = world.users["member"]
    login(client, "member", PASSWORD)
    other = Client()
    login(other, "member", PASSWORD)
    assert client.get("/accounts/password/change/").status_code == 200
    wrong = client.post("/accounts/password/change/", {"old_password": "nope", "new_password1": NEW,
                                                       "new_password2": NEW})
    assert wrong.status_code == 200
    response = client.post("/accounts/password/change/", {"old_password": PASSWORD, "new_password1": NEW,
                                                          "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get("/").status_code == 200  # this session stays
    assert other.get("/").status_code == 302  # the others end
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(user.pk), actor=user, action="update")
    assert event.changes == {"password": ["***", "***"]}
    assert user.password not in str(event.changes)


def test_a_reset_by_a_manager_forces_a_change_at_the_next_login(world: Any, client_for: Any) -> None:
    manager = client_for("staff_fz")
    user = world.users["member"]
    page = manager.post(f"/accounts/users/{user.pk}/reset-password/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    one_time = re.search(r'data-testid="one-time-password">([^<]+)<', page.content.decode()).group(1)  # type: ignore[union-attr]
    event = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk)).latest("pk")
    assert event.actor == world.users["staff_fz"]
    assert event.changes == {"password": ["***", "***"], "must_change_password": [False, True]}

    client = Client()
    assert login(client, "member", PASSWORD).status_code == 200  # the old password is gone
    assert login(client, "member", one_time).status_code == 302
    # Every page leads to the change page, keeping where the user was going.
    response = client.get("/organizations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/password/change/?next=")
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["code"] == "password_change_required"
    assert client.get("/accounts/password/change/").status_code == 200
    assert client.get(settings.STATIC_URL + "css/app.css").status_code != 302
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    changed = client.post("/accounts/password/change/?next=/organizations/",
                          {"old_password": one_time, "new_password1": NEW, "new_password2": NEW,
                           "next": "/organizations/"})
    assert changed["Location"] == "/organizations/"
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/organizations/").status_code == 200


def test_logout_stays_reachable_while_a_change_is_due(world: Any, client: Client) -> None:
    user = world.users["member"]
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client.force_login(user)
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_a_managers_reset_revokes_the_api_token_and_lifts_a_lockout(world: Any, client: Client) -> None:
    from axes.models import AccessAttempt
    from rest_framework.authtoken.models import Token

    user = world.users["member"]
    services.api_token_create(actor=user)
    for _i in range(settings.AXES_FAILURE_LIMIT):
        login(client, "member", "wrong")
    assert login(client, "member", PASSWORD).status_code == 429  # the lockout still works
    one_time = services.user_password_reset(actor=world.users["staff_fz"], user=user)
    assert not Token.objects.filter(user=user).exists()
    assert not AccessAttempt.objects.filter(username="member").exists()
    assert login(client, "member", one_time).status_code == 302


def test_reset_by_mail_in_the_users_language_without_enumeration(world: Any, client: Client) -> None:
    user = world.users["member"]
    User.objects.filter(pk=user.pk).update(email="member@example.org", language="en")
    known = client.post("/accounts/password/reset/", {"email": "member@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/sent/"
    [message] = mail.outbox
    assert message.to == ["member@example.org"]
    assert message.subject == "Lianmeng: choose a new password"
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", message.body).group(1)  # type: ignore[union-attr]

    form = client.get(link, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == "/accounts/password/reset/complete/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk), actor=user,
                                     changes={"password": ["***", "***"]}).exists()
    assert client.get(link, follow=True).context["validlink"] is False  # the link works once


def test_reset_mail_in_chinese_for_a_chinese_user(world: Any, client: Client) -> None:
    User.objects.filter(pk=world.users["member"].pk).update(email="member@example.org", language="zh-hans")
    client.post("/accounts/password/reset/", {"email": "member@example.org"}, HTTP_ACCEPT_LANGUAGE="en")
    [message] = mail.outbox
    assert "密码" in message.subject
