from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pairing import selectors
from pairing.models import Pair, PairingProgramme

from .conftest import propose


def _visible(user: Any) -> tuple[set[str], set[str]]:
    programmes = set(PairingProgramme.objects.restrict(user).values_list("name", flat=True))
    pairs = set(Pair.objects.restrict(user).values_list("organ__code", flat=True).distinct())
    return programmes, pairs


def test_who_sees_and_who_changes_pairs(world: Any, organs: Any, programme: Any) -> None:
    """The organizers see and change everything; each side of a pair sees that pair only; a district whose
    organization is a partner in a cross-regional pair sees that pair and not the rest of the programme."""
    propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    propose(programme, organs["fz-o2"], world.orgs["jj-e1"])
    u = world.users
    name = programme.name
    assert _visible(u["admin"]) == ({name}, {"fz-o1", "fz-o2"})
    assert _visible(u["staff_fz"]) == ({name}, {"fz-o1", "fz-o2"})
    assert _visible(u["staff_jj"]) == ({name}, {"fz-o2"})
    assert _visible(u["secretary_b1"]) == ({name}, {"fz-o1"})
    assert _visible(u["member"]) == ({name}, {"fz-o1"})  # the member's own organization fz-e1 is a partner
    assert _visible(u["norole"]) == (set(), set())
    changeable = {user: set(Pair.objects.restrict(u[user], "change").values_list("organ__code", flat=True))
                  for user in ("admin", "staff_fz", "staff_jj", "secretary_b1", "member", "auditor")}
    assert changeable == {"admin": {"fz-o1", "fz-o2"}, "staff_fz": {"fz-o1", "fz-o2"}, "staff_jj": set(),
                          "secretary_b1": set(), "member": set(), "auditor": set()}


def test_suggestions_rank_by_industry_distance_and_load_and_say_why(world: Any, organs: Any, programme: Any) -> None:
    staff = world.users["staff_fz"]
    unpaired = list(selectors.unpaired_partners(programme, staff))
    # Enterprises and social organizations of the owner's district; not buildings, not Jinjiang's enterprise.
    assert {o.code for o in unpaired} == {"fz-e1", "fz-e2"}
    [row] = selectors.pairing_suggestions(programme, staff, [world.orgs["fz-e1"]])
    assert {s.organ.code for s in row.suggestions} == {"fz-o1", "fz-o2"}  # never the programme's owner
    best = row.suggestions[0]
    assert best.organ.code == "fz-o1"
    assert any("Industry fit: 软件和信息技术" in r for r in best.reasons)
    assert any("km apart" in r for r in best.reasons)
    assert any("Same region: 丰泽区" in r for r in best.reasons)
    assert any("Load: 0 of 2" in r for r in best.reasons)
    assert best.score > row.suggestions[1].score
    # Once fz-o1 is at its maximum it is no longer suggested, and fz-e1 is no longer unpaired.
    propose(programme, organs["fz-o1"], world.orgs["fz-e1"], world.orgs["fz-e2"])
    assert "fz-e1" not in {o.code for o in selectors.unpaired_partners(programme, staff)}
    [row] = selectors.pairing_suggestions(programme, staff, [world.orgs["fz-b2"]])
    assert "fz-o1" not in {s.organ.code for s in row.suggestions}


def test_suggestions_credit_experience_with_an_industry(world: Any, organs: Any, programme: Any) -> None:
    programme.max_partners_per_organ = 5
    programme.save()
    propose(programme, organs["fz-o2"], world.orgs["fz-e1"])  # fz-o2 now pairs a software company
    e2 = world.orgs["fz-e2"]
    e2.unit = world.orgs["fz-e1"].unit
    e2.save()
    [row] = selectors.pairing_suggestions(programme, world.users["staff_fz"], [e2])
    o2 = next(s for s in row.suggestions if s.organ.code == "fz-o2")
    assert any("Already paired with 1 organization in 软件和信息技术" in r for r in o2.reasons)
    assert any("Load: 1 of 5" in r for r in o2.reasons)


def test_suggestions_cost_a_fixed_number_of_queries(world: Any, organs: Any, programme: Any,
                                                    django_assert_max_num_queries: Any) -> None:
    staff = world.users["staff_fz"]
    partners = list(selectors.unpaired_partners(programme, staff))
    with django_assert_max_num_queries(6):
        rows = selectors.pairing_suggestions(programme, staff, partners)
    assert len(rows) == len(partners)


def test_quarters_are_clipped_to_the_period() -> None:
    quarters = selectors.quarters_between(dt.date(2024, 5, 16), dt.date(2025, 1, 10))
    assert [(y, q) for y, q, _s, _e in quarters] == [(2024, 2), (2024, 3), (2024, 4), (2025, 1)]
    assert quarters[0][2] == dt.date(2024, 5, 16) and quarters[0][3] == dt.date(2024, 6, 30)
    assert quarters[2][3] == dt.date(2024, 12, 31) and quarters[-1][3] == dt.date(2025, 1, 10)


def test_progress_counts_joint_activities_per_quarter(world: Any, organs: Any, programme: Any) -> None:
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"], starts_on=dt.date(2024, 5, 16),
                   ends_on=dt.date(2025, 6, 30), target_activities_per_quarter=2)
    dates = [dt.date(2024, 5, 20), dt.date(2024, 6, 1), dt.date(2024, 8, 1), dt.date(2025, 2, 1),
             dt.date(2023, 1, 1)]  # the last is before the pair and does not count
    progress = selectors.pair_progress(pair, dates, today=dt.date(2024, 11, 1))
    assert [(q.year, q.quarter, q.done, q.state) for q in progress.quarters] == [
        (2024, 2, 2, "past"), (2024, 3, 1, "past"), (2024, 4, 0, "current"), (2025, 1, 1, "future"),
        (2025, 2, 0, "future")]
    assert (progress.target_to_date, progress.done_to_date) == (6, 3)
    assert progress.percent == 50
    assert progress.quarters[0].met and not progress.quarters[1].met


@pytest.mark.parametrize(("text", "expected"), [("装备制造、新材料", {"装备制造", "新材料"}),
                                                ("Software; Retail", {"software", "retail"}), ("", set())])
def test_industries_split(text: str, expected: set[str]) -> None:
    assert selectors.industries(text) == expected


def test_programme_pair_count_counts_only_visible_pairs(world: Any, organs: Any, programme: Any) -> None:
    propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    propose(programme, organs["fz-o2"], world.orgs["jj-e1"])
    counts = {name: selectors.programme_list(world.users[name]).get().pair_count for name in ("staff_fz", "staff_jj")}
    assert counts == {"staff_fz": 2, "staff_jj": 1}
