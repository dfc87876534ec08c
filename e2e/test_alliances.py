from __future__ import annotations

from typing import Any

import pytest

from alliances.models import Alliance, Membership

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page: Any) -> None:
    page.context.clear_cookies()


def test_create_alliance_invite_accept_apply_approve(world: Any, page: Any) -> None:
    login(page, "staff_fz")
    page.goto(page.base_url + "/alliances/add/")
    page.fill("#id_name", "丰泽楼宇党建联盟")
    page.select_option("#id_kind", "building")
    page.fill("#id_theme", "楼宇党建、共建共享")
    page.select_option("#id_regions", str(world.regions["fz"].pk))
    page.click("[data-testid=save]")
    page.wait_for_selector("h1:has-text('丰泽楼宇党建联盟')")
    alliance = Alliance.objects.get(name="丰泽楼宇党建联盟")
    assert alliance.workstreams.count() == 4

    # Invite an enterprise branch.
    page.select_option("[data-testid=invite-select]", str(world.orgs["fz-e2"].pk))
    page.click("[data-testid=invite]")
    page.wait_for_selector("[data-testid=pending]")
    shot(page, "10-alliance-invited")

    # Its secretary accepts.
    logout(page)
    login(page, "secretary_b1")
    page.goto(page.base_url + alliance.get_absolute_url())
    invite = Membership.objects.get(alliance=alliance, organization=world.orgs["fz-e2"])
    page.click(f"[data-testid=accept-{invite.pk}]")
    page.wait_for_selector(f"[data-testid=members] >> text={world.orgs['fz-e2'].name}")

    # The same secretary applies for another branch from its organization page ...
    page.goto(page.base_url + world.orgs["fz-e1"].get_absolute_url())
    page.select_option("select[name=alliance]", str(alliance.pk))
    page.click("[data-testid=apply]")
    page.wait_for_selector(".alert-success")

    # ... and the department staff approve it.
    logout(page)
    login(page, "staff_fz")
    page.goto(page.base_url + alliance.get_absolute_url())
    application = Membership.objects.get(alliance=alliance, organization=world.orgs["fz-e1"])
    page.click(f"[data-testid=approve-{application.pk}]")
    page.wait_for_selector(f"[data-testid=members] >> text={world.orgs['fz-e1'].name}")
    stats = page.locator("[data-testid=stats]").inner_text()
    assert "2" in stats
    shot(page, "11-alliance-members")
    assert set(alliance.memberships.filter(status="active").values_list("organization__code", flat=True)) == {
        "fz-e1", "fz-e2"}
