from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import role_assign
from activities import services
from activities.ledger import build_ledgers
from activities.models import ActivitySeries, LedgerRule, SeriesReminder
from activities.series import completion_matrix, send_series_reminders
from activities.tasks import send_series_reminders_task
from notifications.models import Notification

from .conftest import make_activity


def local(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=timezone.get_default_timezone())


def test_default_rules_are_installed(db: Any) -> None:
    names = set(LedgerRule.objects.filter(organization_type="branch").values_list("name", flat=True))
    assert names == {"支部委员会", "党员大会", "党小组会", "党课", "主题党日"}


def test_ledger_credits_every_cohost_and_reports_what_is_missing(world: Any) -> None:
    e1, e2 = world.orgs["fz-e1"], world.orgs["fz-e2"]
    joint = make_activity(e1, co_hosts=[e2], kind="committee_meeting", starts=local(2025, 3, 10))
    services.activity_record(actor=None, activity=joint, minutes="研究发展党员工作")
    make_activity(e1, kind="committee_meeting", starts=local(2025, 4, 8))  # planned: does not count
    lesson = make_activity(e1, kind="micro_lesson", starts=local(2025, 5, 20))
    services.activity_hold(actor=None, activity=lesson)  # held counts even before the minutes are written
    cancelled = make_activity(e1, kind="party_lesson", starts=local(2025, 12, 20))
    services.activity_cancel(actor=None, activity=cancelled, reason="x")

    today = dt.date(2025, 6, 15)
    ledgers = {lg.organization.code: lg for lg in build_ledgers([e1, e2], 2025, today=today)}
    committee = next(r for r in ledgers["fz-e1"].rows if r.rule.name == "支部委员会")
    assert [c.status for c in committee.cells[:7]] == ["missing", "missing", "done", "missing", "missing", "due",
                                                       "future"]
    assert (committee.met, committee.elapsed, committee.missing) == (1, 6, 4)
    lesson_row = next(r for r in ledgers["fz-e1"].rows if r.rule.name == "党课")  # micro lessons count as lessons
    assert [c.status for c in lesson_row.cells] == ["missing", "done", "future", "future"]
    # The co-host fz-e2 has the same committee meeting in its ledger.
    assert next(r for r in ledgers["fz-e2"].rows if r.rule.name == "支部委员会").cells[2].count == 1
    # Correcting the one record (it was a members' meeting) moves it in every co-host's ledger.
    services.activity_update(actor=None, activity=joint, data={"kind": "members_meeting"})
    ledgers = {lg.organization.code: lg for lg in build_ledgers([e1, e2], 2025, today=today)}
    for code in ("fz-e1", "fz-e2"):
        members_meeting = next(r for r in ledgers[code].rows if r.rule.name == "党员大会")
        assert members_meeting.cells[0].status == "done"
        assert next(r for r in ledgers[code].rows if r.rule.name == "支部委员会").cells[2].count == 0


def test_ledger_uses_the_rules_of_the_organization_type(world: Any) -> None:
    ledgers = build_ledgers([world.orgs["fz-b1"], world.orgs["fz-e1"]], 2025, today=dt.date(2025, 12, 31))
    assert {r.rule.name for r in ledgers[0].rows} == {"总支委员会", "党课"}
    LedgerRule.objects.filter(name="主题党日").update(is_active=False)
    ledgers = build_ledgers([world.orgs["fz-e1"]], 2025, today=dt.date(2025, 12, 31))
    assert "主题党日" not in {r.rule.name for r in ledgers[0].rows}


def test_ledger_matrix_query_count_does_not_grow_with_organizations(world: Any) -> None:
    orgs = list(world.orgs.values())
    for org in orgs[:3]:
        make_activity(org, kind="committee_meeting", starts=local(2025, 2, 1))
    with CaptureQueriesContext(connection) as few:
        build_ledgers(orgs[:2], 2025)
    with CaptureQueriesContext(connection) as many:
        build_ledgers(orgs, 2025)
    assert len(few) == len(many) == 2  # the rules, and one grouped count


