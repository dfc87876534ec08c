"""Accounts managed inside the manager's scope: who manages whom, what may be given, and the pages."""

from __future__ import annotations

import base64
import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from accounts import selectors, services
from accounts.error_codes import AccountErrorCode
from accounts.models import Role, RoleAssignment, User
from core.models import AuditEvent
from core.permissions import Action, get_scope

PASSWORD = "Correct-Horse-42"


def codes(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    error = exc.value
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors if e.code}
    return {e.code for e in error.error_list if e.code}


def managed(world: Any, name: str) -> set[str]:
    return set(selectors.manageable_users(world.users[name]).values_list("username", flat=True))


def new_account(world: Any, actor: str, username: str = "newbie", **kwargs: Any) -> User:
    user, _password = services.user_create(actor=world.users[actor], data={"username": username}, **kwargs)
    return user


def extra_member(world: Any, org: str, seq: str) -> Any:
    from conftest import make_id
    from organizations import services as org_services
    from organizations.choices import MemberStatus, PersonKind

    return org_services.person_create(actor=None, data={
        "kind": PersonKind.MEMBER, "name": f"成员{seq}", "organization": world.orgs[org],
        "member_status": MemberStatus.FULL, "id_number": make_id(world.regions["fz"].code, "19910101", seq)})


# --- Who manages whom -----------------------------------------------------------------------------------------


def test_the_navigation_question_costs_no_query_once_cached(world: Any, django_assert_num_queries: Any) -> None:
    staff = world.users["staff_fz"]
    assert selectors.can_manage_accounts(staff)
    fresh = User.objects.get(pk=staff.pk)
    with django_assert_num_queries(0):
        assert selectors.can_manage_accounts(fresh)


def test_each_role_manages_the_accounts_in_its_reach(world: Any) -> None:
    assert managed(world, "admin") == set(User.objects.values_list("username", flat=True))
    # Staff: accounts with a role in their district and accounts of their district's people.
    assert managed(world, "staff_fz") == {"staff_fz", "secretary_b1", "member"}
    assert managed(world, "staff_jj") == {"staff_jj"}
    # A secretary: member accounts of people in the organization's subtree, not their own.
    assert managed(world, "secretary_b1") == {"member"}
    for name in ("member", "auditor", "norole"):
        assert managed(world, name) == set()
    assert selectors.can_manage_accounts(world.users["secretary_b1"])
    assert not selectors.can_manage_accounts(world.users["auditor"])


def test_an_account_with_a_role_beyond_reach_is_not_managed(world: Any) -> None:
    # The member also becomes staff of Jinjiang: Fengze's staff no longer manage the account (they could not
    # give that role), nor does the secretary.
    services.role_assign(actor=None, user=world.users["member"], role=Role.DEPARTMENT_STAFF,
                         region=world.regions["jj"])
    assert "member" not in managed(world, "staff_fz")
    assert "member" not in managed(world, "secretary_b1")


def test_staff_keep_managing_an_account_they_created_without_a_role(world: Any) -> None:
    new_account(world, "staff_fz")
    assert "newbie" in managed(world, "staff_fz")
    assert "newbie" not in managed(world, "staff_jj")


# --- What may be given ----------------------------------------------------------------------------------------


def test_staff_cannot_grant_in_another_district(world: Any) -> None:
    user = new_account(world, "staff_fz")
    staff = world.users["staff_fz"]
    with pytest.raises(ValidationError) as exc:
        services.role_assign(actor=staff, user=user, role=Role.DEPARTMENT_STAFF, region=world.regions["jj"])
    assert codes(exc) == {AccountErrorCode.SCOPE_OUT_OF_REACH}
    with pytest.raises(ValidationError) as exc:
        services.role_assign(actor=staff, user=user, role=Role.SECRETARY, organization=world.orgs["jj-e1"])
    assert codes(exc) == {AccountErrorCode.SCOPE_OUT_OF_REACH}
    # A region above their own is beyond reach too.
    with pytest.raises(ValidationError) as exc:
        services.role_assign(actor=staff, user=user, role=Role.DEPARTMENT_STAFF, region=world.regions["qz"])
    assert codes(exc) == {AccountErrorCode.SCOPE_OUT_OF_REACH}
    assert not RoleAssignment.objects.filter(user=user).exists()
    # Inside the district it works.
    services.role_assign(actor=staff, user=user, role=Role.SECRETARY, organization=world.orgs["fz-e2"])
    assert get_scope(user, Action.CHANGE).org_paths == (world.orgs["fz-e2"].path,)


