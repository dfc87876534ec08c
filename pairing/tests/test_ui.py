from __future__ import annotations

import datetime as dt
import io
import subprocess
from typing import Any

from openpyxl import load_workbook

from conftest import xlsx
from core.models import AuditEvent
from pairing.models import Pair, PairReview

from .conftest import propose


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode()


def test_pages_render_for_each_viewer(world: Any, organs: Any, programme: Any, client_for: Any) -> None:
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    for role, status in [("staff_fz", 200), ("secretary_b1", 200), ("staff_jj", 404), ("norole", 404)]:
        assert client_for(role).get(f"/pairing/pairs/{pair.pk}/").status_code == status, role
    page = client_for("staff_fz").get(f"/pairing/{programme.pk}/").content.decode()
    assert organs["fz-o1"].name in page and 'data-testid="add-pair"' in page
    # A paired enterprise's secretary sees the pair but gets no management buttons.
    page = client_for("secretary_b1").get(f"/pairing/pairs/{pair.pk}/").content.decode()
    assert 'data-testid="plaque"' in page and 'data-testid="steps"' not in page
    assert client_for("secretary_b1").get(f"/pairing/pairs/{pair.pk}/edit/").status_code == 403
    listing = client_for("staff_fz").get("/pairing/pairs/", {"q": "科技局"}).content.decode()
    assert organs["fz-o1"].name in listing


def test_create_pair_through_the_form_with_errors_in_place(world: Any, organs: Any, programme: Any,
                                                            client_for: Any) -> None:
    client = client_for("staff_fz")
    url = f"/pairing/{programme.pk}/pairs/add/"
    form = client.get(url, {"organ": organs["fz-o1"].pk, "partner": world.orgs["fz-e1"].pk}).content.decode()
    assert f'<option value="{organs["fz-o1"].pk}" selected>' in form
    bad = client.post(url, {"organ": organs["fz-o1"].pk, "partners": [world.orgs["fz-e1"].pk],
                            "starts_on": "2020-01-01", "target_activities_per_quarter": 1},
                      HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 200
    assert "结对期限须在计划期限内" in bad.content.decode()
    assert not Pair.objects.exists()
    ok = client.post(url, {"organ": organs["fz-o1"].pk, "partners": [world.orgs["fz-e1"].pk, world.orgs["fz-e2"].pk],
                           "target_activities_per_quarter": 3, "goals": "共建共促"})
    assert ok.status_code == 302
    pair = Pair.objects.get()
    assert pair.partners.count() == 2 and pair.target_activities_per_quarter == 3
    assert (pair.starts_on, pair.ends_on) == (programme.starts_on, programme.ends_on)


def test_status_steps_and_review_through_the_page(world: Any, organs: Any, programme: Any, client_for: Any) -> None:
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    client = client_for("staff_fz")
    client.post(f"/pairing/pairs/{pair.pk}/renew/", {"ends_on": "2027-12-31"})  # illegal from proposed
    pair.refresh_from_db()
    assert pair.status == "proposed"
    client.post(f"/pairing/pairs/{pair.pk}/activate/")
    page = client.post(f"/pairing/pairs/{pair.pk}/record-review/", {"year": 2024, "rating": "excellent",
                                                                    "comments": "活动扎实"}, follow=True)
    assert "活动扎实" in page.content.decode()
    assert PairReview.objects.get(pair=pair).rating == "excellent"
    client.post(f"/pairing/pairs/{pair.pk}/end/", {"reason": ""})
    pair.refresh_from_db()
    assert pair.status == "active"
    client_for("secretary_b1").post(f"/pairing/pairs/{pair.pk}/end/", {"reason": "企业要求"})
    pair.refresh_from_db()
    assert pair.status == "active"


def test_plaque_and_agreement_pdfs_carry_the_chinese_text(world: Any, organs: Any, programme: Any,
                                                          client_for: Any) -> None:
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"], goals="以党建共建促进企业发展",
                   activities_content="每月联合开展主题党日")
    client = client_for("secretary_b1")  # the partner's side may download them too
    plaque = client.get(f"/pairing/pairs/{pair.pk}/plaque.pdf")
    assert plaque.status_code == 200 and plaque["Content-Type"] == "application/pdf"
    text = pdf_text(plaque.content)
    for expected in ("党建共建单位", organs["fz-o1"].name, world.orgs["fz-e1"].name, programme.owner.name,
                     "2024年1月1日"):
        assert expected in text.replace(" ", ""), expected
    agreement = pdf_text(client.get(f"/pairing/pairs/{pair.pk}/agreement.pdf").content).replace(" ", "")
    for expected in ("结对共建协议书", "甲方", "乙方", "以党建共建促进企业发展", "每月联合开展主题党日", "活动联办"):
        assert expected in agreement, expected
    english = pdf_text(client.get(f"/pairing/pairs/{pair.pk}/plaque.pdf", {"lang": "en"}).content)
    assert "Party-building co-construction unit" in english
    assert client.get(f"/pairing/pairs/{pair.pk}/plaque.pdf", {"lang": "xx"}).status_code == 404
    assert client_for("staff_jj").get(f"/pairing/pairs/{pair.pk}/plaque.pdf").status_code == 404
    assert AuditEvent.objects.filter(action="export", object_type="pairing.pair").count() == 3


