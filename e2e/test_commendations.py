"""The commendation procedure in Chromium (issue 19): a branch nominates on a phone, the committee reviews, the
department runs the notice, a member objects and is answered, the decision is issued and the honour shows on the
person's page. The server's clock is moved through the windows (time_machine); each move signs people in again,
because the idle timeout ran out meanwhile."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from accounts.models import Role, User
from accounts.services import role_assign
from commendations.models import Honour, Nomination, Objection
from commendations.tests.conftest import make_campaign

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=TZ)


def fits(screen: Any) -> bool:
    return bool(screen.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_nominate_on_a_phone_review_notice_object_decide(world: Any, page: Any, phone: Any) -> None:
    root = User.objects.create_user(username="sec_root", password="Correct-Horse-42")
    role_assign(actor=None, user=root, role=Role.SECRETARY, organization=world.orgs["fz-root"])
    with time_machine.travel(at(dt.date(2026, 9, 1)), tick=True) as clock:
        campaign = make_campaign(world, start=dt.date(2026, 9, 1))
        # The branch's secretary nominates on a phone.
        login(phone, "secretary_b1")
        phone.goto(phone.base_url + campaign.get_absolute_url())
        phone.click(f"a[href='/commendations/{campaign.pk}/nominate/{world.orgs['fz-b1'].pk}/']")
        assert "0 / 2" in phone.locator("[data-testid=places]").inner_text()
        phone.select_option("#id_category", label="优秀共产党员")
        phone.select_option("#id_person", label="成员e1-b")
        phone.fill("#id_deeds", "疫情防控期间带头值守楼宇卡口，组织党员志愿者服务企业复工。")
        phone.check("#id_declared")
        assert fits(phone)
        shot(phone, "60-commendation-nominate-phone")
        phone.click("[data-testid=save-draft]")
        phone.click("[data-testid=submit]")
        phone.wait_for_selector("[data-testid=status]")
        assert Nomination.objects.get().status == "submitted"
        assert fits(phone)
        shot(phone, "61-commendation-submitted-phone")

        # The committee reviews from its queue.
        login(page, "sec_root")
        page.goto(page.base_url + "/commendations/review/")
        page.click("text=成员e1-b")
        page.select_option("#id_opinion", "pass")
        page.click("[data-testid=review] button")
        assert Nomination.objects.get().status == "passed"

        # The department (Fengze's staff) closes the nominations and starts the notice.
        clock.move_to(at(dt.date(2026, 9, 14)))
        page.context.clear_cookies()
        login(page, "staff_fz")
        page.goto(page.base_url + campaign.get_absolute_url())
        page.click("[data-testid=close]")
        page.fill("#id_starts_on", "2026-09-14")
        page.fill("#id_contact", "区委组织部 0595-22000000")
        page.click("[data-testid=start-notice]")
        notice = campaign.notices.get()

        # A member of the branch reads the notice on a phone and objects with name, unit and phone.
        phone.context.clear_cookies()
        login(phone, "member")
        phone.goto(phone.base_url + notice.get_absolute_url())
        rows = phone.locator("[data-testid=notice-rows]").inner_text()
        assert "成员e1-b" in rows and "某科技公司党支部" in rows and world.people["e1-b"].phone not in rows
        phone.fill("#id_objector_name", "王某")
        phone.fill("#id_objector_unit", "泉州某贸易公司")
        phone.fill("#id_objector_phone", "13912345678")
        phone.fill("#id_text", "事迹有夸大，请核实。")
        assert fits(phone)
        shot(phone, "62-commendation-notice-phone")
        phone.click("[data-testid=objection-form] button")
        objection = Objection.objects.get()

        # The department answers the objection.
        page.goto(page.base_url + objection.get_absolute_url())
        assert "139****5678" in page.locator("[data-testid=phone]").inner_text()
        page.select_option("#id_finding", "unfounded")
        page.fill("#id_reply", "经核实，事迹属实。")
        page.click("text=提交核实结论")
        page.wait_for_selector("[data-testid=finding]")

        # After the notice, the decision; the honour is on the person's page.
        clock.move_to(at(dt.date(2026, 9, 21)))
        page.context.clear_cookies()
        login(page, "staff_fz")
        page.goto(page.base_url + campaign.get_absolute_url())
        page.fill("#id_number", "丰委〔2026〕12号")
        page.fill("#id_date", "2026-09-21")
        page.click("[data-testid=decide]")
        page.wait_for_selector("[data-testid=decision]")
        honour = Honour.objects.get()
        page.goto(page.base_url + world.people["e1-b"].get_absolute_url())
        assert "优秀共产党员" in page.locator("[data-testid=honour-roll]").inner_text()
        shot(page, "63-commendation-honour-on-person")
        assert honour.decision.number == "丰委〔2026〕12号"
