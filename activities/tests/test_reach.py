"""The reach kept on each activity (activities.reach) against the relations it is derived from, after every kind of
write that changes them: the activity's hosts, pairs and invitations, a pair's partners, a programme's owner, and an
organization moved, given another region or deleted."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Role, User
from accounts.services import role_assign
from activities import services
from activities.models import Activity
from conftest import assert_reach_current as check_reach
from organizations import services as org_services
from organizations.choices import OrganizationType, Sector
from organizations.models import Organization
from organizations.visibility import rebuild_reach
from pairing import services as pairing_services

from .conftest import make_activity


@pytest.fixture
def secretaries(world: Any, organs: Any) -> dict[str, Any]:
    """Secretaries of single organizations, to see one route at a time (the world has fz-b1's)."""
    users = {}
    for key in ("fz-organs", "fz-e2", "jj-root"):
        users[key] = User.objects.create_user(username=f"secretary_{key}", password="Correct-Horse-42")
        role_assign(actor=None, user=users[key], role=Role.SECRETARY, organization=world.orgs[key])
    return users


def visible(user: Any) -> set[int]:
    return set(Activity.objects.restrict(user).values_list("pk", flat=True))


def assert_reach_current(world: Any, *extra_users: Any) -> None:
    check_reach(Activity, [*world.users.values(), *extra_users])


def test_hosts_and_invitations_on_create_and_update(world: Any, organs: Any, secretaries: Any) -> None:
    o, u = world.orgs, world.users
    activity = make_activity(o["fz-e2"])
    assert f"|i:{o['fz-e2'].pk}|" in activity.__class__.objects.get(pk=activity.pk).reach
    assert activity.pk in visible(u["secretary_b1"]) and activity.pk in visible(secretaries["fz-e2"])
    assert activity.pk not in visible(u["staff_jj"]) and activity.pk not in visible(secretaries["jj-root"])
    assert_reach_current(world, *secretaries.values())

    services.activity_update(actor=None, activity=activity, data={}, invited_organizations=[o["jj-e1"]])
    assert activity.pk in visible(u["staff_jj"]) and activity.pk in visible(secretaries["jj-root"])
    assert_reach_current(world, *secretaries.values())

    services.activity_update(actor=None, activity=activity, data={}, lead=o["fz-b2"], co_hosts=[],
                             invited_organizations=[])
    assert activity.pk not in visible(u["staff_jj"]) and activity.pk not in visible(secretaries["fz-e2"])
    assert activity.pk in visible(u["staff_fz"])
    assert_reach_current(world, *secretaries.values())


def test_a_pairs_partners_and_programme_owner(world: Any, organs: Any, programme: Any, pair: Any,
                                              secretaries: Any) -> None:
    activity = make_activity(organs["fz-o1"], pairs=[pair])
    assert activity.pk in visible(secretaries["fz-organs"])  # the programme's owner
    assert activity.pk not in visible(secretaries["fz-e2"])
    assert_reach_current(world, *secretaries.values())

    pairing_services.pair_update(actor=None, pair=pair, data={}, partners=[world.orgs["fz-e1"], world.orgs["fz-e2"]])
    assert activity.pk in visible(secretaries["fz-e2"])  # a new side of the pair
    assert_reach_current(world, *secretaries.values())

    assert activity.pk not in visible(secretaries["jj-root"])
    pairing_services.programme_update(actor=None, programme=programme, data={"owner": world.orgs["jj-root"]})
    assert activity.pk in visible(secretaries["jj-root"])
    # fz-organs still sees it as the organ's parent, no longer as the owner
    assert f"|i:{organs['fz-organs'].pk}|" not in Activity.objects.get(pk=activity.pk).reach
    assert_reach_current(world, *secretaries.values())


def test_organization_moved_given_another_region_or_deleted(world: Any, organs: Any, secretaries: Any) -> None:
    o, u = world.orgs, world.users
    hosted = make_activity(o["fz-e2"])
    other = make_activity(o["fz-b2"])

    org_services.organization_move(actor=None, organization=o["fz-e2"], new_parent=o["jj-root"])
    assert hosted.pk not in visible(u["secretary_b1"]) and hosted.pk in visible(secretaries["jj-root"])
    assert hosted.pk in visible(u["staff_fz"]) and hosted.pk not in visible(u["staff_jj"])  # region unchanged
    assert_reach_current(world, *secretaries.values())

    o["fz-e2"].refresh_from_db()
    org_services.organization_update(actor=None, organization=o["fz-e2"], data={"region": world.regions["jj"]})
    assert hosted.pk in visible(u["staff_jj"]) and hosted.pk not in visible(u["staff_fz"])
    assert_reach_current(world, *secretaries.values())

    guest = org_services.organization_create(actor=None, data={
        "code": "jj-guest", "name": "锦江区某协会党支部", "parent": o["jj-root"], "region": world.regions["jj"],
        "type": OrganizationType.BRANCH, "sector": Sector.SOCIAL})
    services.activity_update(actor=None, activity=other, data={}, invited_organizations=[guest])
    assert other.pk in visible(secretaries["jj-root"])
    org_services.organization_delete(actor=None, organization=guest)
    assert other.pk not in visible(secretaries["jj-root"])
    assert f"|i:{guest.pk}|" not in Activity.objects.get(pk=other.pk).reach
    assert_reach_current(world, *secretaries.values())


def test_rebuild_repairs_every_row(world: Any, organs: Any, pair: Any) -> None:
    activities = [make_activity(world.orgs["fz-e1"]), make_activity(organs["fz-o1"], pairs=[pair])]
    Activity.objects.update(reach="")
    assert not visible(world.users["secretary_b1"])
    assert rebuild_reach(Activity) == len(activities)
    assert rebuild_reach(Activity) == 0
    assert_reach_current(world)


def test_alliance_and_invited_people(world: Any, alliances: Any, secretaries: Any) -> None:
    o, u = world.orgs, world.users
    activity = make_activity(o["fz-b2"], alliance=alliances["cross"])
    # The cross-regional alliance spans Jinjiang and has jj-e1 as a member: both routes see the alliance.
    assert activity.pk in visible(u["staff_jj"]) and activity.pk in visible(secretaries["jj-root"])
    assert activity.pk not in visible(u["member"])
    assert_reach_current(world, *secretaries.values())

    services.activity_update(actor=None, activity=activity, data={"alliance": None},
                             invited_people=[world.people["e1-a"]])
    assert activity.pk not in visible(u["staff_jj"]) and activity.pk not in visible(secretaries["jj-root"])
    assert activity.pk in visible(u["member"])  # the invited person's account
    assert_reach_current(world, *secretaries.values())


def test_a_move_through_an_instance_read_before_an_earlier_move(world: Any, secretaries: Any) -> None:
    o = world.orgs
    activity = make_activity(o["fz-e2"])
    stale = Organization.objects.get(pk=o["fz-e2"].pk)  # its path is about to change with its parent's move
    org_services.organization_move(actor=None, organization=o["fz-b1"], new_parent=o["jj-root"])
    org_services.organization_move(actor=None, organization=stale, new_parent=o["fz-b2"])
    assert activity.pk in visible(world.users["staff_fz"]) and activity.pk not in visible(secretaries["jj-root"])
    assert_reach_current(world, *secretaries.values())
