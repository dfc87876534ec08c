from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEvent
from pairing import services
from pairing.models import Pair, PairReview

from .conftest import END, START, propose


def _messages(exc: Any) -> str:
    return " ".join(exc.value.messages)


def test_propose_pair_with_defaults_and_audit(world: Any, organs: Any, programme: Any) -> None:
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"], world.orgs["fz-e2"],
                   actor=world.users["staff_fz"], goals="共建共促")
    assert pair.status == "proposed"
    assert (pair.starts_on, pair.ends_on) == (START, END)
    assert {o.code for o in pair.partners.all()} == {"fz-e1", "fz-e2"}
    events = AuditEvent.objects.filter(object_type="pairing.pair", object_id=str(pair.pk))
    assert {e.action for e in events} == {"create", "update"}
    assert events.get(action="update").changes["partners"][1] == sorted([world.orgs["fz-e1"].pk,
                                                                        world.orgs["fz-e2"].pk])


@pytest.mark.parametrize(("organ", "partners", "field", "text"), [
    ("fz-o1", ["fz-o1"], "partners", "cannot be paired with itself"),
    ("fz-e1", ["fz-e2"], "organ", "not an organ"),
    ("fz-o1", ["fz-o2"], "partners", "not an enterprise or social organization"),
    ("fz-o1", [], "partners", "at least one partner"),
])
def test_bad_pairs_are_refused_and_nothing_is_written(world: Any, organs: Any, programme: Any, organ: str,
                                                       partners: list[str], field: str, text: str) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        propose(programme, world.orgs[organ], *[world.orgs[p] for p in partners], actor=world.users["staff_fz"])
    assert field in exc.value.message_dict
    assert text in _messages(exc)
    assert not Pair.objects.exists()
    assert AuditEvent.objects.count() == before


