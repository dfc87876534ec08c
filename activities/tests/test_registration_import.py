"""Registration with capacity, follow-up reminders, the photo API and sweep, the Excel import of past
activities, and relation ids that reveal nothing outside the requester's reach."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import role_assign
from activities import followups, services
from activities.choices import ActivityStatus, RegistrationStatus
from activities.models import Activity, ActivityPhoto, Registration
from conftest import xlsx
from core.models import AuditEvent
from notifications.models import Notification
from organizations import services as org_services
from organizations.choices import PersonKind

from .conftest import at, make_activity
from .test_photos_tokens import picture

JSON = "application/json"


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def person(world: Any, name: str, org: str = "fz-e1") -> Any:
    return org_services.person_create(actor=None, data={"kind": PersonKind.MEMBER, "name": name,
                                                        "organization": world.orgs[org]})


def open_activity(world: Any, capacity: int | None = 2) -> Activity:
    activity = make_activity(world.orgs["fz-e1"], starts=at(days=3), capacity=capacity)
    return services.activity_open(actor=None, activity=activity)


# Registration --------------------------------------------------------------------------------------------------


def test_registration_respects_status_capacity_and_is_once_per_person(world: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"], starts=at(days=3), capacity=2)
    member = world.users["member"]
    with pytest.raises(ValidationError, match="registration is not open"):
        services.register(actor=member, activity=activity)
    services.activity_open(actor=None, activity=activity)
    mine = services.register(actor=member, activity=activity)
    assert mine.person == world.people["e1-a"] and mine.organization == world.orgs["fz-e1"]
    with pytest.raises(ValidationError, match="already registered"):
        services.register(actor=member, activity=activity)
    services.register(actor=world.users["staff_fz"], activity=activity, person=world.people["e1-b"])
    with pytest.raises(ValidationError, match="full: all 2 places"):
        services.register(actor=world.users["staff_fz"], activity=activity, person=person(world, "成员丙"))
    assert Registration.objects.filter(activity=activity).count() == 2  # the refusal wrote nothing
    services.unregister(actor=member, registration=mine)  # frees the place …
    third = services.register(actor=world.users["staff_fz"], activity=activity, person=person(world, "成员丁"))
    assert third.status == RegistrationStatus.REGISTERED
    with pytest.raises(ValidationError, match="full"):  # … which is now taken again
        services.register(actor=member, activity=activity)
    assert AuditEvent.objects.filter(object_type="activities.registration").count() == 4


def test_who_may_register_whom(world: Any) -> None:
    activity = open_activity(world, capacity=None)
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):  # a member registers only themselves
        services.register(actor=world.users["member"], activity=activity, person=world.people["e1-b"])
    with pytest.raises(ValidationError, match="not linked to a person"):
        services.register(actor=world.users["staff_fz"], activity=activity)
    with pytest.raises(ValidationError, match="Choose a person from the list"):  # another district's member
        services.register(actor=world.users["staff_fz"], activity=activity, person=world.people["jj-a"])
    row = services.register(actor=world.users["staff_fz"], activity=activity, person=world.people["e1-b"])
    with pytest.raises(PermissionDenied):  # and cancels only their own
        services.unregister(actor=world.users["member"], registration=row)


def test_registration_closes_at_the_start_and_cancelling_tells_the_registered(world: Any) -> None:
    activity = open_activity(world)
    row = services.register(actor=world.users["member"], activity=activity)
    with pytest.raises(ValidationError, match="Registration closed"):
        services.register(actor=world.users["staff_fz"], activity=activity, person=world.people["e1-b"],
                          now=activity.starts_at)
    with pytest.raises(ValidationError, match="stays on record"):
        services.unregister(actor=world.users["member"], registration=row, now=activity.starts_at)
    services.activity_cancel(actor=world.users["staff_fz"], activity=activity, reason="台风预警")
    note = Notification.objects.get(user=world.users["member"], kind="activities.cancelled")
    assert activity.theme in note.title and "台风预警" in note.body


def test_registered_people_are_preselected_for_marking_present(world: Any, client_for: Any) -> None:
    activity = open_activity(world)
    services.register(actor=world.users["member"], activity=activity)
    Activity.objects.filter(pk=activity.pk).update(starts_at=at(hours=-1), ends_at=at(hours=1))
    page = client_for("staff_fz").get(f"/activities/{activity.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'value="{world.people["e1-a"].pk}" selected' in page


def test_registration_in_the_ui(world: Any, client_for: Any) -> None:
    activity = open_activity(world, capacity=1)
    member = client_for("member")
    page = member.get(f"/activities/{activity.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="register-me"' in page and "1 place" in page
    member.post(f"/activities/{activity.pk}/do/register/")
    page = member.get(f"/activities/{activity.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You are registered." in page and "Full" in page
    assert "成员e1-a" not in page  # names are for the hosts
    staff_page = client_for("staff_fz").get(f"/activities/{activity.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "成员e1-a" in staff_page.content.decode()
    staff = client_for("staff_fz")
    response = staff.post(f"/activities/{activity.pk}/do/register/", {"person": world.people["e1-b"].pk},
                          HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "The activity is full" in response.content.decode()
    row = Registration.objects.get(activity=activity)
    member.post(f"/activities/{activity.pk}/do/unregister/", {"registration": row.pk})
    row.refresh_from_db()
    assert row.status == RegistrationStatus.CANCELLED


def test_registration_api(world: Any, client_for: Any) -> None:
    activity = open_activity(world, capacity=1)
    url = f"/api/v1/activities/{activity.pk}/registrations/"
    member = client_for("member")
    made = member.post(url, {}, content_type=JSON)
    assert made.status_code == 201 and made.json()["person"] == world.people["e1-a"].pk
    full = client_for("staff_fz").post(url, {"person": world.people["e1-b"].pk}, content_type=JSON,
                                       HTTP_ACCEPT_LANGUAGE="en")
    assert full.status_code == 400 and "full" in str(full.json())
    assert client_for("staff_fz").get(url).json()["count"] == 1
    assert client_for("auditor").get(url).json()["count"] == 0  # sees the activity, not the names
    gone = member.post(f"/api/v1/activities/{activity.pk}/unregister/", {"registration": made.json()["id"]},
                       content_type=JSON)
    assert gone.status_code == 200 and gone.json()["status"] == "cancelled"
    assert client_for("staff_jj").get(url).status_code == 404


# Follow-up reminders ---------------------------------------------------------------------------------------------


def test_followup_reminders_go_once_when_due_and_once_when_overdue(world: Any) -> None:
    owner_secretary = User.objects.create_user(username="sec_e2", password="x-Correct-Horse-42")
    role_assign(actor=None, user=owner_secretary, role=Role.SECRETARY, organization=world.orgs["fz-e2"])
    lead_secretary = User.objects.create_user(username="sec_e1", password="x-Correct-Horse-42")
    role_assign(actor=None, user=lead_secretary, role=Role.SECRETARY, organization=world.orgs["fz-e1"])
    activity = make_activity(world.orgs["fz-e1"])
    today = dt.date(2026, 5, 10)
    item = services.followup_add(actor=None, activity=activity, title="对接招聘", owner_organization=world.orgs["fz-e2"],
                                 due_on=today + dt.timedelta(days=5))
    services.followup_add(actor=None, activity=activity, title="无期限事项", owner_organization=world.orgs["fz-e2"])
    assert followups.send_followup_reminders(today) == 0  # not due within 3 days yet
    assert followups.send_followup_reminders(today + dt.timedelta(days=2)) == 1
    note = Notification.objects.get(user=owner_secretary)
    assert "对接招聘" in note.title and note.url == activity.get_absolute_url()
    assert not Notification.objects.filter(user=lead_secretary).exists()  # "due soon" goes to the owner
    assert followups.send_followup_reminders(today + dt.timedelta(days=4)) == 0  # once
    assert followups.send_followup_reminders(today + dt.timedelta(days=6)) == 1  # overdue: owner and lead host
    assert Notification.objects.filter(user=owner_secretary).count() == 2
    assert Notification.objects.filter(user=lead_secretary).count() == 1
    assert followups.send_followup_reminders(today + dt.timedelta(days=9)) == 0
    services.followup_complete(actor=None, item=item, result="已对接")
    item.refresh_from_db()
    assert item.reminded_overdue_on == today + dt.timedelta(days=6)


# Photos through the API, and the sweep -----------------------------------------------------------------------------


def test_photo_upload_through_the_api(world: Any, client_for: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"])
    url = f"/api/v1/activities/{activity.pk}/photos/"
    client = client_for("staff_fz")
    ok = client.post(url, {"photo": SimpleUploadedFile("a.jpg", picture()), "caption": "合影"})
    assert ok.status_code == 201, ok.json()
    assert ok.json()["caption"] == "合影" and ok.json()["url"].endswith(f"/photos/{ok.json()['id']}/")
    fake = client.post(url, {"photo": SimpleUploadedFile("b.jpg", b"<html>not a photo</html>")},
                       HTTP_ACCEPT_LANGUAGE="en")
    assert fake.status_code == 400 and "This file is not a photo" in fake.json()["photo"][0]
    assert client_for("member").post(url, {"photo": SimpleUploadedFile("c.jpg", picture())}).status_code == 403
    assert client_for("staff_jj").get(url).status_code == 404  # another district
    assert [p["id"] for p in client.get(url).json()] == [ok.json()["id"]]
    assert ActivityPhoto.objects.count() == 1


def test_sweep_removes_files_without_a_row(world: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"])
    raw = picture()
    kept = services.photo_add(actor=None, activity=activity, upload=SimpleUploadedFile("a.jpg", raw), size=len(raw))
    orphan = Path(kept.image.path).with_name("orphan.jpg")
    orphan.write_bytes(b"x")
    fresh = Path(kept.image.path).with_name("fresh.jpg")
    fresh.write_bytes(b"x")
    now = time.time()  # the sweep's clock, which is not the file system's when the clock is shifted (faketime)
    os.utime(fresh, (now, now))
    old = now - 2 * 86400
    for path in (orphan, Path(kept.image.path)):
        os.utime(path, (old, old))
    assert services.photo_sweep_orphans() == 1
    assert not orphan.exists() and fresh.exists() and Path(kept.image.path).exists()


# Import of past activities -----------------------------------------------------------------------------------------

HEADERS = ["类别", "主题", "开始时间", "结束时间", "地点", "牵头主办单位", "联办单位", "系列", "会议记录", "成效"]


def _import(client: Any, content: bytes) -> Any:
    upload = io.BytesIO(content)
    upload.name = "活动台账.xlsx"
    return client.post("/activities/import/activities/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_import_past_activities_all_or_nothing_and_idempotent(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    assert 'href="/activities/import/activities/"' in client.get("/activities/").content.decode()
    template = client.get("/activities/import/activities/", {"template": 1}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert template.status_code == 200
    past = dt.datetime(2026, 3, 5, 14, 30)  # noqa: DTZ001  (a spreadsheet cell: wall-clock time, no zone)
    good = [["支委会", "研究发展党员", past, None, "党员活动室", "fz-e1", "", "", "讨论了……", ""],
            ["主题党日", "重温入党誓词", past + dt.timedelta(days=3), past + dt.timedelta(days=3, hours=1), "",
             world.orgs["fz-b1"].name, "fz-e2", "", "", ""]]
    future = timezone.localtime().replace(tzinfo=None) + dt.timedelta(days=30)  # a cell: wall-clock time
    bad = [*good, ["党课", "未来的党课", future, None, "", "fz-e1", "", "", "", ""],
           ["党课", "别区的党课", past, None, "", "jj-e1", "", "不存在的系列", "", ""],
           ["茶话会", "错误类型", past, None, "", "fz-e1", "", "", "", ""]]
    response = _import(client, xlsx(HEADERS, bad))
    page = response.content.decode()
    assert response.status_code == 400
    assert "只能导入已经举行的活动" in page and "不存在的系列" in page and "jj-e1" in page
    assert "<tr><td>6</td><td>类别</td>" in page  # an unknown kind, reported with its row and column
    assert not Activity.objects.exists()
    assert _import(client, xlsx(HEADERS, good)).status_code == 200
    recorded = Activity.objects.get(theme="研究发展党员")
    assert recorded.status == ActivityStatus.RECORDED and recorded.kind == "committee_meeting"
    assert recorded.ends_at - recorded.starts_at == dt.timedelta(hours=2)
    held = Activity.objects.get(theme="重温入党誓词")
    assert held.status == ActivityStatus.HELD
    assert {o.code for o in held.hosts.all()} == {"fz-b1", "fz-e2"}
    assert _import(client, xlsx(HEADERS, good)).status_code == 200  # again: nothing new
    assert Activity.objects.count() == 2
    assert AuditEvent.objects.filter(action="import", object_type="activities.activity").count() == 2
    assert client_for("member").get("/activities/import/activities/").status_code == 403


# Relation ids reveal nothing ------------------------------------------------------------------------------------


def test_out_of_scope_ids_get_the_same_answer_as_missing_ones(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    starts = at(days=2)
    payload = {"kind": "forum", "theme": "论坛", "starts_at": starts.isoformat(),
               "ends_at": (starts + dt.timedelta(hours=1)).isoformat(), "lead": world.orgs["fz-e1"].pk}
    other = client.post("/api/v1/activities/", {**payload, "co_hosts": [world.orgs["jj-root"].pk]},
                        content_type=JSON, HTTP_ACCEPT_LANGUAGE="en").json()
    missing = client.post("/api/v1/activities/", {**payload, "co_hosts": [999999]},
                          content_type=JSON, HTTP_ACCEPT_LANGUAGE="en").json()
    assert str(other["co_hosts"]).replace(str(world.orgs["jj-root"].pk), "N") == \
        str(missing["co_hosts"]).replace("999999", "N")
    activity = make_activity(world.orgs["fz-e1"])
    marked = client.post(f"/api/v1/activities/{activity.pk}/attendance/", {"people": [world.people["jj-a"].pk]},
                         content_type=JSON, HTTP_ACCEPT_LANGUAGE="en")
    assert marked.status_code == 400 and "does not exist" in str(marked.json())


def test_cancelling_tells_each_registered_person_in_their_language(world: Any) -> None:
    activity = open_activity(world)
    services.register(actor=world.users["member"], activity=activity)
    world.users["member"].language = "en"
    world.users["member"].save(update_fields=["language"])
    services.activity_cancel(actor=world.users["staff_fz"], activity=activity, reason="台风预警")
    note = Notification.objects.get(user=world.users["member"], kind="activities.cancelled")
    assert note.title == f"Cancelled: {activity.theme}"
    assert note.body.startswith("The activity of ") and note.body.endswith("Reason: 台风预警")
