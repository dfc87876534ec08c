"""The three lists in Chromium: an enterprise contact raises a demand on a phone, staff accept a recommended match,
the handler resolves it, the requester rates it, and the scheduling report shows the change."""

from __future__ import annotations

from typing import Any

import pytest

from demands import defaults, recommend, resources
from demands.models import DeadlineTier, Demand, DemandCategory

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demand_from_a_phone_to_a_rated_result_and_the_report(world: Any, phone: Any, page: Any) -> None:
    defaults.install(DemandCategory, DeadlineTier)  # a transactional test starts from an emptied database
    recommend.reset()
    resources.resource_create(actor=None, data={
        "title": "人社所专场招聘会", "kind": "channel", "organization": world.orgs["fz-b1"],
        "region": world.regions["fz"], "description": "每月一场专场招聘会，对接数控技工、普工等岗位。"})

    login(phone, "norole")  # an enterprise contact: no role at all
    phone.goto(phone.base_url + "/demands/add/")
    phone.fill("#id_title", "招聘数控技工")
    phone.select_option("#id_category", label="人才招聘")
    phone.fill("#id_description", "企业扩产，急需数控技工20名，希望参加专场招聘会。")
    phone.select_option("#id_region", label="丰泽区")
    phone.fill("#id_requester_name", "泉州某科技有限公司")
    phone.fill("#id_contact_name", "王经理")
    phone.fill("#id_contact_phone", "13800001234")
    phone.click("[data-testid=save]")
    phone.wait_for_selector("[data-testid=status]")
    assert phone.inner_text("[data-testid=status]") == "已提交"
    assert "受理期限" in phone.inner_text("[data-testid=deadline]")  # the requester sees where the case stands
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "40-demand-raised-phone")
    demand = Demand.objects.get()

    # The region's staff learn of it: the bell and their workbench.
    login(page, "staff_fz")
    assert page.inner_text("[data-testid=notifications] .badge") == "1"
    decide = page.locator("[data-testid='todo-demands.decide']")
    assert "招聘数控技工" in decide.inner_text() and "待受理的需求" in decide.inner_text()
    shot(page, "39-workbench-staff")
    decide.locator("a", has_text="招聘数控技工").click()
    page.wait_for_selector("[data-testid=status]")
    card = page.locator("[data-testid=recommendation]").first
    assert "人社所专场招聘会" in card.inner_text() and "共同关键词" in card.inner_text()
    shot(page, "41-demand-recommendations")
    card.locator("[data-testid=match-assign]").click()
    page.wait_for_selector("text=已采纳匹配")
    assert page.inner_text("[data-testid=status]") == "已交办"
    assert world.orgs["fz-b1"].name in page.inner_text("[data-testid=handler]")

    page.context.clear_cookies()
    login(page, "secretary_b1")  # the assignment reached the handler organization's secretary
    handle = page.locator("[data-testid='todo-demands.handle']")
    assert "招聘数控技工" in handle.inner_text()
    page.click("[data-testid=notifications]")
    assert "交办" in page.inner_text("[data-testid=notification-list]")
    page.goto(page.base_url + demand.get_absolute_url())
    page.fill("#id_resolution", "在11月专场招聘会上为企业招到数控技工18名。")
    page.click("[data-testid=resolve]")
    page.wait_for_selector("text=已办结")

    phone.goto(phone.base_url + "/")  # the requester is asked to rate, on their workbench
    rate = phone.locator("[data-testid='todo-demands.rate']")
    assert "招聘数控技工" in rate.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "41b-workbench-requester-phone")
    rate.locator("a", has_text="招聘数控技工").click()
    phone.wait_for_selector("[data-testid=status]")
    phone.check("input[name=rating][value='5']")
    phone.fill("#id_comment", "对接很快，感谢！")
    phone.click("[data-testid=rate]")
    phone.wait_for_selector("[data-testid=rating]")
    assert phone.inner_text("[data-testid=status]") == "已关闭"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "42-demand-rated-phone")

    page.context.clear_cookies()
    login(page, "staff_fz")
    page.goto(page.base_url + "/demands/report/?group=handler")
    row = page.locator("[data-testid=report] tbody tr").first
    assert world.orgs["fz-b1"].name in row.inner_text()
    assert row.locator("[data-figure=resolved]").inner_text() == "1"
    assert row.locator("[data-figure=satisfied]").inner_text() == "100%"
    assert "诉求列表的“已逾期”筛选" in page.inner_text("[data-testid=definitions]")
    shot(page, "43-scheduling-report")
    recommend.reset()
