from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from conftest import make_id
from organizations.models import Person

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_switch_language(world: Any, page: Any) -> None:
    login(page, "staff_fz")
    assert page.locator("h1").inner_text() == "工作台"
    shot(page, "01-workbench-zh")
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Workbench"
    assert page.get_by_text("Log out").is_visible()
    shot(page, "02-workbench-en")
    page.click("[data-testid=lang-zh-hans]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "工作台"


def test_wrong_password_shows_error(world: Any, page: Any) -> None:
    login(page, "staff_fz", "wrong-password")
    assert page.locator(".alert-danger").is_visible()
    assert "/accounts/login/" in page.url
    assert "区域化党建联盟工作平台" in page.inner_text("[data-testid=product-name]")  # the full name, not a bare card
    shot(page, "00-login")


def test_browse_the_tree(world: Any, page: Any) -> None:
    login(page, "staff_fz")
    page.goto(page.base_url + "/organizations/tree/")
    tree = page.locator("[data-testid=org-tree]")
    assert world.orgs["fz-root"].name in tree.inner_text()
    assert world.orgs["jj-root"].name not in tree.inner_text()
    page.click(f"[data-testid=expand-{world.orgs['fz-root'].pk}]")
    page.wait_for_selector(f"text={world.orgs['fz-b1'].name}")
    page.click(f"[data-testid=expand-{world.orgs['fz-b1'].pk}]")
    page.wait_for_selector(f"text={world.orgs['fz-e1'].name}")
    shot(page, "03-tree-expanded")
    page.click(f"text={world.orgs['fz-e1'].name}")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == world.orgs["fz-e1"].name
    assert world.orgs["fz-b1"].name in page.locator(".breadcrumb").inner_text()
    shot(page, "04-organization-detail")


def _bad_member_file(tmp_path: Any) -> Any:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "所在党组织", "党员类别"])
    ws.append(["王一", make_id("350503", "19850203", "011"), "fz-e2", "正式党员"])
    ws.append(["张三", "350503199001010010", "fz-e2", "正式党员"])
    ws.append(["李四", make_id("350503", "19850203", "022"), "不存在的组织", "正式党员"])
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path / "members.xlsx"
    path.write_bytes(buf.getvalue())
    return path


def test_import_with_errors_shows_report_and_writes_nothing(world: Any, page: Any, tmp_path: Any) -> None:
    login(page, "staff_fz")
    page.goto(page.base_url + "/organizations/people/")
    page.click("text=从 Excel 导入")
    page.set_input_files("input[type=file]", str(_bad_member_file(tmp_path)))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("[data-testid=error-report]")
    report = page.locator("[data-testid=error-report]").inner_text()
    assert "3" in report and "4" in report  # rows 3 and 4 are reported
    assert "身份证" in report
    assert "未导入" in page.locator("[data-testid=import-errors]").inner_text() or "没有导入" in page.locator(
        "[data-testid=import-errors]").inner_text()
    shot(page, "05-import-error-report")
    assert not Person.objects.filter(name__in=["王一", "张三", "李四"]).exists()


def test_member_masked_then_revealed(world: Any, page: Any) -> None:
    person = world.people["e1-a"]
    login(page, "staff_fz")
    page.goto(page.base_url + f"/organizations/people/{person.pk}/")
    shown = page.locator("[data-testid=id-number]").inner_text()
    assert shown == person.id_number_masked and person.id_number not in page.content()
    shot(page, "06-member-masked")
    page.click("[data-testid=reveal]")
    page.wait_for_function("document.querySelector('[data-testid=id-number]').innerText.indexOf('*') < 0")
    assert page.locator("[data-testid=id-number]").inner_text() == person.id_number
    shot(page, "07-member-revealed")


def test_phone_size_screen(world: Any, phone: Any) -> None:
    login(phone, "secretary_b1")
    assert phone.locator(".navbar-toggler").is_visible()
    shot(phone, "08-phone-dashboard")
    phone.click(".navbar-toggler")
    phone.wait_for_selector("#mainnav.show")
    phone.goto(phone.base_url + "/organizations/")
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390 + 1, "the list must not scroll sideways on a phone"
    shot(phone, "09-phone-organization-list")
