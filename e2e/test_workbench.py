"""Every demo role's home in Chromium, on a desktop and on a phone: the workbench finds what waits for each, and
the page fits the screen."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from activities import defaults as activity_defaults
from activities.models import LedgerRule
from demands import defaults as demand_defaults
from demands.models import DeadlineTier, DemandCategory
from demo.data import DEMO_PASSWORD

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What each demo role must find waiting whatever the day (the demo's cases and applications wait for a decision;
# reviews, hosting and ledger gaps come and go with the calendar).
EXPECTED = {
    "fengze_staff": ["todo-demands.decide", "todo-alliances.applications"],
    "secretary": ["todo-demands.handle"],
    "cbd_alliance": ["todo-demands.decide", "todo-alliances.applications"],
    "enterprise": [],
    "member": [],
    "admin": ["todo-demands.decide"],
    "auditor": [],
    "xiangtan_staff": [],
}


def test_each_demo_role_finds_its_work_on_the_workbench(page: Any, phone: Any) -> None:
    # A transactional test starts from an emptied database: the data migrations' rows first.
    demand_defaults.install(DemandCategory, DeadlineTier)
    activity_defaults.install(LedgerRule)
    call_command("load_demo", stdout=StringIO())
    for username, expected in EXPECTED.items():
        for screen, label in ((page, "desktop"), (phone, "phone")):
            screen.context.clear_cookies()
            login(screen, username, DEMO_PASSWORD)
            screen.wait_for_selector("[data-testid=todo]")
            for testid in expected:
                group = screen.locator(f"[data-testid='{testid}']")
                assert group.count() == 1, (username, testid)
                assert group.locator("a").count() >= 1  # each item links to where it is done
            assert screen.locator("[data-testid=shortcuts] a").count() >= 2
            assert screen.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (username, label)
            shot(screen, f"45-workbench-{username}-{label}")


def test_the_enterprise_requests_a_resource_from_the_catalogue_on_a_phone(phone: Any) -> None:
    demand_defaults.install(DemandCategory, DeadlineTier)
    activity_defaults.install(LedgerRule)
    call_command("load_demo", stdout=StringIO())
    login(phone, "enterprise", DEMO_PASSWORD)
    phone.goto(phone.base_url + "/demands/resources/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "46-catalogue-enterprise-phone")
    assert phone.locator("#object-table thead").is_hidden()  # a card per resource, not a table
    phone.locator("#object-table tbody a[href^='/demands/resources/']").first.click()
    phone.click("[data-testid=request-resource]")
    phone.wait_for_selector("#id_title")
    # Never ask for what the platform already has: who raises it, the contact and the region come filled in.
    assert phone.input_value("#id_requester_name") == "泉州某电子商务有限公司"
    assert phone.input_value("#id_contact_name") == "泉州某电子商务有限公司·王经理"
    assert phone.get_attribute("#id_contact_phone", "type") == "tel"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "47-demand-form-prefilled-phone")
