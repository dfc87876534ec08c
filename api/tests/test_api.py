from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from core.models import AuditEvent
from organizations.models import Organization, Person


def test_unauthenticated_requests_are_refused(world: Any, client: Any) -> None:
    assert client.get("/api/v1/organizations/").status_code in (401, 403)


def test_token_authentication(world: Any, client: Any) -> None:
    token = Token.objects.create(user=world.users["staff_jj"])
    response = client.get("/api/v1/organizations/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert client.get("/api/v1/organizations/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_create_update_delete_organization_is_audited(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    parent = world.orgs["fz-b2"]
    created = client.post("/api/v1/organizations/", {
        "name": "新成立党支部", "type": "branch", "sector": "non_public", "region": world.regions["fz"].pk,
        "parent": parent.pk, "contact_phone": "13912345678"}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["depth"] == parent.depth + 1
    assert body["is_two_new"] is True
    assert body["contact_phone_masked"] == "139****5678"
    assert "contact_phone" not in body
    org = Organization.objects.get(pk=body["id"])
    assert org.path.startswith(parent.path)
    event = AuditEvent.objects.get(action="create", object_type="organizations.organization", object_id=str(org.pk))
    assert event.actor == world.users["staff_fz"]
    assert event.changes["contact_phone"] == "139****5678"  # masked in the audit trail too

    patched = client.patch(f"/api/v1/organizations/{org.pk}/", {"name": "改名党支部"}, content_type="application/json")
    assert patched.status_code == 200
    update = AuditEvent.objects.get(action="update", object_id=str(org.pk))
    assert update.changes == {"name": ["新成立党支部", "改名党支部"]}

    assert client.delete(f"/api/v1/organizations/{org.pk}/").status_code == 204
    assert AuditEvent.objects.filter(action="delete", object_id=str(org.pk)).exists()


def test_api_move_organization_to_new_parent(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    e2 = world.orgs["fz-e2"]
    response = client.patch(f"/api/v1/organizations/{e2.pk}/", {"parent": world.orgs["fz-b2"].pk},
                            content_type="application/json")
    assert response.status_code == 200
    e2.refresh_from_db()
    assert e2.parent == world.orgs["fz-b2"]
    assert e2.path.startswith(world.orgs["fz-b2"].path)


@pytest.mark.parametrize(("payload", "field"), [
    ({"name": "", "type": "branch", "sector": "non_public"}, "name"),
    ({"name": "x", "type": "nonsense", "sector": "non_public"}, "type"),
    ({"name": "x", "type": "branch"}, "sector"),
    ({"name": "x", "type": "branch", "sector": "non_public", "contact_phone": "12345"}, "contact_phone"),
])
def test_bad_payloads_get_field_errors_and_write_nothing(world: Any, client_for: Any, payload: dict[str, Any],
                                                          field: str) -> None:
    client = client_for("staff_fz")
    before = Organization.objects.count(), AuditEvent.objects.count()
    data = {"region": world.regions["fz"].pk, "parent": world.orgs["fz-b2"].pk, **payload}
    response = client.post("/api/v1/organizations/", data, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert (Organization.objects.count(), AuditEvent.objects.count()) == before


def test_member_sensitive_fields_masked_and_reveal_audited(world: Any, client_for: Any) -> None:
    person = world.people["e1-a"]
    staff = client_for("staff_fz")
    body = staff.get(f"/api/v1/members/{person.pk}/").json()
    assert "id_number" not in body
    assert body["id_number_masked"].startswith("3505") and "*" in body["id_number_masked"]
    revealed = staff.post(f"/api/v1/members/{person.pk}/reveal/")
    assert revealed.status_code == 200
    assert revealed.json()["id_number"] == person.id_number
    assert AuditEvent.objects.filter(action="reveal", object_id=str(person.pk), actor=world.users["staff_fz"]).exists()
    # A secretary sees the member but may not unmask; an outsider gets 404.
    assert client_for("secretary_b1").post(f"/api/v1/members/{person.pk}/reveal/").status_code == 403
    assert client_for("staff_jj").post(f"/api/v1/members/{person.pk}/reveal/").status_code == 404


def test_member_create_with_bad_id_checksum(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    response = client.post("/api/v1/members/", {
        "name": "张三", "organization": world.orgs["fz-e1"].pk, "member_status": "full",
        "id_number": "350503199001010010"}, content_type="application/json")
    assert response.status_code == 400
    assert "id_number" in response.json()
    assert not Person.objects.filter(name="张三").exists()


def test_member_duplicate_id_number_refused(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    response = client.post("/api/v1/members/", {
        "name": "重复", "organization": world.orgs["fz-e1"].pk, "member_status": "full",
        "id_number": world.people["e1-a"].id_number}, content_type="application/json")
    assert response.status_code == 400
    assert "id_number" in response.json()


@pytest.mark.parametrize("url", ["/api/v1/organizations/", "/api/v1/members/", "/api/v1/units/",
                                 "/api/v1/regions/", "/api/v1/audit-events/"])
def test_list_query_count_does_not_grow_with_rows(world: Any, client_for: Any, url: str) -> None:
    from organizations import services
    from organizations.choices import MemberStatus, OrganizationType, Sector

    client = client_for("admin")
    client.get(url)  # warm caches (content types, scope)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(15):
        org = services.organization_create(actor=None, data={
            "name": f"批量支部{i}", "type": OrganizationType.BRANCH, "sector": Sector.NON_PUBLIC,
            "region": world.regions["fz"], "parent": world.orgs["fz-b2"]})
        services.person_create(actor=None, data={"name": f"批量{i}", "organization": org,
                                                 "member_status": MemberStatus.FULL})
    client.get(url)  # warm again: the writes invalidated the cached roles (core.authz_cache)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert len(large) <= 8


def test_openapi_schema_validates_without_warnings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null"],
        capture_output=True, text=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Warning" not in result.stderr


def test_api_docs_served_offline(world: Any, client_for: Any) -> None:
    page = client_for("admin").get("/api/docs/").content.decode()
    assert "swagger" in page.lower()
    # Every asset the page loads must come from this server. (A bare "cdn" substring
    # check is flaky: the random CSP nonce can contain those letters.)
    assets = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert assets, page[:500]
    assert all(url.startswith("/") for url in assets), assets
    assert "//cdn" not in page and "https://" not in page
