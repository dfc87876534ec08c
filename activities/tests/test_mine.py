"""A member's own activities ("mine": invited, registered, attended) on the list and the API, and their
registrations as phone-sized cards, upcoming first."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities import services
from activities.choices import RegistrationStatus
from activities.filters import ActivityFilterSet
from activities.models import Activity, Registration

from .conftest import at, make_activity


def themes(queryset: Any) -> set[str]:
    return set(queryset.values_list("theme", flat=True))


def mine(world: Any) -> dict[str, Activity]:
    """Activities member e1-a sees: invited to one, registered for one (and cancelled another), attended one, and
    one of their own organization's they have nothing to do with."""
    person = world.people["e1-a"]
    made = {
        "invited": services.activity_create(actor=None, lead=world.orgs["fz-b2"], invited_people=[person], data={
            "kind": "party_lesson", "theme": "受邀的微党课", "starts_at": at(days=5), "ends_at": at(days=5, hours=2)}),
        "registered": services.activity_open(actor=None, activity=make_activity(
            world.orgs["fz-e1"], theme="报名的主题党日", starts=at(days=3))),
        "cancelled": services.activity_open(actor=None, activity=make_activity(
            world.orgs["fz-e1"], theme="取消报名的讲座", starts=at(days=4))),
        "attended": make_activity(world.orgs["fz-b2"], theme="参加过的志愿服务", starts=at(days=-2)),
        "other": make_activity(world.orgs["fz-e1"], theme="与我无关的会议", starts=at(days=2)),
    }
    services.register(actor=world.users["member"], activity=made["registered"])
    cancelled = services.register(actor=world.users["member"], activity=made["cancelled"])
    services.unregister(actor=world.users["member"], registration=cancelled)
    services.attendance_mark(actor=None, activity=made["attended"], people=[person])
    return made


def test_mine_filters_the_activity_list_and_the_api(world: Any, client_for: Any) -> None:
    made = mine(world)
    member = world.users["member"]
    request = type("Request", (), {"user": member})()
    chosen = ActivityFilterSet({"mine": "true"}, queryset=Activity.objects.restrict(member), request=request).qs
    assert themes(chosen) == {"受邀的微党课", "报名的主题党日", "参加过的志愿服务"}
    others = ActivityFilterSet({"mine": "false"}, queryset=Activity.objects.restrict(member), request=request).qs
    assert "与我无关的会议" in themes(others) and "报名的主题党日" not in themes(others)
    page = client_for("member").get("/activities/", {"mine": "true"}).content.decode()
    assert made["registered"].get_absolute_url() in page and made["other"].get_absolute_url() not in page
    api = client_for("member").get("/api/v1/activities/", {"mine": "true"}).json()
    assert {row["theme"] for row in api["results"]} == {"受邀的微党课", "报名的主题党日", "参加过的志愿服务"}
    # an account without a person record has no activities of its own
    staff = world.users["staff_fz"]
    staff_request = type("Request", (), {"user": staff})()
    assert not ActivityFilterSet({"mine": "true"}, queryset=Activity.objects.restrict(staff),
                                 request=staff_request).qs.exists()


def test_my_registrations_upcoming_first_as_cards(world: Any, client_for: Any) -> None:
    made = mine(world)
    later = services.activity_open(actor=None, activity=make_activity(world.orgs["fz-e1"], theme="下周的党课",
                                                                      starts=at(days=8)))
    services.register(actor=world.users["member"], activity=later)
    Registration.objects.create(activity=made["attended"], person=world.people["e1-a"],
                                organization=world.orgs["fz-e1"])  # registered before it took place
    client = client_for("member")
    client.get("/activities/registrations/")  # warm the caches of the request machinery
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/activities/registrations/").content.decode()
    # session, user, roles and person are read by the request machinery; the cards are two queries
    registration_reads = [q for q in queries.captured_queries if "activities_registration" in q["sql"]]
    assert len(registration_reads) == 2, [q["sql"] for q in queries.captured_queries]
    order = [page.index(theme) for theme in ("报名的主题党日", "取消报名的讲座", "下周的党课", "参加过的志愿服务")]
    assert order == sorted(order)  # soonest first, the past after
    assert page.count('data-testid="registration"') == 4
    assert str(RegistrationStatus.CANCELLED.label) in page or "已取消报名" in page
    assert 'name="viewport"' in page
    # someone with no member record is told so, not shown an error
    assert 'data-testid="no-person"' in client_for("staff_fz").get("/activities/registrations/").content.decode()
