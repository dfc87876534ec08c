"""The pages of each step: a branch nominates on its page (places used x / y), submits; the reviewer's queue and
opinion; the notice page shows name, gender, organization and post — never ID numbers or phones — and takes an
objection; the desk records the finding; the decision is issued and the honour shows in the honours list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone

from commendations.models import Campaign, Honour, Nomination, Objection

from .conftest import make_campaign
from .test_procedure import DEEDS, TZ


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def signed_in_again(world: Any, sec_root: Any, root: Client, branch: Client, member: Client) -> None:
    root.force_login(sec_root)
    branch.force_login(world.users["secretary_b1"])
    member.force_login(world.users["member"])


def test_the_procedure_through_the_pages(world: Any, sec_root: Any, client_for: Any) -> None:
    branch, root, member = client_for("secretary_b1"), Client(), client_for("member")
    root.force_login(sec_root)
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=TZ), tick=False) as clock:
        campaign = make_campaign(world, start=dt.date(2026, 9, 1))
        detail = page(branch, campaign.get_absolute_url())
        url = f"/commendations/{campaign.pk}/nominate/{world.orgs['fz-b1'].pk}/"
        assert url in detail
        nominating = page(branch, url)
        assert "0 / 2" in nominating and "成员e1-b" in nominating and "成员b2-a" not in nominating
        category = campaign.categories.get(name="优秀共产党员")
        response = branch.post(url, {"category": category.pk, "person": world.people["e1-b"].pk,
                                     "deeds": DEEDS, "declared": "on"})
        nomination = Nomination.objects.get()
        assert response.status_code == 302 and response["Location"] == nomination.get_absolute_url()
        detail = page(branch, nomination.get_absolute_url())
        assert 'data-testid="submit"' in detail and 'data-testid="facts"' in detail
        branch.post(f"/commendations/nominations/{nomination.pk}/do/submit/")
        assert "1 / 2" in page(branch, url)
        page(branch, f"/commendations/nominations/{nomination.pk}/edit/", 403)  # submitted: no more editing

        assert "成员e1-b" in page(root, "/commendations/review/")
        assert "成员e1-b" not in page(branch, "/commendations/review/")  # not a reviewer of the committee's stage
        root.post(f"/commendations/nominations/{nomination.pk}/do/review/", {"opinion": "pass", "comment": "同意"})
        clock.move_to(dt.datetime(2026, 9, 14, 10, tzinfo=TZ))
        signed_in_again(world, sec_root, root, branch, member)  # the idle timeout ran out meanwhile
        root.post(f"/commendations/{campaign.pk}/do/close/")
        root.post(f"/commendations/{campaign.pk}/do/notice/", {"starts_on": "2026-09-14", "contact": "区委组织部"})
        notice = campaign.notices.get()
        assert notice.ends_on == dt.date(2026, 9, 18)

        text = page(member, notice.get_absolute_url())
        assert "成员e1-b" in text and "某科技公司党支部" in text and 'data-testid="objection-form"' in text
        person = world.people["e1-b"]
        assert person.id_number not in text and person.phone not in text and person.phone_masked not in text
        member.post(f"/commendations/notices/{notice.pk}/do/object/", {
            "nomination": nomination.pk, "objector_name": "王某", "objector_unit": "泉州某贸易公司",
            "objector_phone": "13912345678", "text": "事迹有夸大"})
        objection = Objection.objects.get()
        assert "139****5678" in page(root, "/commendations/objections/")
        assert "13912345678" not in page(root, objection.get_absolute_url())
        page(branch, objection.get_absolute_url(), 404)
        root.post(f"/commendations/objections/{objection.pk}/do/handle/", {"finding": "unfounded",
                                                                           "reply": "经核实，事迹属实。"})
        root.post(f"/commendations/{campaign.pk}/do/decide/", {"number": "丰委〔2026〕12号",
                                                                          "date": "2026-09-18"})
        assert Campaign.objects.get().status == "on_notice"  # the notice runs until the 18th: refused
        clock.move_to(dt.datetime(2026, 9, 21, 10, tzinfo=TZ))
        signed_in_again(world, sec_root, root, branch, member)
        root.post(f"/commendations/{campaign.pk}/do/decide/", {"number": "丰委〔2026〕12号", "date": "2026-09-21"})
        honour = Honour.objects.get()
        assert "丰委〔2026〕12号" in page(root, campaign.get_absolute_url())
        assert honour.get_absolute_url() in page(branch, "/commendations/honours/")
        assert "优秀共产党员" in page(branch, honour.get_absolute_url())
        roll = page(branch, world.people["e1-b"].get_absolute_url())  # the honour roll on the person's page
        assert 'data-testid="honour-roll"' in roll and honour.get_absolute_url() in roll
        assert 'data-testid="honour-roll"' not in page(branch, world.people["e1-a"].get_absolute_url())


def test_the_yearly_archive_counts_by_sector_in_one_query(world: Any, client_for: Any,
                                                          django_assert_max_num_queries: Any) -> None:
    from commendations.selectors import honour_archive

    Honour.objects.create(person=world.people["e1-b"], category_name="优秀共产党员", year=2025)
    Honour.objects.create(person=world.people["b2-a"], category_name="优秀共产党员", year=2025)
    Honour.objects.create(organization=world.orgs["fz-e1"], category_name="先进基层党组织", year=2025)
    Honour.objects.create(organization=world.orgs["jj-e1"], category_name="先进基层党组织", year=2025)
    Honour.objects.create(person=world.people["e1-a"], category_name="优秀共产党员", year=2024,
                          revoked_at=timezone.now(), revoke_reason="违纪")
    staff = world.users["staff_fz"]
    with django_assert_max_num_queries(2):  # the scope, the grouped count
        archive = honour_archive(staff)
    assert [(year, [(r.category, r.total, r.two_new, r.two_new_percent) for r in rows]) for year, rows in archive] \
        == [(2025, [("优秀共产党员", 2, 1, 50), ("先进基层党组织", 1, 1, 100)])]
    text = page(client_for("staff_fz"), "/commendations/honours/archive/")
    assert 'data-testid="archive-2025"' in text and "2024" not in text


def test_quotas_are_imported_from_excel_all_or_nothing(world: Any, client_for: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from commendations.models import Quota
    from conftest import xlsx

    campaign = make_campaign(world, open_=False, quotas={})
    staff = client_for("staff_fz")
    url = f"/commendations/{campaign.pk}/import/quotas/"
    assert url in page(staff, campaign.get_absolute_url())
    assert staff.get(url + "?template=1").content.startswith(b"PK")  # an Excel workbook

    def upload(rows: list[list[Any]]) -> Any:
        book = xlsx(["类别", "推荐组织", "名额"], rows)
        return staff.post(url, {"file": SimpleUploadedFile("quotas.xlsx", book)})

    bad = upload([["优秀共产党员", "fz-b1", 2], ["优秀共产党员", "fz-e1", 4], ["优秀团员", "fz-b1", 1]])
    assert bad.status_code == 400 and "优秀团员" in bad.content.decode()
    assert not Quota.objects.exists()
    assert upload([["优秀共产党员", "fz-b1", 2], ["优秀共产党员", "jj-e1", 1]]).status_code == 400  # not in scope
    assert upload([["优秀共产党员", "fz-b1", 2], ["先进基层党组织", "某科技公司党支部", 1]]).status_code == 200
    assert sorted(Quota.objects.values_list("organization__code", "number")) == [("fz-b1", 2), ("fz-e1", 1)]
    assert upload([["优秀共产党员", "fz-b1", 3]]).status_code == 200  # a re-import changes the places
    assert Quota.objects.get(organization__code="fz-b1").number == 3
    assert client_for("secretary_b1").get(url).status_code == 403  # sees the campaign (fz-b1 has places), no more
    assert client_for("staff_jj").get(url).status_code == 404


def test_the_nomination_form_says_what_is_missing(world: Any, client_for: Any) -> None:
    campaign = make_campaign(world)
    branch = client_for("secretary_b1")
    url = f"/commendations/{campaign.pk}/nominate/{world.orgs['fz-b1'].pk}/"
    category = campaign.categories.get(name="优秀共产党员")
    response = branch.post(url, {"category": category.pk, "deeds": "事迹", "declared": "on"})
    assert response.status_code == 200 and not Nomination.objects.exists()
    assert "请选择个人或组织作为被推荐对象。" in response.content.decode()  # the platform's language
    jj = branch.post(url, {"category": category.pk, "person": world.people["jj-a"].pk, "deeds": "事迹"})
    assert jj.status_code == 200 and not Nomination.objects.exists()  # not offered: another district's member
    page(branch, f"/commendations/{campaign.pk}/nominate/{world.orgs['fz-b2'].pk}/", 404)  # no places there