def test_overlapping_periods_are_refused_even_across_programmes(world: Any, organs: Any, programme: Any) -> None:
    propose(programme, organs["fz-o1"], world.orgs["fz-e1"], starts_on=dt.date(2024, 1, 1),
            ends_on=dt.date(2024, 12, 31))
    other = services.programme_create(actor=None, data={"name": "另一个结对计划", "owner": organs["fz-organs"],
                                                        "starts_on": START, "ends_on": END})
    with pytest.raises(ValidationError) as exc:
        propose(other, organs["fz-o1"], world.orgs["fz-e1"], starts_on=dt.date(2024, 6, 1),
                ends_on=dt.date(2025, 5, 31))
    assert "already paired" in _messages(exc) and "overlap" in _messages(exc)
    assert Pair.objects.count() == 1
    # The next period, right after the first one ends, is fine.
    propose(other, organs["fz-o1"], world.orgs["fz-e1"], starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
    assert Pair.objects.count() == 2


def test_ended_pairs_do_not_block_a_new_pairing(world: Any, organs: Any, programme: Any) -> None:
    first = propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    services.pair_end(actor=None, pair=first, reason="企业迁出后又迁回")
    again = propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    assert again.status == "proposed"


def test_period_must_lie_within_the_programme(world: Any, organs: Any, programme: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        propose(programme, organs["fz-o1"], world.orgs["fz-e1"], starts_on=dt.date(2023, 6, 1))
    assert "within the programme's period" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        propose(programme, organs["fz-o1"], world.orgs["fz-e1"], starts_on=dt.date(2025, 6, 1),
                ends_on=dt.date(2025, 1, 1))
    assert "cannot end before it starts" in _messages(exc)


def test_organ_load_is_capped_by_the_programme(world: Any, organs: Any, programme: Any) -> None:
    propose(programme, organs["fz-o1"], world.orgs["fz-e1"], world.orgs["fz-e2"])
    with pytest.raises(ValidationError) as exc:
        propose(programme, organs["fz-o1"], world.orgs["jj-e1"])
    assert "would be paired with 3 organizations" in _messages(exc) and "maximum is 2" in _messages(exc)


def test_full_status_workflow(world: Any, organs: Any, programme: Any) -> None:
    staff = world.users["staff_fz"]
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"], ends_on=dt.date(2026, 12, 31))
    pair = services.pair_activate(actor=staff, pair=pair, signed_on=dt.date(2024, 5, 16))
    assert (pair.status, pair.signed_on) == ("active", dt.date(2024, 5, 16))
    pair = services.pair_start_review(actor=staff, pair=pair)
    assert pair.status == "under_review"
    year = timezone.localdate().year
    services.review_record(actor=staff, pair=pair, year=year, rating="excellent", comments="联合活动扎实")
    pair = services.pair_renew(actor=staff, pair=pair, ends_on=dt.date(2027, 12, 31))
    assert (pair.status, pair.ends_on) == ("renewed", dt.date(2027, 12, 31))
    pair = services.pair_start_review(actor=staff, pair=pair)
    pair = services.pair_end(actor=staff, pair=pair, reason="期满")
    assert pair.status == "ended" and pair.end_reason == "期满"
    statuses = [e.changes.get("status") for e in AuditEvent.objects.filter(object_type="pairing.pair",
                                                                           action="update").order_by("id")]
    assert [s[1] for s in statuses if s] == ["active", "under_review", "renewed", "under_review", "ended"]


@pytest.mark.parametrize(("setup", "step", "text"), [
    ([], "renew", "it cannot be renewed"),
    ([], "review", "it cannot be put under review"),
    (["activate"], "activate", "it cannot be put in force"),
    (["end"], "activate", "it cannot be put in force"),
    (["end"], "end", "it cannot be ended"),
])
def test_illegal_transitions_are_refused_and_change_nothing(world: Any, organs: Any, programme: Any,
                                                             setup: list[str], step: str, text: str) -> None:
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    calls = {"activate": lambda p: services.pair_activate(actor=None, pair=p),
             "review": lambda p: services.pair_start_review(actor=None, pair=p),
             "renew": lambda p: services.pair_renew(actor=None, pair=p, ends_on=END),
             "end": lambda p: services.pair_end(actor=None, pair=p, reason="测试")}
    for s in setup:
        pair = calls[s](pair)
    status, events = pair.status, AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        calls[step](pair)
    assert text in _messages(exc)
    pair.refresh_from_db()
    assert pair.status == status
    assert AuditEvent.objects.count() == events


def test_renewal_needs_this_years_review_and_a_later_end(world: Any, organs: Any, programme: Any) -> None:
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"], ends_on=dt.date(2026, 12, 31))
    pair = services.pair_start_review(actor=None, pair=services.pair_activate(actor=None, pair=pair))
    with pytest.raises(ValidationError) as exc:
        services.pair_renew(actor=None, pair=pair, ends_on=dt.date(2026, 6, 30))
    assert "must run past the current end" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.pair_renew(actor=None, pair=pair, ends_on=END)
    assert "Record this year's review" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.pair_end(actor=None, pair=pair, reason="  ")
    assert "Give a reason" in _messages(exc)
    pair.refresh_from_db()
    assert pair.status == "under_review"


def test_reviews_one_per_year_in_range_and_only_for_pairs_in_force(world: Any, organs: Any, programme: Any) -> None:
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    with pytest.raises(ValidationError) as exc:
        services.review_record(actor=None, pair=pair, year=2024, rating="good")
    assert "Only a pair in force" in _messages(exc)
    pair = services.pair_activate(actor=None, pair=pair)
    services.review_record(actor=None, pair=pair, year=2024, rating="good")
    with pytest.raises(ValidationError) as exc:
        services.review_record(actor=None, pair=pair, year=2024, rating="excellent")
    assert "already has a review for 2024" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.review_record(actor=None, pair=pair, year=2023, rating="good")
    assert "Choose a year from 2024" in _messages(exc)
    assert PairReview.objects.count() == 1


def test_only_the_programmes_organizers_change_pairs(world: Any, organs: Any, programme: Any) -> None:
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    for name in ("secretary_b1", "staff_jj", "member", "auditor"):
        with pytest.raises(PermissionDenied):
            services.pair_activate(actor=world.users[name], pair=pair)
        with pytest.raises(PermissionDenied):
            propose(programme, organs["fz-o2"], world.orgs["fz-e2"], actor=world.users[name])
    services.pair_activate(actor=world.users["staff_fz"], pair=pair)


def test_ended_pair_is_history(world: Any, organs: Any, programme: Any) -> None:
    pair = services.pair_end(actor=None, pair=propose(programme, organs["fz-o1"], world.orgs["fz-e1"]), reason="撤销")
    with pytest.raises(ValidationError) as exc:
        services.pair_update(actor=None, pair=pair, data={"goals": "新目标"})
    assert "kept as history" in _messages(exc)


def test_update_agreement_and_partners(world: Any, organs: Any, programme: Any) -> None:
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    pair = services.pair_update(actor=world.users["staff_fz"], pair=pair, data={"target_activities_per_quarter": 3},
                                partners=[world.orgs["fz-e1"], world.orgs["fz-e2"]])
    assert pair.target_activities_per_quarter == 3
    assert pair.partners.count() == 2
    with pytest.raises(ValidationError):
        services.pair_update(actor=None, pair=pair, data={}, partners=[organs["fz-o1"]])
    assert pair.partners.count() == 2


def test_programme_period_cannot_shrink_below_its_pairs(world: Any, organs: Any, programme: Any) -> None:
    propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    with pytest.raises(ValidationError) as exc:
        services.programme_update(actor=None, programme=programme, data={"ends_on": dt.date(2025, 12, 31)})
    assert "outside the new period" in _messages(exc)
    programme.refresh_from_db()
    assert programme.ends_on == END
    with pytest.raises(ValidationError):
        services.programme_delete(actor=None, programme=programme)


def test_programme_owner_must_be_in_the_creators_scope(world: Any, organs: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.programme_create(actor=world.users["staff_jj"], data={
            "name": "越权计划", "owner": organs["fz-organs"], "starts_on": START, "ends_on": END})


def test_owner_secretary_pairs_the_zones_enterprises_and_edits_keep_unseen_partners(
        world: Any, organs: Any, programme: Any, client_for: Any) -> None:
    from accounts.models import Role, User
    from accounts.services import role_assign

    secretary = User.objects.create_user(username="organs_secretary", password="Correct-Horse-42")
    role_assign(actor=None, user=secretary, role=Role.SECRETARY, organization=organs["fz-organs"])
    # The working committee's secretary sees only its own subtree, yet pairs the district's enterprises.
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"], actor=secretary)
    with pytest.raises(ValidationError) as exc:  # but not another district's
        propose(programme, organs["fz-o2"], world.orgs["jj-e1"], actor=secretary)
    assert "Choose organizations from the list" in _messages(exc)
    # A partner the editor cannot see (added by the system) survives an edit of the agreement.
    cross = propose(programme, organs["fz-o2"], world.orgs["jj-e1"], world.orgs["fz-b2"])
    services.pair_update(actor=world.users["staff_fz"], pair=cross, data={"goals": "新目标"})
    client = client_for("staff_fz")
    client.post(f"/pairing/pairs/{cross.pk}/edit/", {
        "partners": [p.pk for p in cross.partners.all()], "target_activities_per_quarter": 2, "goals": "再改"})
    cross.refresh_from_db()
    assert cross.goals == "再改" and {p.code for p in cross.partners.all()} == {"jj-e1", "fz-b2"}
    services.pair_update(actor=secretary, pair=pair, data={"goals": "由党工委书记修改"})


def test_maximum_cannot_drop_below_a_current_load_and_kept_pairs_never_trip_it(
        world: Any, organs: Any, programme: Any) -> None:
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"], world.orgs["fz-e2"])
    with pytest.raises(ValidationError) as exc:
        services.programme_update(actor=None, programme=programme, data={"max_partners_per_organ": 1})
    assert "cannot be lower" in _messages(exc)
    programme.refresh_from_db()
    assert programme.max_partners_per_organ == 2
    services.pair_update(actor=None, pair=pair, data={"goals": "不增加结对单位的修改总是可以的"},
                         partners=[world.orgs["fz-e1"]])
    assert pair.partners.count() == 1


def test_period_of_a_pair_in_force_changes_only_by_renewal(world: Any, organs: Any, programme: Any) -> None:
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"], ends_on=dt.date(2025, 12, 31))
    pair = services.pair_update(actor=None, pair=pair, data={"ends_on": dt.date(2026, 12, 31)})  # still proposed
    pair = services.pair_activate(actor=None, pair=pair)
    with pytest.raises(ValidationError) as exc:
        services.pair_update(actor=None, pair=pair, data={"ends_on": END})
    assert "only by renewal" in _messages(exc)
    pair.refresh_from_db()
    assert pair.ends_on == dt.date(2026, 12, 31)
