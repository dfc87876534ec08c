"""Resources: who offers, sees and changes them, withdrawing, the Excel import (all-or-nothing, re-import) and
export."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from core.models import AuditEvent
from demands import resources
from demands.choices import ResourceStatus
from demands.importers import ResourceImporter
from demands.models import Resource

from .conftest import offer


def names(user: Any) -> set[str]:
    return set(Resource.objects.restrict(user).values_list("title", flat=True))


def test_who_sees_and_changes_a_resource(world: Any, alliances: Any) -> None:
    own = offer(world, "fz-b1", actor=world.users["secretary_b1"], title="一号楼会议室")
    shared = offer(world, "jj-e1", title="锦江商圈直播间", kind="channel", alliance=alliances["cross"])
    offer(world, "jj-e1", title="锦江本地场地")
    assert own.created_by == world.users["secretary_b1"]
    # Fengze staff reach fz-b2, a member of the cross-regional alliance: they see what is shared with it, not
    # Jinjiang's own resources
    assert names(world.users["staff_fz"]) == {"一号楼会议室", "锦江商圈直播间"}
    assert names(world.users["staff_jj"]) == {"锦江商圈直播间", "锦江本地场地"}
    assert names(world.users["secretary_b1"]) == {"一号楼会议室"}
    # fz-b2 is a member of the cross-regional alliance: its people see what is shared with the alliance
    from accounts.models import Role, User
    from accounts.services import role_assign
    b2 = User.objects.create_user(username="secretary_b2", password="Correct-Horse-42")
    role_assign(actor=None, user=b2, role=Role.SECRETARY, organization=world.orgs["fz-b2"])
    assert "锦江商圈直播间" in names(b2)
    # … but seeing is not changing
    with pytest.raises(PermissionDenied):
        resources.resource_update(actor=b2, resource=shared, data={"title": "改名"})
    with pytest.raises(PermissionDenied):
        resources.resource_withdraw(actor=world.users["staff_jj"], resource=own)
    assert names(world.users["member"]) == set() and names(world.users["norole"]) == set()


def test_offering_for_an_organization_out_of_scope_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError, match="outside your scope"):
        offer(world, "jj-e1", actor=world.users["secretary_b1"])
    assert not Resource.objects.exists()


def test_withdraw_and_offer_again_are_audited(world: Any) -> None:
    staff = world.users["staff_fz"]
    resource = offer(world, actor=staff, contact_phone="13912345678")
    resources.resource_withdraw(actor=staff, resource=resource, reason="场地装修")
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.WITHDRAWN and resource.withdraw_reason == "场地装修"
    with pytest.raises(ValidationError, match="already withdrawn"):
        resources.resource_withdraw(actor=staff, resource=resource)
    resources.resource_restore(actor=staff, resource=resource)
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.ACTIVE and resource.withdrawn_at is None
    events = AuditEvent.objects.filter(object_type="demands.resource", object_id=str(resource.pk))
    assert list(events.order_by("id").values_list("action", flat=True)) == ["create", "update", "update"]
    assert "13912345678" not in str(events.get(action="create").changes)
    with pytest.raises(ValidationError, match="availability must not be before"):
        resources.resource_update(actor=staff, resource=resource, data={
            "available_from": resource.created_at.date(), "available_until": resource.created_at.date() - dt.timedelta(days=365)})


def workbook(rows: list[list[Any]], header: list[str] | None = None) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(header or ["标题", "类型", "描述", "提供组织", "所在地区", "容量", "开放开始", "开放结束", "联系电话"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


HEADER_EN = ["Title", "Kind", "Description", "Offering organization", "Region", "Capacity", "Available from",
             "Available until", "Contact phone"]


def run_import(world: Any, rows: list[list[Any]]) -> Any:
    data = workbook(rows, HEADER_EN)
    return ResourceImporter(world.users["staff_fz"]).run(data, "resources.xlsx", len(data.getvalue()))


def test_import_is_all_or_nothing_and_idempotent(world: Any) -> None:
    good = ["一号楼会议室", "场地", "可容纳40人", "fz-b1", "350503", 40, "2026-01-01", "2026-12-31", "13900001111"]
    bad = [
        ["律师志愿服务", "法律", "每周三免费法律咨询", "fz-b1", "350503", None, None, None, ""],   # unknown kind
        ["锦江直播间", "channel", "直播带货", "jj-e1", "510104", None, None, None, ""],          # out of scope
        ["培训课程", "training", "电商培训", "fz-b1", "999999", None, None, None, ""],           # unknown region
        ["场地B", "venue", "小会议室", "fz-b2", "350503", -3, "2026-05-01", "2026-04-01", "12"],  # several problems
    ]
    result = run_import(world, [good, *bad])
    assert not result.ok and not Resource.objects.exists()
    problems = {(e.row, e.column) for e in result.errors}
    assert {(3, "Kind"), (4, "Offering organization"), (5, "Region"), (6, "Capacity"), (6, "Available until"),
            (6, "Contact phone")} <= problems
    result = run_import(world, [good, ["志愿服务队", "志愿者", "20名志愿者", "一号楼联合党总支", "丰泽区", 20, None,
                                       None, ""]])
    assert result.ok and result.created == 2
    resource = Resource.objects.get(title="一号楼会议室")
    assert resource.kind == "venue" and resource.capacity == 40 and resource.contact_phone == "13900001111"
    again = run_import(world, [good])
    assert again.ok and again.created == 0 and again.unchanged == 1 and Resource.objects.count() == 2


def test_resource_pages_and_export(world: Any, client_for: Any) -> None:
    offer(world, contact_phone="13912345678")
    staff = client_for("staff_fz")
    page = staff.get("/demands/resources/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "党群服务中心多功能厅" in page and "/demands/import/resources/" in page
    export = staff.post("/demands/resources/?kind=venue", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == 2 and sheet.cell(2, 1).value == "党群服务中心多功能厅"
    assert "13912345678" not in str(list(sheet.values))
    assert client_for("staff_jj").get("/demands/resources/").content.decode().count("多功能厅") == 0
    made = staff.post("/demands/resources/add/", {"title": "", "kind": "venue"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Give the resource a short title." in made.content.decode()
    made = staff.post("/demands/resources/add/", {
        "title": "法律顾问团", "kind": "expert", "description": "三名律师每月坐班一次", "organization": world.orgs["fz-b1"].pk,
        "provider_kind": "unit", "provider_name": "某律师事务所", "region": world.regions["fz"].pk})
    resource = Resource.objects.get(title="法律顾问团")
    assert made.status_code == 302 and resource.provider_name == "某律师事务所"
    detail = staff.get(resource.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="withdraw"' in detail
    staff.post(f"/demands/resources/{resource.pk}/do/withdraw/", {"reason": "律师所退出"})
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.WITHDRAWN
    assert client_for("staff_jj").get(resource.get_absolute_url()).status_code == 404
