from __future__ import annotations

import subprocess
from typing import Any

import pytest

from pairing.models import Pair, PairingProgramme
from pairing.tests.conftest import organs  # noqa: F401  (fixture)

from .conftest import ARTIFACTS, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_programme_and_pair_then_download_the_plaque(world: Any, organs: Any, page: Any) -> None:  # noqa: F811
    login(page, "staff_fz")
    page.goto(page.base_url + "/pairing/add/")
    page.fill("#id_name", "丰泽区机关—两新党组织结对共建（2026）")
    page.select_option("#id_owner", str(organs["fz-organs"].pk))
    page.fill("#id_starts_on", "2026-01-01")
    page.fill("#id_ends_on", "2027-12-31")
    page.click("[data-testid=save]")
    page.wait_for_selector("h1:has-text('丰泽区机关—两新党组织结对共建（2026）')")
    programme = PairingProgramme.objects.get()

    # The suggestions put the software company next to the technology bureau, and say why.
    page.click("[data-testid=suggestions]")
    row = page.locator("[data-testid=suggestion-row]", has_text=world.orgs["fz-e1"].name)
    assert "行业对口：软件和信息技术" in row.inner_text()
    shot(page, "20-pairing-suggestions")
    row.locator("[data-testid=take-suggestion]").first.click()

    # The pair form arrives filled in from the suggestion; add the agreement and save.
    assert page.input_value("#id_organ") == str(organs["fz-o1"].pk)
    page.fill("#id_goals", "以党建共建促进企业发展")
    page.fill("#id_activities_content", "每月联合开展主题党日")
    page.fill("#id_target_activities_per_quarter", "3")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=status]")
    pair = Pair.objects.get(programme=programme)
    assert [o.code for o in pair.partners.all()] == ["fz-e1"]
    page.click("[data-testid=step-activate]")
    page.wait_for_selector("[data-testid=status]:has-text('履约中')")
    shot(page, "21-pair-detail")

    # The plaque: download it as the browser does, check the text and look at a rendering.
    response = page.request.get(page.base_url + f"/pairing/pairs/{pair.pk}/plaque.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = ARTIFACTS / "22-pair-plaque.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    for expected in ("党建共建单位", organs["fz-o1"].name, world.orgs["fz-e1"].name, "丰泽区直机关工委"):
        assert expected in text.replace(" ", ""), expected
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(ARTIFACTS / "22-pair-plaque")],
                   check=True)
    assert (ARTIFACTS / "22-pair-plaque.png").stat().st_size > 10_000
