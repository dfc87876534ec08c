"""notify(): once per recipient and event, in each recipient's language, delivered beyond the platform by the task
backend after the transaction commits, as each user asked."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from accounts.models import Role
from accounts.services import role_assign
from core.models import AuditEvent
from notifications import services
from notifications.kinds import KINDS, declare
from notifications.models import Delivery, DeliveryStatus, MailMode, Notification, Subscriber
from notifications.services import Say, notify
from notifications.tasks import MAX_ATTEMPTS, deliver, send_digests

KIND = declare("tests.notice", "A test notice", "Tests")
EMAIL_ONLY = {"email": {"BACKEND": "notifications.channels.EmailChannel"}}


class BrokenChannel:
    """A gateway that is down (a stand-in for an external service, not for our own database)."""

    label = "broken"

    def __init__(self, key: str, label: str = "", **options: Any) -> None:
        self.key = key

    def address(self, user: Any) -> str:
        return "13800000000"

    def send(self, address: str, subject: str, text: str) -> None:
        raise OSError("gateway unreachable")


def _worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO(), stderr=StringIO())


def test_once_per_recipient_and_event_never_the_actor_nor_the_inactive(world: Any) -> None:
    staff, secretary = world.users["staff_fz"], world.users["secretary_b1"]
    role_assign(actor=None, user=secretary, role=Role.SECRETARY, organization=world.orgs["fz-b2"])  # two roles
    world.users["staff_jj"].is_active = False
    users = [staff, secretary, secretary, world.users["staff_jj"], world.users["admin"]]
    rows = notify(users, kind=KIND, title="Hello", event="thing:1", actor=world.users["admin"])
    assert sorted(r.user_id for r in rows) == sorted([staff.pk, secretary.pk])
    again = notify(users, kind=KIND, title="Hello", event="thing:1", actor=world.users["admin"])
    assert again == []  # the same event again: nobody twice
    assert Notification.objects.filter(event="thing:1").count() == 2
    assert len(notify([staff], kind=KIND, title="Hello again")) == 1  # no event: may repeat


@pytest.mark.parametrize(("language", "expected"), [("en", "Cancelled: Party day"), ("zh-hans", "活动取消：Party day"),
                                                ("", "活动取消：Party day")])
def test_each_recipient_reads_it_in_their_language(world: Any, language: str, expected: str) -> None:
    user, other = world.users["staff_fz"], world.users["staff_jj"]  # other: no language chosen, the platform's
    user.language = language
    notify([user, other], kind=KIND, title=Say(gettext_lazy("Cancelled: %(theme)s"), theme="Party day"))
    assert Notification.objects.get(user=user).title == expected
    assert Notification.objects.get(user=other).title == "活动取消：Party day"


@pytest.mark.django_db(transaction=True)
def test_mail_goes_out_through_the_task_backend_after_commit(world: Any, settings: Any) -> None:
    settings.NOTIFICATION_CHANNELS = EMAIL_ONLY
    settings.SITE_URL = "https://lm.example.org"
    staff = world.users["staff_fz"]
    staff.email = "staff@example.org"
    staff.save()
    with transaction.atomic():
        notify([staff, world.users["staff_jj"]], kind=KIND, title="New demand", body="Look", url="/demands/1/")
        assert not DBTaskResult.objects.exists()  # nothing is queued, let alone sent, before the commit
    [delivery] = Delivery.objects.all()  # staff_jj has no address: the bell only
    assert (delivery.channel, delivery.address, delivery.status) == ("email", "staff@example.org", "pending")
    assert DBTaskResult.objects.count() == 1 and mail.outbox == []
    _worker()
    [message] = mail.outbox
    assert message.to == ["staff@example.org"] and message.subject == "New demand"
    assert "https://lm.example.org/demands/1/" in message.body
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1
    assert deliver([delivery.pk]) == {"sent": 0, "failed": 0}  # run twice: sent once


def test_a_refusing_gateway_is_retried_then_marked_failed(world: Any, settings: Any) -> None:
    settings.NOTIFICATION_CHANNELS = {"sms": {"BACKEND": "notifications.tests.test_notify.BrokenChannel"}}
    notify([world.users["staff_fz"]], kind=KIND, title="Hello")
    delivery = Delivery.objects.get()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert deliver() == {"sent": 0, "failed": 1}
        delivery.refresh_from_db()
        assert delivery.attempts == attempt and "gateway unreachable" in delivery.error
    assert delivery.status == DeliveryStatus.FAILED
    assert deliver() == {"sent": 0, "failed": 0}
    assert Notification.objects.filter(user=world.users["staff_fz"]).count() == 1  # the bell keeps it


def test_muted_kinds_and_the_daily_digest(world: Any, settings: Any) -> None:
    settings.NOTIFICATION_CHANNELS = EMAIL_ONLY
    staff, other = world.users["staff_fz"], world.users["staff_jj"]
    for user, address in ((staff, "staff@example.org"), (other, "other@example.org")):
        user.email = address
        user.language = "en"
        user.save()
    assert services.preferences_set(actor=staff, muted=[(KIND.key, "email")], mode=MailMode.EACH)
    assert services.preferences_set(actor=other, muted=[], mode=MailMode.DAILY)
    assert not services.preferences_set(actor=other, muted=[("no.such.kind", "email")], mode=MailMode.DAILY)
    assert AuditEvent.objects.filter(object_type="notifications.preference").count() == 2
    notify([staff, other], kind=KIND, title="First", url="/a/")
    notify([staff, other], kind=KIND, title="Second")
    assert not Delivery.objects.filter(notification__user=staff).exists()  # muted: the bell only
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DIGEST}
    assert deliver() == {"sent": 0, "failed": 0}  # a digest is not sent one by one
    assert send_digests() == 1
    [message] = mail.outbox
    assert message.to == ["other@example.org"] and message.subject == "Lianmeng: 2 notifications"
    assert "· First" in message.body and "· Second" in message.body
    assert send_digests() == 0
    assert Subscriber.objects.get(user=other).digest_sent_at is not None


def test_file_channel_reaches_the_members_phone(world: Any, settings: Any, tmp_path: Path) -> None:
    out = tmp_path / "sms.jsonl"
    settings.NOTIFICATION_CHANNELS = {"sms": {"BACKEND": "notifications.channels.FileChannel",
                                              "OPTIONS": {"path": str(out)}}}
    member = world.users["member"]  # linked to 成员e1-a, whose phone is kept encrypted
    notify([member, world.users["staff_fz"]], kind=KIND, title="Hello")  # staff_fz has no member record
    assert deliver() == {"sent": 1, "failed": 0}
    [line] = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(line) == {"channel": "sms", "to": world.people["e1-a"].phone, "subject": "Hello", "text": ""}


def test_webhook_channel_posts_a_signed_message(world: Any, settings: Any) -> None:
    received: list[tuple[bytes, str]] = []

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append((self.rfile.read(int(self.headers["Content-Length"])),
                             self.headers.get("X-Lianmeng-Signature", "")))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.handle_request, daemon=True).start()
    settings.NOTIFICATION_CHANNELS = {"sms": {"BACKEND": "notifications.channels.WebhookChannel", "OPTIONS": {
        "url": f"http://127.0.0.1:{server.server_port}/send", "secret": "s3cret"}}}
    notify([world.users["member"]], kind=KIND, title="你好")
    assert deliver() == {"sent": 1, "failed": 0}
    server.server_close()
    [(body, signature)] = received
    assert json.loads(body)["subject"] == "你好"
    assert signature == hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()


def test_every_app_declares_its_kinds() -> None:
    apps = {key.split(".")[0] for key in KINDS}
    assert {"demands", "activities", "alliances", "pairing", "projects"} <= apps
