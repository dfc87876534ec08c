"""Enterprises and members help themselves: the demand form and the API fill in what the platform knows of the
requester, the alliance's resource catalogue is open to enterprise contacts, and "Request this resource" raises a
case linked to the resource, from the catalogue to the provider."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import User
from alliances.tests.conftest import make_alliances
from demands import resources, selectors
from demands.choices import DemandStatus, EventKind
from demands.error_codes import DemandErrorCode
from demands.models import Demand, DemandCategory, Resource
from organizations import services as org_services
from organizations.choices import UnitKind

from .conftest import offer, raise_demand


@pytest.fixture
def catalogue(world: Any) -> dict[str, Any]:
    """norole speaks for 泉州某科技有限公司 (the unit of fz-e1, a member of the CBD alliance); resources shared with
    the CBD alliance and with the cross-regional one (which spans Fengze), one withdrawn, one not shared."""
    made = make_alliances(world)
    contact = world.users["norole"]
    contact.unit = world.orgs["fz-e1"].unit
    contact.display_name = "王经理"
    contact.save(update_fields=["unit", "display_name"])
    withdrawn = offer(world, "jj-e1", title="锦江已撤回场地", alliance=made["cross"])
    resources.resource_withdraw(actor=None, resource=withdrawn)
    return {**made, "cbd_venue": offer(world, "fz-b2", title="二号楼直播间", alliance=made["cbd"]),
            "cross_channel": offer(world, "jj-e1", title="春熙路招聘渠道", kind="channel", alliance=made["cross"],
                                   region=world.regions["jj"]),
            "withdrawn": withdrawn, "private": offer(world, "jj-e1", title="锦江百货展厅")}


def initial_of(page: str, name: str) -> str:
    """The value an input (or the selected option of a select) carries in the form's HTML."""
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    if found:
        return found.group(1)
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0)) if select else None
    return chosen.group(1) if chosen else ""


# Pre-filled ----------------------------------------------------------------------------------------------------


def test_an_enterprise_contacts_form_comes_pre_filled(world: Any, catalogue: Any, client_for: Any) -> None:
    page = client_for("norole").get("/demands/add/").content.decode()
    unit = world.orgs["fz-e1"].unit
    assert initial_of(page, "requester_kind") == "unit"
    assert initial_of(page, "requester_name") == unit.name == "泉州某科技有限公司"
    assert initial_of(page, "contact_name") == "王经理"
    assert initial_of(page, "region") == str(world.regions["fz"].pk)
    assert initial_of(page, "alliance") == str(catalogue["cbd"].pk)  # its organization's one alliance
    assert 'type="tel"' in page and 'data-testid="prefilled"' in page
    # nothing to type: submitting with what is filled in raises a case linked to the unit
    answer = client_for("norole").post("/demands/add/", {
        "title": "招聘数控技工", "category": DemandCategory.objects.get(code="talent").pk, "urgency": "normal",
        "description": "急需数控技工。", "region": initial_of(page, "region"), "alliance": initial_of(page, "alliance"),
        "requester_kind": "unit", "requester_name": unit.name, "contact_name": "王经理", "contact_phone": ""})
    demand = Demand.objects.get()
    assert answer.status_code == 302 and demand.requester_unit == unit and demand.alliance == catalogue["cbd"]
    assert demand.created_by == world.users["norole"]


def test_a_members_form_comes_pre_filled_with_their_own_phone(world: Any, catalogue: Any, client_for: Any) -> None:
    defaults = selectors.requester_defaults(world.users["member"])
    person = world.people["e1-a"]
    assert defaults["requester_kind"] == "person" and defaults["requester_person"] == person
    assert defaults["contact_phone"] == "13800000010" and defaults["region"] == world.regions["fz"]
    page = client_for("member").get("/demands/add/").content.decode()
    assert initial_of(page, "requester_name") == "成员e1-a" and initial_of(page, "contact_phone") == "13800000010"
    assert initial_of(page, "alliance") == str(catalogue["cbd"].pk)
    alliances = set(selectors.alliance_choices(world.users["member"]).values_list("name", flat=True))
    assert alliances == {"丰泽CBD城市党建联盟", "跨区域核心商圈党建联盟"}  # its own and those spanning Fengze


