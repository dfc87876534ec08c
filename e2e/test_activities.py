from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import role_assign
from activities import defaults
from activities.models import Activity, LedgerRule
from activities.tests.conftest import pair, programme  # noqa: F401  (fixtures)
from pairing.tests.conftest import organs  # noqa: F401  (fixture)

from .conftest import PASSWORD, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_themed_party_day_of_a_pair_with_phone_sign_in(world: Any, organs: Any, pair: Any, page: Any,  # noqa: F811
                                                        phone: Any) -> None:
    defaults.install(LedgerRule)  # transactional tests flush what the data migrations installed
    secretary = User.objects.create_user(username="o1_sec", password=PASSWORD)
    role_assign(actor=None, user=secretary, role=Role.SECRETARY, organization=organs["fz-o1"])
    login(page, "o1_sec")
    steps = 0  # what the secretary does after opening the pair's page: each click or field filled

    # From the pair's page: "record a joint activity" opens the form with the pair and the lead filled in.
    page.goto(page.base_url + pair.get_absolute_url())
    page.click("[data-testid=add-pair-activity]")
    steps += 1
    assert page.input_value("#id_lead") == str(organs["fz-o1"].pk)
    assert page.locator("#id_pairs option:checked").count() == 1
    starts = timezone.localtime(timezone.now() - dt.timedelta(minutes=30)).replace(second=0, microsecond=0)
    page.fill("#id_theme", "联学《条例》主题党日")
    page.fill("#id_starts_at", f"{starts:%Y-%m-%dT%H:%M}")
    page.fill("#id_ends_at", f"{starts + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}")
    page.fill("#id_venue", "科技局三楼会议室")
    steps += 4
    shot(page, "30-activity-form")
    page.click("[data-testid=save]")
    steps += 1
    page.wait_for_selector("[data-testid=hosts]")
    activity = Activity.objects.get(theme="联学《条例》主题党日")
    hosts = page.inner_text("[data-testid=hosts]")
    assert organs["fz-o1"].name in hosts and world.orgs["fz-e1"].name in hosts  # the partner co-hosts

    # The QR page shows the code; its link is what a phone opens after scanning.
    page.click("[data-testid=qr-page]")
    page.wait_for_selector("[data-testid=qr-image]")
    page.wait_for_function("(() => { const i = document.querySelector('[data-testid=qr-image]');"
                           " return i.complete && i.naturalWidth > 0; })()")
    shot(page, "31-activity-qr")
    link = page.get_attribute("[data-testid=signin-link]", "href")
    assert link and "/activities/signin/" in link

    # A guest from another unit signs in on a phone with name and unit.
    phone.goto(link)
    phone.fill("#id_name", "王芳")
    phone.fill("#id_unit", "泉州市图书馆")
    phone.click("[data-testid=signin-guest]")
    phone.wait_for_selector("[data-testid=signin-done]")
    shot(phone, "32-phone-guest-signed-in")
    # A party member logs in on the phone and signs in with one tap; a second tap is refused politely.
    phone.goto(link)
    phone.click("[data-testid=signin-login]")
    phone.fill("#id_username", "member")
    phone.fill("#id_password", PASSWORD)
    phone.click("[data-testid=login-submit]")
    phone.wait_for_selector("[data-testid=signin-me]")
    shot(phone, "33-phone-member-sign-in")
    phone.click("[data-testid=signin-me]")
    phone.wait_for_selector("[data-testid=signin-done]")
    phone.goto(link)
    phone.wait_for_selector("[data-testid=signin-done]")  # already signed in: shown, not a second row
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling

    # The secretary writes the record: the activity counts for the pair and in each side's ledger.
    page.goto(page.base_url + activity.get_absolute_url())
    assert page.inner_text("[data-testid=attendance-count]") == "2"
    page.fill("#id_minutes", "共同学习《中国共产党纪律处分条例》，企业负责人讲微党课。")
    steps += 1
    page.click("[data-testid=save-record]")
    steps += 1
    page.wait_for_selector("[data-testid=status]:has-text('已记录')")
    shot(page, "34-activity-recorded")
    assert steps <= 8, steps

    page.goto(page.base_url + pair.get_absolute_url())
    assert page.get_attribute("[data-testid=progress]", "data-done") == "1"
    assert "联学《条例》主题党日" in page.inner_text("[data-testid=pair-activities]")
    shot(page, "35-pair-progress")
    # The organ's own ledger credits the party day (the partner's ledger too; its secretary sees that one).
    page.goto(page.base_url + f"/activities/ledger/{organs['fz-o1'].pk}/")
    shot(page, "36-organ-ledger")
    assert page.locator("[data-testid=ledger-row] [data-status=done]").count() == 1
    assert page.goto(page.base_url + f"/activities/ledger/{world.orgs['fz-e1'].pk}/").status == 404


def test_member_registers_on_a_phone_until_the_activity_is_full(world: Any, phone: Any) -> None:
    from activities import services
    from activities.tests.conftest import at, make_activity

    activity = make_activity(world.orgs["fz-e1"], starts=at(days=5), capacity=1, theme="联盟学习会")
    services.activity_open(actor=None, activity=activity)
    world.users["member"].set_password(PASSWORD)
    world.users["member"].save()
    login(phone, "member")
    phone.goto(phone.base_url + activity.get_absolute_url())
    phone.click("[data-testid=register-me]")
    phone.wait_for_selector("text=您已报名")
    assert phone.inner_text("[data-testid=registered-count]") == "1"
    assert "已满" in phone.inner_text("[data-testid=registration]")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "37-activity-registered-phone")
    phone.click("[data-testid=unregister-me]")
    phone.wait_for_selector("[data-testid=register-me]")
    assert activity.registrations.get().status == "cancelled"
