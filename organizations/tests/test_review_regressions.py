"""Regression tests for defects found in review: scope escalation through imports, forms and the API; unaudited
sensitive changes; 500s on protected deletes and on save-phase import errors; leaks in exports."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from conftest import xlsx
from core.models import AuditEvent
from core.tree import MAX_DEPTH, move_subtree
from organizations import services
from organizations.models import Organization, Unit

ORG_HEADERS = ["Organization name", "Organization code", "Organization type", "Parent organization", "Region code",
               "Sector"]


def upload(client: Any, kind: str, content: bytes) -> Any:
    client.cookies["django_language"] = "en"
    return client.post(f"/organizations/import/{kind}/", {"file": SimpleUploadedFile("x.xlsx", content)})


def test_import_cannot_take_over_an_organization_outside_scope(world: Any, client_for: Any) -> None:
    content = xlsx(ORG_HEADERS, [["hijacked", "jj-root", "Party committee", "fz-b1", "350503", "Park"]])
    response = upload(client_for("secretary_b1"), "organizations", content)
    assert response.status_code == 400
    jj = Organization.objects.get(code="jj-root")
    assert (jj.name, jj.parent_id, jj.region_id) == ("锦江区商圈党委", None, world.regions["jj"].pk)


def test_saving_an_unrelated_field_keeps_an_out_of_scope_parent(world: Any, client_for: Any) -> None:
    b1 = world.orgs["fz-b1"]
    client = client_for("secretary_b1")
    form = client.get(f"/organizations/{b1.pk}/edit/").context["form"]
    parent_value = form.initial.get("parent", form.instance.parent_id)
    response = client.post(f"/organizations/{b1.pk}/edit/", {
        "name": "一号楼联合党总支（新）", "type": "general_branch", "sector": "building",
        "region": world.regions["fz"].pk, "parent": parent_value})
    assert response.status_code == 302
    b1.refresh_from_db()
    assert b1.parent_id == world.orgs["fz-root"].pk
    assert b1.depth == 2


def test_api_cannot_move_to_top_level_without_region_rights(world: Any, client_for: Any) -> None:
    e1 = world.orgs["fz-e1"]
    response = client_for("secretary_b1").patch(f"/api/v1/organizations/{e1.pk}/", {"parent": None},
                                                content_type="application/json")
    assert response.status_code == 403
    e1.refresh_from_db()
    assert e1.parent_id == world.orgs["fz-b1"].pk


def test_writes_cannot_push_records_out_of_the_writers_scope(world: Any, client_for: Any) -> None:
    unit = client_for("secretary_b1").post("/api/v1/units/", {
        "name": "外区单位", "kind": "private", "region": world.regions["jj"].pk}, content_type="application/json")
    assert unit.status_code == 400
    assert not Unit.objects.filter(name="外区单位").exists()
    moved = client_for("staff_fz").patch(f"/api/v1/organizations/{world.orgs['fz-e2'].pk}/",
                                         {"region": world.regions["jj"].pk}, content_type="application/json")
    assert moved.status_code == 400
    assert Organization.objects.get(code="fz-e2").region == world.regions["fz"]


def test_changing_hidden_digits_of_a_phone_is_audited(world: Any) -> None:
    person = world.people["e1-a"]
    services.person_update(actor=None, person=person, data={"phone": "13800000010"})
    before = AuditEvent.objects.count()
    services.person_update(actor=None, person=person, data={"phone": "13899990010"})  # same mask: 138****0010
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == before + 1
    assert event.changes["phone"] == ["138****0010", "138****0010"]


def test_deleting_an_organization_that_scopes_a_role_is_a_clear_error(world: Any, client_for: Any) -> None:
    b1 = world.orgs["fz-b1"]
    response = client_for("staff_fz").delete(f"/api/v1/organizations/{b1.pk}/")
    assert response.status_code == 400
    assert Organization.objects.filter(pk=b1.pk).exists()


def test_save_phase_import_errors_are_reported_not_500(world: Any, client_for: Any) -> None:
    rows = [["同名支部", "D-1", "Branch", "fz-b2", "350503", "Non-public enterprise"],
            ["同名支部", "D-2", "Branch", "fz-b2", "350503", "Non-public enterprise"]]
    response = upload(client_for("staff_fz"), "organizations", xlsx(ORG_HEADERS, rows))
    assert response.status_code == 400
    assert [e.row for e in response.context["result"].errors] == [3]
    assert not Organization.objects.filter(code__in=["D-1", "D-2"]).exists()


def test_parent_in_file_by_name_resolves_to_that_row(world: Any, client_for: Any) -> None:
    services.organization_create(actor=None, data={"name": "Foo", "type": "branch", "sector": "park",
                                                   "region": world.regions["jj"], "parent": world.orgs["jj-root"]})
    rows = [["Foo", "", "General branch", "fz-b1", "350503", "Building"],
            ["Foo child", "", "Branch", "Foo", "350503", "Non-public enterprise"]]
    response = upload(client_for("staff_fz"), "organizations", xlsx(ORG_HEADERS, rows))
    assert response.status_code == 200, [(e.row, e.message) for e in response.context["result"].errors]
    child = Organization.objects.get(name="Foo child")
    assert child.parent.parent == world.orgs["fz-b1"]


def test_export_hides_parents_outside_scope(world: Any, client_for: Any) -> None:
    content = client_for("secretary_b1").post("/organizations/", {"export": "xlsx"}).content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True))
    b1_row = next(r for r in rows if r[0] == world.orgs["fz-b1"].name)
    assert b1_row[3] in ("", None)
    assert world.orgs["fz-root"].name not in {r[3] for r in rows}


def test_export_with_invalid_filter_is_refused(world: Any, client_for: Any) -> None:
    response = client_for("staff_fz").post("/organizations/?type=nonsense", {"export": "xlsx"})
    assert response.status_code == 400


def test_move_rechecks_cycles_with_stale_instances(world: Any) -> None:
    e2, b2 = world.orgs["fz-e2"], world.orgs["fz-b2"]
    stale_b2, stale_e2 = Organization.objects.get(pk=b2.pk), Organization.objects.get(pk=e2.pk)
    services.organization_move(actor=None, organization=e2, new_parent=b2)
    with pytest.raises(ValidationError):
        move_subtree(stale_b2, stale_e2)  # stale_e2.path predates the first move
    b2.refresh_from_db()
    assert b2.parent_id == world.orgs["fz-root"].pk


def test_move_refuses_exceeding_max_depth(world: Any) -> None:
    parent = world.orgs["jj-e1"]
    for i in range(MAX_DEPTH - parent.depth):
        parent = services.organization_create(actor=None, data={"name": f"深{i}", "type": "branch",
                                                                "sector": "park", "region": world.regions["jj"],
                                                                "parent": parent})
    with pytest.raises(ValidationError):
        services.organization_move(actor=None, organization=world.orgs["fz-b1"], new_parent=parent)


def test_admin_audit_never_stores_password_hashes(world: Any) -> None:
    from core import audit

    event = audit.record_create(None, world.users["staff_fz"])
    assert "password" not in event.changes
    assert "last_login" not in event.changes


def test_reveal_is_not_cached(world: Any, client_for: Any) -> None:
    response = client_for("staff_fz").post(f"/api/v1/members/{world.people['e1-a'].pk}/reveal/")
    assert "no-store" in response["Cache-Control"]


def test_alliance_admins_do_not_get_add_or_import(world: Any, client: Any) -> None:
    from accounts.models import Role, User
    from accounts.services import role_assign
    from alliances.services import alliance_create

    alliance = alliance_create(actor=None, data={"name": "A", "kind": "other"}, regions=[world.regions["fz"]])
    user = User.objects.create_user(username="aa", password="Correct-Horse-42")
    role_assign(actor=None, user=user, role=Role.ALLIANCE_ADMIN, alliance=alliance)
    client.force_login(user)
    assert client.get("/organizations/add/").status_code == 403
    assert client.get("/organizations/import/units/").status_code == 403


def test_unit_credit_code_normalised_in_every_path(world: Any, client_for: Any) -> None:
    short = client_for("staff_fz").post("/api/v1/units/", {"name": "短码", "kind": "private", "credit_code": "short",
                                                           "region": world.regions["fz"].pk},
                                        content_type="application/json")
    assert short.status_code == 400
    ok = client_for("staff_fz").post("/api/v1/units/", {
        "name": "小写码", "kind": "private", "credit_code": "91350503ma0000009z", "region": world.regions["fz"].pk},
        content_type="application/json")
    assert ok.status_code == 201
    assert Unit.objects.get(name="小写码").credit_code == "91350503MA0000009Z"