def test_an_account_linked_to_nothing_gets_no_defaults(world: Any, client_for: Any) -> None:
    assert selectors.requester_defaults(world.users["staff_fz"]) == {}
    page = client_for("staff_fz").get("/demands/add/").content.decode()
    assert initial_of(page, "requester_name") == "" and 'data-testid="prefilled"' not in page


def test_the_api_fills_in_what_is_left_out(world: Any, catalogue: Any, client_for: Any) -> None:
    body = {"title": "融资对接", "description": "需要流动资金贷款。", "category": DemandCategory.objects.get(code="financing").pk}
    made = client_for("norole").post("/api/v1/demands/", body, content_type="application/json")
    assert made.status_code == 201, made.json()
    demand = Demand.objects.get(pk=made.json()["id"])
    assert (demand.requester_kind, demand.requester_unit, demand.region, demand.alliance, demand.contact_name) == (
        "unit", world.orgs["fz-e1"].unit, world.regions["fz"], catalogue["cbd"], "王经理")
    stranger = User.objects.create_user(username="stranger", password="Correct-Horse-42")
    client = client_for("norole")
    client.force_login(stranger)
    refused = client.post("/api/v1/demands/", body, content_type="application/json")
    assert refused.status_code == 400
    assert {(e["field"], e["code"]) for e in refused.json()["errors"]} >= {("region", "required"),
                                                                           ("requester_kind", "required")}


# The catalogue -------------------------------------------------------------------------------------------------


def test_the_catalogue_is_open_to_contacts_and_members_not_to_strangers(world: Any, catalogue: Any,
                                                                       client_for: Any) -> None:
    def titles(user: Any) -> set[str]:
        return set(Resource.objects.restrict(user).values_list("title", flat=True))

    # the contact: the CBD alliance's (its unit's organization is a member) and, offered, the cross alliance's
    assert titles(world.users["norole"]) == {"二号楼直播间", "春熙路招聘渠道"}
    assert titles(world.users["member"]) == {"二号楼直播间"}  # a member of a member organization
    sichuan = org_services.unit_create(actor=None, data={"name": "四川某贸易有限公司", "kind": UnitKind.PRIVATE,
                                                         "region": world.regions["sc"],
                                                         "credit_code": "91510000MA0000003X"})
    stranger = User.objects.create_user(username="stranger", password="Correct-Horse-42", unit=sichuan)
    assert titles(stranger) == set()  # a unit outside every region the alliances span
    contact = client_for("norole")
    listed = contact.get("/demands/resources/").content.decode()
    assert "二号楼直播间" in listed and "锦江百货展厅" not in listed and 'data-testid="request-resource"' in listed
    assert contact.get(catalogue["private"].get_absolute_url()).status_code == 404
    assert contact.get(catalogue["withdrawn"].get_absolute_url()).status_code == 404
    page = contact.get(catalogue["cbd_venue"].get_absolute_url()).content.decode()
    assert 'data-testid="request-resource"' in page
    assert "/edit/" not in page  # seeing the catalogue is not managing it


# Request this resource -----------------------------------------------------------------------------------------


def test_request_this_resource_from_the_catalogue_to_the_provider(world: Any, catalogue: Any,
                                                                  client_for: Any) -> None:
    resource = catalogue["cross_channel"]
    contact = client_for("norole")
    page = contact.get(f"/demands/add/?resource={resource.pk}").content.decode()
    assert 'data-testid="requested-resource"' in page and "春熙路招聘渠道" in page
    assert initial_of(page, "resource") == str(resource.pk)
    assert initial_of(page, "category") == str(DemandCategory.objects.get(code="talent").pk)  # a channel serves talent
    assert initial_of(page, "alliance") == str(catalogue["cross"].pk)  # the resource's alliance
    assert initial_of(page, "requester_name") == "泉州某科技有限公司" and initial_of(page, "title")
    answer = contact.post("/demands/add/", {
        "title": initial_of(page, "title"), "category": initial_of(page, "category"), "urgency": "normal",
        "description": "希望通过该渠道招聘外贸业务员。", "region": initial_of(page, "region"),
        "alliance": initial_of(page, "alliance"), "requester_kind": "unit", "requester_name": "泉州某科技有限公司",
        "contact_name": "王经理", "contact_phone": "13900001111", "resource": resource.pk})
    demand = Demand.objects.get()
    assert answer.status_code == 302 and demand.resource == resource
    submitted = demand.events.get(kind=EventKind.SUBMITTED)
    assert "春熙路招聘渠道" in submitted.note  # the timeline says what was asked for
    case = contact.get(demand.get_absolute_url()).content.decode()
    assert 'data-testid="requested-resource"' in case and 'data-testid="match-requested"' not in case

    # the staff of the cross alliance's Fengze side see the resource (fz-b2 is a member): one step to the provider
    staff = client_for("staff_fz")
    case = staff.get(demand.get_absolute_url()).content.decode()
    assert 'data-testid="match-requested"' in case
    staff.post(f"/demands/{demand.pk}/do/match/", {"resource": resource.pk, "outcome": "assigned"})
    demand.refresh_from_db()
    assert demand.status == DemandStatus.ASSIGNED and demand.handler_organization == world.orgs["jj-e1"]
    assert "/demands/" in contact.get(resource.get_absolute_url()).content.decode()  # listed as requested by it


