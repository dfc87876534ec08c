"""The bell, the notification list, the settings page and the API: each user reads only their own."""

from __future__ import annotations

from typing import Any

from core.models import AuditEvent
from notifications.kinds import declare
from notifications.models import MailMode, Notification, Preference, Subscriber
from notifications.services import notify

KIND = declare("tests.view_notice", "A test notice", "Tests")


def test_the_list_shows_only_mine_and_marks_them_read(world: Any, client_for: Any) -> None:
    mine = notify([world.users["staff_fz"]], kind=KIND, title="For staff_fz")[0]
    notify([world.users["staff_jj"]], kind=KIND, title="For staff_jj")
    client = client_for("staff_fz")
    page = client.get("/").content.decode()
    assert 'data-testid="notifications"' in page
    response = client.get("/notifications/?unread=1")
    assert "For staff_fz" in response.content.decode() and "For staff_jj" not in response.content.decode()
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "For staff_fz" not in client.get("/notifications/?unread=1").content.decode()
    notify([world.users["staff_fz"]], kind=KIND, title="Another")
    assert client.post("/notifications/").status_code == 302
    assert not Notification.objects.filter(user=world.users["staff_fz"], read_at=None).exists()


def test_the_api_lists_and_marks_only_mine(world: Any, client_for: Any) -> None:
    mine = notify([world.users["staff_fz"]], kind=KIND, title="For staff_fz")[0]
    theirs = notify([world.users["staff_jj"]], kind=KIND, title="For staff_jj")[0]
    client = client_for("staff_fz")
    body = client.get("/api/v1/notifications/?unread=true").json()
    assert [row["title"] for row in body["results"]] == ["For staff_fz"]
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert client_for("admin").get(f"/api/v1/notifications/{mine.pk}/").status_code == 404  # even an admin
    marked = client.post("/api/v1/notifications/read/", {"ids": [mine.pk, theirs.pk]}, content_type="application/json")
    assert marked.json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    bad = client.post("/api/v1/notifications/read/", {"ids": ["x"]}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "ids.0"


def test_settings_page_switches_kinds_off_per_channel(world: Any, client_for: Any, settings: Any) -> None:
    settings.NOTIFICATION_CHANNELS = {"email": {"BACKEND": "notifications.channels.EmailChannel"}}
    client = client_for("secretary_b1")
    page = client.get("/notifications/settings/").content.decode()
    assert 'value="demands.assigned:email"' in page and "checked" in page
    on = [f"{key}:email" for key in ("demands.assigned", "demands.mentioned")]
    assert client.post("/notifications/settings/", {"on": on, "mode": MailMode.DAILY}).status_code == 302
    muted = set(Preference.objects.filter(user=world.users["secretary_b1"]).values_list("kind", flat=True))
    assert "demands.submitted" in muted and "demands.assigned" not in muted
    assert Subscriber.objects.get(user=world.users["secretary_b1"]).mode == MailMode.DAILY
    assert AuditEvent.objects.filter(object_type="notifications.preference",
                                     actor=world.users["secretary_b1"]).count() == 1


def test_without_channels_the_settings_page_says_so(world: Any, client_for: Any, settings: Any) -> None:
    settings.NOTIFICATION_CHANNELS = {}
    page = client_for("member").get("/notifications/settings/").content.decode()
    assert "本平台未配置站外渠道" in page


def test_the_list_and_the_api_read_in_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("staff_fz")
    client.get("/notifications/")  # the caches warm

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx)

    notify([world.users["staff_fz"]], kind=KIND, title="One")
    few = queries("/notifications/"), queries("/api/v1/notifications/")
    for n in range(20):
        notify([world.users["staff_fz"]], kind=KIND, title=f"More {n}")
    assert (queries("/notifications/"), queries("/api/v1/notifications/")) == few
