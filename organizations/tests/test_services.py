from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.utils import translation

from organizations import services
from organizations.choices import MemberStatus, PersonKind
from organizations.models import Organization, Person


def assert_member_counts_live() -> None:
    live = Organization.objects.annotate(live=Count("people", filter=Q(people__kind=PersonKind.MEMBER)))
    assert [(o.code, o.member_count) for o in live] == [(o.code, o.live) for o in live]


def test_member_count_follows_every_kind_of_write(world: Any) -> None:
    assert_member_counts_live()
    p = services.person_create(actor=None, data={"name": "新党员", "organization": world.orgs["fz-e2"],
                                                 "member_status": MemberStatus.FULL})
    assert_member_counts_live()
    services.person_update(actor=None, person=p, data={"organization": world.orgs["fz-b2"]})  # transfer
    assert_member_counts_live()
    services.person_update(actor=None, person=p, data={"kind": PersonKind.CONTACT})  # no longer a member
    assert_member_counts_live()
    services.person_update(actor=None, person=p, data={"kind": PersonKind.MEMBER})
    assert_member_counts_live()
    services.person_delete(actor=None, person=p)
    assert_member_counts_live()


def test_recount_repairs_drift(world: Any) -> None:
    Organization.objects.filter(code="fz-e1").update(member_count=99)
    assert services.recount_members() == 1
    assert_member_counts_live()


def test_sector_defaults_from_unit_and_two_new(world: Any) -> None:
    org = services.organization_create(actor=None, data={
        "name": "新", "type": "branch", "region": world.regions["fz"], "parent": world.orgs["fz-b1"],
        "unit": world.orgs["fz-e1"].unit})
    assert org.sector == "non_public" and org.is_two_new
    assert Organization.objects.two_new().filter(pk=org.pk).exists()


def test_duplicate_name_under_same_parent_refused(world: Any) -> None:
    with pytest.raises(ValidationError):
        services.organization_create(actor=None, data={
            "name": "某科技公司党支部", "type": "branch", "sector": "non_public", "region": world.regions["fz"],
            "parent": world.orgs["fz-b1"]})


@translation.override("en")
def test_delete_refused_while_children_or_members(world: Any) -> None:
    with pytest.raises(ValidationError, match="sub-organizations"):
        services.organization_delete(actor=None, organization=world.orgs["fz-root"])
    with pytest.raises(ValidationError, match="roles"):
        services.organization_delete(actor=None, organization=world.orgs["fz-b1"])
    with pytest.raises(ValidationError, match="members"):
        services.organization_delete(actor=None, organization=world.orgs["fz-e1"])
    assert Organization.objects.filter(code="fz-e1").exists()


def test_services_enforce_scope_for_actors(world: Any) -> None:
    secretary = world.users["secretary_b1"]
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=secretary, data={
            "name": "外", "type": "branch", "sector": "non_public", "region": world.regions["jj"],
            "parent": world.orgs["jj-root"]})
    with pytest.raises(PermissionDenied):
        services.person_update(actor=secretary, person=world.people["e1-a"],
                               data={"organization": world.orgs["fz-b2"]})
    with pytest.raises(PermissionDenied):
        services.person_reveal(actor=secretary, person=world.people["e1-a"])
    services.organization_move(actor=world.users["staff_fz"], organization=world.orgs["fz-e2"],
                               new_parent=world.orgs["fz-b2"])


def test_region_staff_may_create_roots_only_in_their_region(world: Any) -> None:
    data = {"name": "新党委", "type": "committee", "sector": "park"}
    org = services.organization_create(actor=world.users["staff_fz"], data={**data, "region": world.regions["fz"]})
    assert org.depth == 1
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=world.users["staff_fz"], data={**data, "region": world.regions["jj"]})


def test_id_number_lookup_by_blind_index(world: Any) -> None:
    person = world.people["b2-a"]
    assert Person.objects.with_id_number(person.id_number.lower()).get() == person
