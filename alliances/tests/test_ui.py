from __future__ import annotations

from typing import Any

from alliances.models import Membership


def test_alliance_pages_render_for_each_viewer(alliances: Any, world: Any, client_for: Any) -> None:
    for role, status in [("staff_fz", 200), ("staff_jj", 404), ("cbd_admin", 200), ("member", 200)]:
        response = client_for(role).get(f"/alliances/{alliances['cbd'].pk}/")
        assert response.status_code == status, role
    page = client_for("staff_jj").get(f"/alliances/{alliances['cross'].pk}/").content.decode()
    # Alliance-facing: the Fengze member's name is shown, but not as a link into Fengze's internal data.
    assert world.orgs["fz-b2"].name in page
    assert f'href="/organizations/{world.orgs["fz-b2"].pk}/"' not in page
    assert f'href="/organizations/{world.orgs["jj-e1"].pk}/"' in page


def test_invite_and_accept_through_the_pages(alliances: Any, world: Any, client_for: Any) -> None:
    cbd, org = alliances["cbd"], world.orgs["fz-e2"]
    admin = client_for("cbd_admin")
    page = admin.get(f"/alliances/{cbd.pk}/").content.decode()
    assert 'data-testid="invite"' in page
    admin.post(f"/alliances/{cbd.pk}/invite/", {"organization": org.pk})
    m = Membership.objects.get(alliance=cbd, organization=org)
    assert m.status == "invited"
    # The admin cannot accept for the organization; the secretary can.
    admin.post(f"/alliances/memberships/{m.pk}/accept/")
    m.refresh_from_db()
    assert m.status == "invited"
    client_for("secretary_b1").post(f"/alliances/memberships/{m.pk}/accept/")
    m.refresh_from_db()
    assert m.status == "active"


def test_apply_from_the_organization_page_and_refuse_with_reason(alliances: Any, world: Any,
                                                                 client_for: Any) -> None:
    cbd, org = alliances["cbd"], world.orgs["fz-e2"]
    secretary = client_for("secretary_b1")
    page = secretary.get(f"/organizations/{org.pk}/").content.decode()
    assert 'data-testid="apply"' in page
    secretary.post(f"/alliances/apply/{org.pk}/", {"alliance": cbd.pk})
    m = Membership.objects.get(alliance=cbd, organization=org)
    assert m.status == "applied"
    client_for("cbd_admin").post(f"/alliances/memberships/{m.pk}/refuse/", {"reason": ""}, follow=True)
    m.refresh_from_db()
    assert m.status == "applied"  # a refusal needs a reason
    client_for("cbd_admin").post(f"/alliances/memberships/{m.pk}/refuse/", {"reason": "不在商圈范围内"})
    m.refresh_from_db()
    assert m.status == "refused"
    assert "不在商圈范围内" in secretary.get(f"/organizations/{org.pk}/").content.decode()


def test_alliance_list_and_create_form(alliances: Any, world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    listing = client.get("/alliances/").content.decode()
    assert alliances["cbd"].name in listing
    created = client.post("/alliances/add/", {"name": "丰泽楼宇联盟", "kind": "building", "status": "active",
                                              "regions": [world.regions["fz"].pk]})
    assert created.status_code == 302
    bad = client.post("/alliances/add/", {"name": "锦江楼宇联盟", "kind": "building", "status": "active",
                                          "regions": [world.regions["jj"].pk]})
    assert bad.status_code == 403


def test_workstreams_and_organizers_are_managed_on_the_alliance_page(alliances: Any, world: Any,
                                                                     client_for: Any) -> None:
    from alliances.models import Organizer, Workstream

    cbd = alliances["cbd"]
    admin = client_for("cbd_admin")
    admin.post(f"/alliances/setup/{cbd.pk}/add-workstream/", {"code": "culture", "name": "文化共建"})
    admin.post(f"/alliances/setup/{cbd.pk}/add-workstream/", {"code": "culture", "name": "重复"})
    assert list(cbd.workstreams.filter(code="culture").values_list("name", flat=True)) == ["文化共建"]
    talent = cbd.workstreams.get(code="talent")
    admin.post(f"/alliances/setup/{talent.pk}/toggle-workstream/")
    talent.refresh_from_db()
    assert not talent.is_active
    # A member's page no longer offers the switched-off workstream; the admin still sees it to switch it on.
    assert talent.name not in client_for("member").get(f"/alliances/{cbd.pk}/").content.decode()
    admin.post(f"/alliances/setup/{cbd.pk}/add-organizer/", {"part": "host", "organization": world.orgs["fz-root"].pk})
    admin.post(f"/alliances/setup/{cbd.pk}/add-organizer/", {"part": "host"})  # neither: refused
    organizer = Organizer.objects.get(alliance=cbd)
    assert organizer.organization == world.orgs["fz-root"]
    # Someone who only sees the alliance cannot change its set-up.
    client_for("secretary_b1").post(f"/alliances/setup/{organizer.pk}/remove-organizer/")
    client_for("secretary_b1").post(f"/alliances/setup/{talent.pk}/toggle-workstream/")
    assert Organizer.objects.filter(pk=organizer.pk).exists()
    assert not Workstream.objects.get(pk=talent.pk).is_active
    admin.post(f"/alliances/setup/{organizer.pk}/remove-organizer/")
    assert not Organizer.objects.filter(pk=organizer.pk).exists()