def test_a_resource_no_longer_offered_cannot_be_requested(world: Any, catalogue: Any, client_for: Any) -> None:
    contact = client_for("norole")
    assert contact.get(f"/demands/add/?resource={catalogue['withdrawn'].pk}").status_code == 404
    assert contact.get(f"/demands/add/?resource={catalogue['private'].pk}").status_code == 404
    assert contact.get("/demands/add/?resource=x").status_code == 404
    resource = catalogue["cbd_venue"]
    resources.resource_withdraw(actor=None, resource=resource)
    with pytest.raises(Exception) as caught:
        raise_demand(world, resource=Resource.objects.get(pk=resource.pk))
    assert caught.value.error_dict["resource"][0].code == DemandErrorCode.RESOURCE_NOT_AVAILABLE  # type: ignore[attr-defined]
    with translation.override("zh-hans"), pytest.raises(Exception, match="该资源已不再向您提供"):
        raise_demand(world, resource=Resource.objects.get(pk=resource.pk))


# Mine ----------------------------------------------------------------------------------------------------------


def test_mine_lists_what_i_and_my_unit_raised(world: Any, catalogue: Any, client_for: Any) -> None:
    unit = world.orgs["fz-e1"].unit
    colleague = User.objects.create_user(username="colleague", password="Correct-Horse-42", unit=unit)
    own = raise_demand(world, title="我提的诉求")
    theirs = raise_demand(world, actor=colleague, title="同事代表公司提的诉求", requester_unit=unit)
    recorded = raise_demand(world, actor=world.users["staff_fz"], title="组织员代录的诉求", requester_unit=unit,
                            on_behalf=True)
    raise_demand(world, actor=world.users["staff_fz"], title="别家的诉求")
    contact = world.users["norole"]
    # a contact follows every case raised by the unit they speak for, whoever recorded it
    assert set(Demand.objects.restrict(contact)) == {own, theirs, recorded}
    client = client_for("norole")
    client.get("/demands/", {"mine": "true"})  # warm the caches of the request machinery
    with CaptureQueriesContext(connection) as first:
        page = client.get("/demands/", {"mine": "true"}).content.decode()
    assert all(d.get_absolute_url() in page for d in (own, theirs, recorded)) and "别家的诉求" not in page
    for n in range(3):
        raise_demand(world, title=f"又一个诉求{n}")
    with CaptureQueriesContext(connection) as second:
        client.get("/demands/", {"mine": "true"})
    assert len(second.captured_queries) == len(first.captured_queries)  # a page costs the same, whatever its rows
    staff = client_for("staff_fz")
    api = staff.get("/api/v1/demands/", {"mine": "true"}).json()
    assert {row["title"] for row in api["results"]} == {"组织员代录的诉求", "别家的诉求"}  # what staff recorded
    member = raise_demand(world, actor=world.users["admin"], title="成员的诉求", requester_kind="person",
                          requester_person=world.people["e1-a"], requester_name="成员e1-a")
    mine = client_for("member").get("/api/v1/demands/", {"mine": "true"}).json()
    assert [row["id"] for row in mine["results"]] == [member.pk]