@pytest.mark.parametrize("role", [Role.PLATFORM_ADMIN, Role.AUDITOR])
def test_only_platform_admins_grant_admin_and_auditor(world: Any, role: str) -> None:
    user = new_account(world, "staff_fz")
    with pytest.raises(ValidationError) as exc:
        services.role_assign(actor=world.users["staff_fz"], user=user, role=role)
    assert codes(exc) == {AccountErrorCode.ROLE_RESERVED}
    services.role_assign(actor=world.users["admin"], user=user, role=role)
    assert RoleAssignment.objects.filter(user=user, role=role).exists()


def test_staff_cannot_grant_to_an_account_of_another_district(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.role_assign(actor=world.users["staff_fz"], user=world.users["staff_jj"], role=Role.MEMBER)
    assert codes(exc) == {AccountErrorCode.USER_OUT_OF_SCOPE}


def test_secretary_gives_the_member_role_only_and_inside_the_subtree(world: Any) -> None:
    secretary = world.users["secretary_b1"]
    user, password = services.user_create(actor=secretary, data={"username": "e1b"}, person=world.people["e1-b"])
    assert password and user.must_change_password
    # A member's account gets the member role, given by the secretary (audited under their name).
    assignment = RoleAssignment.objects.get(user=user)
    assert assignment.role == Role.MEMBER
    assert AuditEvent.objects.filter(object_type="accounts.roleassignment", object_id=str(assignment.pk),
                                     actor=secretary).exists()
    services.role_revoke(actor=secretary, assignment=assignment)
    services.role_assign(actor=secretary, user=user, role=Role.MEMBER)
    for role, scope in [(Role.SECRETARY, {"organization": world.orgs["fz-e1"]}),
                        (Role.DEPARTMENT_STAFF, {"region": world.regions["fz"]})]:
        with pytest.raises(ValidationError) as exc:
            services.role_assign(actor=secretary, user=user, role=role, **scope)
        assert codes(exc) == {AccountErrorCode.ROLE_NOT_GRANTABLE}
    # People outside the subtree (fz-b2, another district), and accounts without a person, are refused.
    for person in ("b2-a", "jj-a"):
        with pytest.raises(ValidationError) as exc:
            services.user_create(actor=secretary, data={"username": f"x{person}"}, person=world.people[person])
        assert codes(exc) == {AccountErrorCode.PERSON_OUT_OF_SCOPE}
    with pytest.raises(ValidationError) as exc:
        services.user_create(actor=secretary, data={"username": "loose"})
    assert codes(exc) == {AccountErrorCode.PERSON_REQUIRED}
    with pytest.raises(ValidationError) as exc:
        services.role_assign(actor=secretary, user=world.users["staff_fz"], role=Role.MEMBER)
    assert codes(exc) == {AccountErrorCode.USER_OUT_OF_SCOPE}


def test_alliance_admin_roles_need_staff_covering_every_region(world: Any) -> None:
    from alliances.services import alliance_create

    local = alliance_create(actor=None, data={"name": "丰泽联盟", "kind": "other"}, regions=[world.regions["fz"]])
    cross = alliance_create(actor=None, data={"name": "跨区联盟", "kind": "other"},
                            regions=[world.regions["fz"], world.regions["jj"]])
    user = new_account(world, "staff_fz")
    staff = world.users["staff_fz"]
    services.role_assign(actor=staff, user=user, role=Role.ALLIANCE_ADMIN, alliance=local)
    with pytest.raises(ValidationError) as exc:
        services.role_assign(actor=staff, user=user, role=Role.ALLIANCE_ADMIN, alliance=cross)
    assert codes(exc) == {AccountErrorCode.SCOPE_OUT_OF_REACH}
    services.role_assign(actor=world.users["admin"], user=user, role=Role.ALLIANCE_ADMIN, alliance=cross)
    # Now the account holds a role Fengze's staff could not give: it is no longer theirs to manage.
    assert "newbie" not in managed(world, "staff_fz")


def test_nobody_gives_actions_they_do_not_hold() -> None:
    auth = selectors.Authority(staff_region_paths=("0001",), actions=frozenset({"view", "change"}))
    with pytest.raises(ValidationError) as exc:
        services.check_grant(auth, role=Role.DEPARTMENT_STAFF, region=type("R", (), {"path": "00010001"})())
    assert codes(exc) == {AccountErrorCode.ACTIONS_NOT_HELD}
    assert Role.DEPARTMENT_STAFF not in selectors.grantable_roles(auth)


def test_managers_do_not_change_their_own_roles_or_deactivate_themselves(world: Any) -> None:
    staff = world.users["staff_fz"]
    with pytest.raises(ValidationError) as exc:
        services.role_assign(actor=staff, user=staff, role=Role.SECRETARY, organization=world.orgs["fz-e1"])
    assert codes(exc) == {AccountErrorCode.SELF_ROLES}
    admin = world.users["admin"]
    with pytest.raises(ValidationError) as exc:
        services.role_revoke(actor=admin, assignment=RoleAssignment.objects.get(user=admin))
    assert codes(exc) == {AccountErrorCode.SELF_ROLES}
    for name in ("staff_fz", "admin"):
        user = world.users[name]
        with pytest.raises(ValidationError) as exc:
            services.user_deactivate(actor=user, user=user)
        assert codes(exc) == {AccountErrorCode.SELF_DEACTIVATION}


def test_refusals_are_translated(world: Any) -> None:
    user = new_account(world, "staff_fz")
    for language, expected in [("en", "Only platform administrators"), ("zh-hans", "平台管理员")]:
        with translation.override(language), pytest.raises(ValidationError) as exc:
            services.role_assign(actor=world.users["staff_fz"], user=user, role=Role.AUDITOR)
        assert expected in exc.value.messages[0]


# --- Writes are audited, passwords never ----------------------------------------------------------------------


def test_account_writes_are_audited_without_passwords(world: Any) -> None:
    staff = world.users["staff_fz"]
    user, password = services.user_create(actor=staff, data={"username": "audited", "email": "a@example.org"},
                                          password="Pale-Blue-Harbour-7")
    assert password is None and user.check_password("Pale-Blue-Harbour-7")
    services.role_assign(actor=staff, user=user, role=Role.SECRETARY, organization=world.orgs["fz-e2"])
    services.user_deactivate(actor=staff, user=user)
    services.user_reactivate(actor=staff, user=user)
    reset = services.user_password_reset(actor=staff, user=user)
    events = AuditEvent.objects.filter(actor=staff).order_by("pk")
    assert [(e.object_type, e.action) for e in events] == [
        ("accounts.user", "create"), ("accounts.roleassignment", "create"), ("accounts.user", "update"),
        ("accounts.user", "update"), ("accounts.user", "update")]
    assert events[0].changes["created_by"] == staff.pk and "password" not in events[0].changes
    assert events[2].changes == {"is_active": [True, False]}
    assert events[4].changes["password"] == ["***", "***"]
    user.refresh_from_db()
    everything = str(list(AuditEvent.objects.values_list("changes", flat=True)))
    for secret in (user.password, reset, "Pale-Blue-Harbour-7"):
        assert secret not in everything


def test_a_chosen_password_must_pass_the_validators(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.user_create(actor=world.users["staff_fz"], data={"username": "weak"}, password="1234")
    assert "password" in exc.value.error_dict
    assert not User.objects.filter(username="weak").exists()


# --- Bulk creation --------------------------------------------------------------------------------------------


def test_member_accounts_in_bulk(world: Any) -> None:
    staff = world.users["staff_fz"]
    extra = extra_member(world, "fz-e1", "101")
    User.objects.create_user(username=services.member_username(extra), password=PASSWORD)  # the name is taken
    with translation.override("en"):
        result = services.member_accounts_create(actor=staff, organization=world.orgs["fz-e1"])
    person = world.people["e1-b"]
    [(created_person, user, password)] = result.created
    assert created_person == person and user.username == f"m{person.pk:06d}"
    assert user.check_password(password) and user.must_change_password and user.created_by == staff
    person.refresh_from_db()
    assert person.user == user
    assert RoleAssignment.objects.get(user=user).role == Role.MEMBER
    reasons = {p.name: reason for p, reason in result.skipped}
    assert set(reasons) == {"成员e1-a", extra.name}
    assert "member" in reasons["成员e1-a"] and "taken" in reasons[extra.name]
    # The ID number never becomes part of a username.
    assert person.id_number[-6:] not in user.username


def test_member_accounts_are_all_or_nothing(world: Any, monkeypatch: Any) -> None:
    extra_member(world, "fz-e1", "102")
    real = services.user_create
    calls = []

    def failing_second(**kwargs: Any) -> Any:
        calls.append(kwargs["person"])
        if len(calls) == 2:
            raise ValidationError("Simulated failure", code="x")
        return real(**kwargs)

    monkeypatch.setattr(services, "user_create", failing_second)
    before = User.objects.count()
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        services.member_accounts_create(actor=world.users["staff_fz"], organization=world.orgs["fz-e1"])
    assert codes(exc) == {AccountErrorCode.BULK_FAILED}
    assert "Simulated failure" in exc.value.messages[0]
    assert User.objects.count() == before
    assert not RoleAssignment.objects.filter(role=Role.MEMBER).exclude(user=world.users["member"]).exists()


def test_member_accounts_only_in_scope(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.member_accounts_create(actor=world.users["secretary_b1"], organization=world.orgs["jj-e1"])
    assert codes(exc) == {AccountErrorCode.ORGANIZATION_OUT_OF_SCOPE}


def test_member_accounts_page_gives_the_passwords_once_as_excel(world: Any, client_for: Any) -> None:
    client = client_for("secretary_b1")
    assert client.get("/accounts/users/member-accounts/").status_code == 200
    page = client.post("/accounts/users/member-accounts/", {"organization": world.orgs["fz-e1"].pk})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    encoded = re.search(r'base64,([A-Za-z0-9+/=]+)"', page.content.decode()).group(1)  # type: ignore[union-attr]
    sheet = load_workbook(io.BytesIO(base64.b64decode(encoded))).worksheets[0]
    [row] = list(sheet.iter_rows(min_row=2, values_only=True))
    user = User.objects.get(username=row[2])
    assert user.check_password(row[3])
    # Another district's organization is not offered.
    refused = client.post("/accounts/users/member-accounts/", {"organization": world.orgs["jj-e1"].pk})
    assert refused.status_code == 400


# --- Pages ----------------------------------------------------------------------------------------------------


def test_user_list_shows_the_managed_accounts_with_search_and_filters(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    page = client.get("/accounts/users/").content.decode()
    assert "secretary_b1" in page and ">member<" in page
    assert "staff_jj" not in page and ">admin<" not in page
    found = client.get("/accounts/users/", {"q": "SECRET"}).content.decode()
    assert "secretary_b1" in found and ">member<" not in found
    by_role = client.get("/accounts/users/", {"role": Role.MEMBER}).content.decode()
    assert ">member<" in by_role and "secretary_b1" not in by_role
    services.user_deactivate(actor=world.users["staff_fz"], user=world.users["member"])
    inactive = client.get("/accounts/users/", {"is_active": "false"}).content.decode()
    assert ">member<" in inactive and "secretary_b1" not in inactive
    empty = client.get("/accounts/users/", {"q": "nobody-by-that-name"}).content.decode()
    assert "empty-state" in empty


def test_user_list_has_no_n_plus_one(world: Any, client_for: Any) -> None:
    client = client_for("admin")
    client.get("/accounts/users/")  # warm the session and caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/accounts/users/").status_code == 200
        return len(context)

    few = queries()
    for i in range(8):
        extra = extra_member(world, "fz-e2", f"2{i:02d}")
        user, _pw = services.user_create(actor=None, data={"username": f"bulk{i}"}, person=extra)
        services.role_assign(actor=None, user=user, role=Role.SECRETARY, organization=world.orgs["fz-e2"])
    client.get("/accounts/users/")  # the writes emptied the authorization cache: read the admin's scope again
    assert queries() == few


def test_out_of_scope_accounts_are_404(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    other = world.users["staff_jj"].pk
    assert client.get(f"/accounts/users/{other}/").status_code == 404
    assert client.get(f"/accounts/users/{other}/edit/").status_code == 404
    assert client.get(f"/accounts/users/{other}/reset-password/").status_code == 404
    assert client.post(f"/accounts/users/{other}/reset-password/").status_code == 404
    assert client.post(f"/accounts/users/{other}/do/deactivate/").status_code == 404
    assert client.get(f"/accounts/users/{world.users['member'].pk}/").status_code == 200
    assert client_for("secretary_b1").get(f"/accounts/users/{world.users['secretary_b1'].pk}/").status_code == 404
    assert client_for("member").get("/accounts/users/").status_code == 403
    assert client_for("member").get("/accounts/users/add/").status_code == 403


def test_create_grant_and_deactivate_through_the_pages(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    page = client.post("/accounts/users/add/", {"username": "liaison", "display_name": "联络员",
                                                "email": "l@example.org", "language": "en",
                                                "password_mode": "generate"})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    user = User.objects.get(username="liaison")
    shown = re.search(r'data-testid="one-time-password">([^<]+)<', page.content.decode()).group(1)  # type: ignore[union-attr]
    assert user.check_password(shown) and user.must_change_password and user.language == "en"
    detail = f"/accounts/users/{user.pk}/"
    client.post(f"{detail}do/grant/", {"role": Role.SECRETARY, "organization": world.orgs["fz-e2"].pk})
    assert RoleAssignment.objects.filter(user=user, role=Role.SECRETARY).exists()
    refused = client.post(f"{detail}do/grant/", {"role": Role.SECRETARY, "organization": world.orgs["jj-e1"].pk},
                          follow=True)
    assert RoleAssignment.objects.filter(user=user).count() == 1
    assert refused.status_code == 200 and "alert-danger" in refused.content.decode()
    client.post(f"{detail}do/deactivate/")
    user.refresh_from_db()
    assert not user.is_active
    own = client.post(f"/accounts/users/{world.users['staff_fz'].pk}/do/deactivate/", follow=True)
    assert world.users["staff_fz"].is_active and "alert-danger" in own.content.decode()


def test_revoking_the_last_role_in_reach_leads_back_to_the_list(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    secretary = world.users["secretary_b1"]
    assignment = RoleAssignment.objects.get(user=secretary)
    response = client.post(f"/accounts/users/{secretary.pk}/do/revoke/", {"assignment": assignment.pk})
    assert response.status_code == 302 and response["Location"] == "/accounts/users/"
    assert not RoleAssignment.objects.filter(user=secretary).exists()


def test_an_account_for_a_person_by_number(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    person = world.people["e1-b"]
    form = client.get("/accounts/users/add/", {"person": person.pk}).content.decode()
    assert "成员e1-b" in form and 'type="number"' in form
    # Another district's person is refused like a missing one.
    jj = client.post("/accounts/users/add/", {"username": "x", "password_mode": "generate",
                                               "person": world.people["jj-a"].pk})
    assert jj.status_code == 200 and not User.objects.filter(username="x").exists()
    client.post("/accounts/users/add/", {"username": "e1b", "password_mode": "choose",
                                         "password": "Pale-Blue-Harbour-7", "person": person.pk})
    person.refresh_from_db()
    assert person.user is not None and person.user.username == "e1b"
    assert person.user.roles.get().role == Role.MEMBER


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_account_page_renders(world: Any, client_for: Any, client: Any, language: str) -> None:
    manager = client_for("staff_fz")
    manager.cookies["django_language"] = client.cookies["django_language"] = language
    member = world.users["member"].pk
    for url in ["/accounts/users/", "/accounts/users/add/", "/accounts/users/member-accounts/",
                f"/accounts/users/{member}/", f"/accounts/users/{member}/edit/",
                f"/accounts/users/{member}/reset-password/", "/accounts/password/change/", "/accounts/profile/"]:
        page = manager.get(url)
        assert page.status_code == 200, url
        assert 'name="viewport"' in page.content.decode()
    for url in ["/accounts/password/reset/", "/accounts/password/reset/sent/", "/accounts/password/reset/complete/",
                "/accounts/login/"]:
        assert client.get(url).status_code == 200, url
    edited = manager.post(f"/accounts/users/{member}/edit/", {"display_name": "党员甲", "email": "m@example.org",
                                                              "language": "en"})
    assert edited.status_code == 302
    assert User.objects.get(pk=member).display_name == "党员甲"
