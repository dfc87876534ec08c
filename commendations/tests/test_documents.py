"""The papers in Chinese (read back with pdftotext): the decision with its document number and final list, the
certificate, and the notice for notice boards — which shows no ID number or phone. Downloads are audited."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from commendations import services
from commendations.choices import NominationStatus
from commendations.models import Decision, Honour, Nomination, Notice
from core.models import AuditEvent

from .conftest import make_campaign

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def text_of(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
                          ).stdout.decode()


def decided(world: Any) -> tuple[Any, Notice, Honour]:
    campaign = make_campaign(world, open_=False)
    today = timezone.localdate()
    notice = Notice.objects.create(campaign=campaign, starts_on=today, ends_on=today, contact="区委组织部 0595-22000000")
    person = world.people["e1-b"]
    nomination = Nomination.objects.create(
        campaign=campaign, category=campaign.categories.get(name="优秀共产党员"), person=person,
        nominator=world.orgs["fz-b1"], deeds="事迹", status=NominationStatus.APPROVED, notice=notice,
        snapshot=services.snapshot_of(Nomination(person=person), today))
    decision = Decision.objects.create(campaign=campaign, number="丰委〔2026〕12号", date=today,
                                       signer=world.orgs["fz-root"])
    honour = Honour.objects.create(person=person, category_name="优秀共产党员", year=campaign.year, decision=decision,
                                   nomination=nomination)
    campaign.status = "decided"
    campaign.save(update_fields=["status"])
    return campaign, notice, honour


def test_the_papers_read_in_chinese_and_show_no_personal_numbers(world: Any, client_for: Any) -> None:
    campaign, notice, honour = decided(world)
    client = client_for("secretary_b1")
    decision = client.get(f"/commendations/{campaign.pk}/decision.pdf")
    assert decision.status_code == 200 and decision["Content-Type"] == "application/pdf"
    text = text_of(decision.content)
    for expected in ("丰泽CBD总部党委", "丰委〔2026〕12号", "关于", "优秀共产党员", "成员e1-b", "某科技公司党支部"):
        assert expected in text, expected

    board = text_of(client.get(f"/commendations/notices/{notice.pk}/notice.pdf").content)
    person = world.people["e1-b"]
    assert "成员e1-b" in board and "公示" in board and "区委组织部" in board
    assert person.id_number not in board and person.phone not in board and person.phone_masked not in board

    exported = client.post(f"/commendations/notices/{notice.pk}/export/")
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        ["优秀共产党员", "成员e1-b", None, "某科技公司党支部", None]]
    assert client.get(f"/commendations/notices/{notice.pk}/export/").status_code == 405  # a GET never exports

    certificate = text_of(client.get(f"/commendations/honours/{honour.pk}/certificate.pdf").content)
    assert "荣誉证书" in certificate and "成员e1-b" in certificate and "优秀共产党员" in certificate
    assert AuditEvent.objects.filter(action="export", object_type="commendations.campaign").count() == 1
    assert AuditEvent.objects.filter(action="export", object_type="commendations.notice").count() == 2

    assert client_for("staff_jj").get(f"/commendations/{campaign.pk}/decision.pdf").status_code == 404
    services.honour_revoke(actor=None, honour=honour, reason="违纪")
    assert client.get(f"/commendations/honours/{honour.pk}/certificate.pdf").status_code == 404