def test_missing_font_is_a_clear_error(world: Any, organs: Any, programme: Any, client_for: Any,
                                       settings: Any) -> None:
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    settings.PDF_FONT_REGULAR = "/nonexistent/font.ttc"
    response = client_for("staff_fz").get(f"/pairing/pairs/{pair.pk}/plaque.pdf", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "/nonexistent/font.ttc is not installed" in response.content.decode()  # in the user's language
    assert "fonts-noto-cjk" in response.content.decode()


HEADERS = ["机关党组织", "结对党组织", "开始日期", "结束日期", "每季度联合活动次数"]


def _upload(client: Any, programme: Any, content: bytes) -> Any:
    upload = io.BytesIO(content)
    upload.name = "结对名单.xlsx"
    return client.post(f"/pairing/{programme.pk}/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_import_pairing_list_all_or_nothing_and_idempotent(world: Any, organs: Any, programme: Any,
                                                          client_for: Any) -> None:
    client = client_for("staff_fz")
    template = client.get(f"/pairing/{programme.pk}/import/", {"template": 1}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert load_workbook(io.BytesIO(template.content)).active["A1"].value == "机关党组织"
    good = [["fz-o1", "某科技公司党支部、某协会党支部", dt.date(2024, 5, 16), None, 2],
            ["丰泽区商务局机关党支部", "fz-b1", None, None, None]]
    bad = [*good, ["fz-o2", "fz-o2", None, None, None], ["不存在的党支部", "fz-e1", None, None, None]]
    response = _upload(client, programme, xlsx(HEADERS, bad))
    assert response.status_code == 400
    page = response.content.decode()
    assert "不能与自身结对" in page and "不存在的党支部" in page
    assert not Pair.objects.exists()
    assert _upload(client, programme, xlsx(HEADERS, good)).status_code == 200
    assert Pair.objects.count() == 2
    pair = Pair.objects.get(organ=organs["fz-o1"])
    assert pair.starts_on == dt.date(2024, 5, 16) and pair.target_activities_per_quarter == 2
    again = _upload(client, programme, xlsx(HEADERS, good))
    assert "2 未变" in again.content.decode().replace("\n", "") or "未变" in again.content.decode()
    assert Pair.objects.count() == 2
    # A row that only the write can refuse (the organ's load) leaves nothing behind either.
    over = [["fz-o1", "成都某百货党支部", None, None, None], ["fz-o2", "fz-b2", None, None, None]]
    client_admin = client_for("admin")
    response = _upload(client_admin, programme, xlsx(HEADERS, over))
    assert response.status_code == 400 and "最多" in response.content.decode()
    assert Pair.objects.count() == 2


def test_import_is_for_the_organizers_only(world: Any, organs: Any, programme: Any, client_for: Any) -> None:
    propose(programme, organs["fz-o1"], world.orgs["fz-e1"])  # the secretary of fz-e1's parent now sees it
    assert client_for("secretary_b1").get(f"/pairing/{programme.pk}/import/").status_code == 403
    assert client_for("staff_jj").get(f"/pairing/{programme.pk}/import/").status_code == 404


def test_export_is_scoped_and_the_list_has_no_n_plus_one(world: Any, organs: Any, programme: Any,
                                                         client_for: Any, django_assert_max_num_queries: Any) -> None:
    propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    propose(programme, organs["fz-o2"], world.orgs["jj-e1"], world.orgs["fz-b2"])
    response = client_for("staff_jj").post("/pairing/pairs/", {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == organs["fz-o2"].name
    assert "成都某百货党支部" in rows[1][2]
    client = client_for("staff_fz")
    client.get("/pairing/pairs/")
    with django_assert_max_num_queries(20) as two_pairs:
        client.get("/pairing/pairs/")
    propose(programme, organs["jj-o1"], world.orgs["fz-e2"], world.orgs["fz-b1"])
    propose(programme, organs["fz-o1"], world.orgs["fz-b2"])
    with django_assert_max_num_queries(len(two_pairs.captured_queries)):
        page = client.get("/pairing/pairs/").content.decode()
    assert all(f'href="/pairing/pairs/{pk}/"' in page for pk in Pair.objects.values_list("pk", flat=True))
    assert Pair.objects.count() == 4


def test_organization_page_lists_its_pairs_on_either_side(world: Any, organs: Any, programme: Any,
                                                         client_for: Any) -> None:
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    client = client_for("staff_fz")
    organ_page = client.get(f"/organizations/{organs['fz-o1'].pk}/").content.decode()
    assert f'href="/pairing/pairs/{pair.pk}/"' in organ_page and world.orgs["fz-e1"].name in organ_page
    partner_page = client_for("secretary_b1").get(f"/organizations/{world.orgs['fz-e1'].pk}/").content.decode()
    assert f'href="/pairing/pairs/{pair.pk}/"' in partner_page and organs["fz-o1"].name in partner_page
    other = client.get(f"/organizations/{world.orgs['fz-e2'].pk}/").content.decode()
    assert f'href="/pairing/pairs/{pair.pk}/"' not in other
