"""The demo's commendations: case 4 decided with its 7 organizations and 22 individuals and their honours; Fengze's
campaign on a running notice with an objection waiting, in every state; whatever day the demo is loaded (the
anchors of demo/tests/test_demo.py: a Sunday, the end of a month, …)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import time_machine
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from commendations import services
from commendations.choices import NominationStatus
from commendations.models import Campaign, Honour, Nomination, Notice, Objection
from commendations.selectors import review_queue
from workbench.registry import KINDS

TZ = dt.timezone(dt.timedelta(hours=8))


def check_commendations() -> None:
    zone = Campaign.objects.get(year=2020)
    assert zone.status == "decided" and zone.decision.number.startswith("泉开工〔2020〕")
    honours = Honour.objects.filter(decision=zone.decision)
    assert honours.filter(organization__isnull=False).count() == 7
    assert honours.filter(person__isnull=False).count() == 22
    assert all(h.person.name and h.person.organization.code.startswith("QZ-K")
               for h in honours.filter(person__isnull=False).select_related("person__organization"))

    today = timezone.localdate()
    on_notice = Campaign.objects.get(status="on_notice")
    notice = Notice.objects.get(campaign=on_notice)
    assert services.notice_running(notice, today)
    states = set(Nomination.objects.filter(campaign__year=today.year).values_list("status", flat=True))
    assert states == {NominationStatus.DRAFT, NominationStatus.SUBMITTED, NominationStatus.RETURNED,
                      NominationStatus.PASSED, NominationStatus.ON_NOTICE, NominationStatus.WITHDRAWN,
                      NominationStatus.REJECTED}
    assert Objection.objects.filter(notice=notice, finding="").count() == 1

    staff, secretary, member = (User.objects.get(username=u) for u in ("fengze_staff", "secretary", "member"))
    now = timezone.now()
    assert KINDS["commendations.objections"].provider(staff, now)[1] == 1
    assert review_queue(staff).count() == 2
    assert KINDS["commendations.returned"].provider(secretary, now)[1] == 0  # FZ-B2's, not the secretary's FZ-B1
    assert Notice.objects.restrict(member).filter(pk=notice.pk).exists()  # the member's branch has a place


def test_the_demo_commendations(db: Any) -> None:
    """Loaded late on a Sunday (the notice started on the Friday before and still runs); the demo's own test loads it
    at its other anchors. One load: it takes about 25 s."""
    from demands import recommend

    recommend.reset()
    with time_machine.travel(dt.datetime(2026, 10, 4, 23, 30, tzinfo=TZ), tick=True):
        call_command("load_demo", stdout=StringIO())
        check_commendations()
    recommend.reset()
