from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from core.tree import ancestor_paths, collapse_paths, decode_step, encode_step, subtree_q
from organizations import services
from organizations.models import Organization


def test_steps_round_trip_and_sort_in_numeric_order() -> None:
    steps = [encode_step(n) for n in (1, 9, 10, 35, 36, 1295, 1296, 36**4 - 1)]
    assert steps == sorted(steps)
    assert [decode_step(s) for s in steps] == [1, 9, 10, 35, 36, 1295, 1296, 36**4 - 1]
    with pytest.raises(ValueError):
        encode_step(0)
    with pytest.raises(ValueError):
        encode_step(36**4)


def test_path_helpers() -> None:
    assert ancestor_paths("000100020003") == ["0001", "00010002"]
    assert collapse_paths(["00010002", "0001", "0003", "000300040005"]) == ["0001", "0003"]


def test_subtree_is_a_range_not_a_like() -> None:
    sql = str(Organization.objects.filter(subtree_q("0001")).query)
    assert "LIKE" not in sql.upper()
    assert ">=" in sql and "<" in sql


def test_paths_depths_and_subtree(world: Any) -> None:
    o = world.orgs
    assert o["fz-b1"].depth == 2 and o["fz-e1"].depth == 3
    assert o["fz-e1"].path.startswith(o["fz-b1"].path)
    assert set(o["fz-b1"].subtree().values_list("code", flat=True)) == {"fz-b1", "fz-e1", "fz-e2"}
    assert set(o["fz-b1"].descendants().values_list("code", flat=True)) == {"fz-e1", "fz-e2"}
    assert list(o["fz-e1"].ancestors().values_list("code", flat=True)) == ["fz-root", "fz-b1"]
    ordered = list(Organization.objects.filter(subtree_q(o["fz-root"].path)).values_list("code", flat=True))
    assert ordered == ["fz-root", "fz-b1", "fz-e1", "fz-e2", "fz-b2"]  # tree order from the path alone


def test_siblings_get_increasing_paths_after_deletion(world: Any) -> None:
    o = world.orgs
    services.organization_delete(actor=None, organization=o["fz-e2"])
    again = services.organization_create(actor=None, data={
        "name": "新支部", "type": "branch", "sector": "non_public", "region": world.regions["fz"],
        "parent": o["fz-b1"]})
    assert again.path > o["fz-e1"].path
    assert again.path[:-4] == o["fz-b1"].path


def test_move_subtree_rewrites_descendants(world: Any) -> None:
    o = world.orgs
    services.organization_move(actor=None, organization=o["fz-b1"], new_parent=o["fz-b2"])
    for code in ("fz-b1", "fz-e1", "fz-e2"):
        org = Organization.objects.get(code=code)
        assert org.path.startswith(Organization.objects.get(code="fz-b2").path)
    assert Organization.objects.get(code="fz-e1").depth == 4
    assert Organization.objects.get(code="fz-b1").parent == o["fz-b2"]


def test_move_under_own_descendant_is_refused(world: Any) -> None:
    o = world.orgs
    with pytest.raises(ValidationError):
        services.organization_move(actor=None, organization=o["fz-b1"], new_parent=o["fz-e1"])
    o["fz-e1"].refresh_from_db()
    assert o["fz-e1"].depth == 3


def test_move_to_root(world: Any) -> None:
    e1 = world.orgs["fz-e1"]
    services.organization_move(actor=None, organization=e1, new_parent=None)
    e1.refresh_from_db()
    assert e1.depth == 1 and len(e1.path) == 4 and e1.parent is None