@pytest.fixture
def series(world: Any) -> ActivitySeries:
    s = ActivitySeries.objects.create(name="一月一课、一片一实践", owner=world.orgs["fz-root"],
                                      first_month=dt.date(2025, 1, 1), last_month=dt.date(2025, 12, 1),
                                      reminder_day=20)
    s.participants.set([world.orgs["fz-e1"], world.orgs["fz-e2"]])
    s.months.create(month=dt.date(2025, 3, 1), theme="学习党纪处分条例")
    return s


def test_series_matrix(world: Any, series: ActivitySeries) -> None:
    held = make_activity(world.orgs["fz-e1"], series=series, starts=local(2025, 3, 5))
    services.activity_record(actor=None, activity=held, minutes="微党课")
    make_activity(world.orgs["fz-e2"], series=series, starts=local(2025, 3, 28))  # planned later this month
    rows = {r.subject.code: r for r in completion_matrix(series, world.users["staff_fz"], today=dt.date(2025, 3, 21))}
    assert [c.status for c in rows["fz-e1"].cells[:4]] == ["missing", "missing", "done", "future"]
    assert [c.status for c in rows["fz-e2"].cells[:4]] == ["missing", "missing", "planned", "future"]
    # Before the reminder day the running month is still open.
    rows = {r.subject.code: r for r in completion_matrix(series, world.users["staff_fz"], today=dt.date(2025, 4, 3))}
    assert rows["fz-e2"].cells[3].status == "open"
    with pytest.raises(ValidationError, match="outside the series"):  # the activity's month must be in the series
        make_activity(world.orgs["fz-e1"], series=series, starts=local(2026, 1, 5))


def test_reminders_go_to_participants_without_an_activity_once(world: Any, series: ActivitySeries) -> None:
    sec_e2 = User.objects.create_user(username="sec_e2", password="x-Correct-Horse-42", email="e2@example.org")
    role_assign(actor=None, user=sec_e2, role=Role.SECRETARY, organization=world.orgs["fz-e2"])
    held = make_activity(world.orgs["fz-e1"], series=series, starts=local(2025, 3, 5))
    services.activity_record(actor=None, activity=held, minutes="微党课")

    assert send_series_reminders(dt.date(2025, 3, 19)) == 0  # before the reminder day
    assert send_series_reminders(dt.date(2025, 3, 20)) == 1
    assert list(SeriesReminder.objects.values_list("organization__code", flat=True)) == ["fz-e2"]
    note = Notification.objects.get(user=sec_e2)
    assert "一月一课" in note.title and "学习党纪处分条例" in note.body
    assert note.url == series.get_absolute_url()
    assert send_series_reminders(dt.date(2025, 3, 25)) == 0  # once a month
    assert Notification.objects.filter(user=sec_e2).count() == 1


@pytest.mark.django_db(transaction=True)
def test_reminder_task_runs_through_the_task_backend(world: Any, series: ActivitySeries) -> None:
    sec_e2 = User.objects.create_user(username="sec_e2", password="x-Correct-Horse-42", email="e2@example.org")
    role_assign(actor=None, user=sec_e2, role=Role.SECRETARY, organization=world.orgs["fz-e2"])
    series.first_month, series.last_month = timezone.localdate().replace(day=1), timezone.localdate().replace(day=1)
    series.reminder_day = 1
    series.save()
    result = send_series_reminders_task.enqueue(timezone.localdate().isoformat())
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO(), stderr=StringIO())
    result.refresh()
    assert result.status == "SUCCESSFUL", result.errors
    assert result.return_value == 2  # neither participant held this month's activity
    assert Notification.objects.filter(user=sec_e2).count() == 1
    assert [m.to for m in mail.outbox] == [["e2@example.org"]]
