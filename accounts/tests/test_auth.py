from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.test import Client, override_settings

from accounts.models import Role, RoleAssignment, User
from accounts.services import role_assign
from core.permissions import Action, get_scope


def test_passwords_are_hashed_with_argon2_in_every_real_setting() -> None:
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert make_password("Correct-Horse-42").startswith("argon2$")


def test_login_and_logout_really_ends_the_session(world: Any, client: Any) -> None:
    response = client.post("/accounts/login/", {"username": "staff_fz", "password": "Correct-Horse-42"})
    assert response.status_code == 302
    session_key = client.session.session_key
    assert Session.objects.filter(session_key=session_key).exists()
    assert client.get("/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 405  # logout is POST only (no CSRF-able link)
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get("/").status_code == 302


def test_lockout_after_five_failures(world: Any, client: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "staff_fz", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "staff_fz", "password": "Correct-Horse-42"})
    assert locked.status_code == 429
    assert "locked" in locked.content.decode().lower() or "锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(world: Any, client: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"username": "staff_fz", "password": "wrong"})
    ok = client.post("/accounts/login/", {"username": "staff_fz", "password": "Correct-Horse-42"})
    assert ok.status_code == 302


def test_idle_timeout_slides_with_one_write_a_minute(world: Any, client: Any) -> None:
    import datetime as dt

    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE == 30 * 60

    def session_written() -> bool:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return any("django_session" in q["sql"] and not q["sql"].startswith("SELECT")
                   for q in queries.captured_queries)

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(world.users["staff_fz"])
        assert session_written()  # the first page marks the session seen
        assert not session_written()  # within the minute: no write
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        assert session_written()
        key = client.session.session_key
        assert Session.objects.get(session_key=key).expire_date >= start + dt.timedelta(minutes=30, seconds=61)
    with time_machine.travel(start + dt.timedelta(minutes=31, seconds=2), tick=False):
        assert client.get("/").status_code == 302  # 30 idle minutes: back to the login page


def test_idle_session_expires(world: Any, client: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    client.force_login(world.users["staff_fz"])
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/").status_code == 302  # back to the login page


def test_no_accounts_exist_without_demo_data(db: Any) -> None:
    assert User.objects.count() == 0


def test_role_scope_validation(world: Any) -> None:
    from django.core.exceptions import ValidationError

    user = world.users["norole"]
    with pytest.raises(ValidationError):
        role_assign(actor=None, user=user, role=Role.SECRETARY)  # secretary needs an organization
    with pytest.raises(ValidationError):
        role_assign(actor=None, user=user, role=Role.DEPARTMENT_STAFF)
    with pytest.raises(ValidationError):
        role_assign(actor=None, user=user, role=Role.PLATFORM_ADMIN, region=world.regions["fz"])
    role_assign(actor=None, user=user, role=Role.SECRETARY, organization=world.orgs["fz-e2"])
    with pytest.raises(ValidationError):
        role_assign(actor=None, user=user, role=Role.SECRETARY, organization=world.orgs["fz-e2"])
    assert RoleAssignment.objects.filter(user=user).count() == 1


def test_scopes_union_and_actions(world: Any) -> None:
    user = world.users["staff_jj"]
    role_assign(actor=None, user=user, role=Role.SECRETARY, organization=world.orgs["fz-e2"])
    scope = get_scope(user, Action.VIEW)
    assert scope.region_paths == (world.regions["jj"].path,)
    assert scope.org_paths == (world.orgs["fz-e2"].path,)
    assert get_scope(world.users["auditor"], Action.CHANGE).is_empty
    assert get_scope(world.users["auditor"], Action.VIEW).everything
    assert get_scope(world.users["secretary_b1"], Action.REVEAL).is_empty


def test_api_token_issue_and_revoke(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    page = client.post("/accounts/token/", {"action": "create"}).content.decode()
    from rest_framework.authtoken.models import Token

    key = Token.objects.get(user=world.users["staff_fz"]).key
    assert key in page
    from django.test import Client

    api = Client()
    assert api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").json()["username"] == "staff_fz"
    client.post("/accounts/token/", {"action": "revoke"})
    assert api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_a_token_client_gets_no_session(world: Any) -> None:
    from accounts.services import api_token_create

    key = api_token_create(actor=world.users["staff_fz"])
    before = Session.objects.count()
    assert Client().get("/api/v1/organizations/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert Session.objects.count() == before  # the idle timeout slides browser sessions only
