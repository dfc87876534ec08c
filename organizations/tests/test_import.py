"""Excel import: all-or-nothing, a full row report, upload checks before parsing, idempotent re-import."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import load_workbook

from conftest import make_id, xlsx
from core.models import AuditEvent
from organizations.models import Organization, Person, Unit

MEMBER_HEADERS = ["姓名", "性别", "身份证号", "手机号", "所在党组织", "党员类别", "入党日期", "职务"]
MEMBER_HEADERS_EN = ["Name", "Gender", "ID number", "Phone", "Organization", "Membership", "Joined the party on",
                     "Job title"]


def upload(client: Any, kind: str, content: bytes, name: str = "data.xlsx", lang: str = "en") -> Any:
    client.cookies["django_language"] = lang
    return client.post(f"/organizations/import/{kind}/", {"file": SimpleUploadedFile(name, content)})


def good_member_rows() -> list[list[Any]]:
    return [
        ["王一", "男", make_id("350503", "19850203", "011"), "13800002222", "fz-e2", "Full member", "2010-07-01", ""],
        ["李二", "Female", make_id("350503", "19920511", "022"), "", "某协会党支部", "预备党员", "", "会计"],
    ]


def test_import_members_and_reimport_creates_no_duplicates(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    content = xlsx(MEMBER_HEADERS_EN, good_member_rows())
    response = upload(client, "members", content)
    assert response.status_code == 200, (response.context.get("file_error"), [(e.row, e.column, e.message) for e in getattr(response.context.get("result"), "errors", [])])
    result = response.context["result"]
    assert (result.rows, result.created, result.updated) == (2, 2, 0)
    org = Organization.objects.get(code="fz-e2")
    assert org.member_count == 2
    assert Person.objects.filter(organization=org).count() == 2
    assert AuditEvent.objects.filter(action="import", object_type="organizations.person").count() == 1

    again = upload(client, "members", content).context["result"]
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Person.objects.filter(organization=org).count() == 2


def test_chinese_headers_and_labels_are_accepted(world: Any, client_for: Any) -> None:
    response = upload(client_for("staff_fz"), "members", xlsx(MEMBER_HEADERS, good_member_rows()), lang="zh-hans")
    assert response.status_code == 200
    assert response.context["result"].created == 2


def test_bad_rows_write_nothing_and_every_problem_is_reported(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    rows = [
        *good_member_rows(),
        ["张三", "男", "350503199001010010", "", "fz-e2", "Full member", "", ""],  # bad checksum
        ["", "男", make_id("350503", "19900101", "033"), "", "fz-e2", "Full member", "", ""],  # no name
        ["赵四", "男", make_id("350503", "19900101", "044"), "123", "fz-e2", "Full member", "", ""],  # bad phone
        ["钱五", "男", make_id("350503", "19900101", "055"), "", "jj-e1", "Full member", "", ""],  # out of scope
        ["孙六", "男", make_id("350503", "19900101", "066"), "", "fz-e2", "Member?", "", ""],  # bad status
        ["王一", "男", good_member_rows()[0][2], "", "fz-e2", "Full member", "", ""],  # duplicate of row 2
    ]
    before = (Person.objects.count(), AuditEvent.objects.count())
    response = upload(client, "members", xlsx(MEMBER_HEADERS_EN, rows))
    assert response.status_code == 400
    errors = {(e.row, e.column) for e in response.context["result"].errors}
    assert errors == {(4, "ID number"), (5, "Name"), (6, "Phone"), (7, "Organization"), (8, "Membership"), (9, "")}
    page = response.content.decode()
    assert "check digit" in page and "nothing was imported" in page
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


def test_numbers_typed_into_text_and_date_columns(world: Any, client_for: Any) -> None:
    """Excel types what looks like a number as one: a phone number is still read as text, a number in a date
    column is reported on its row (it used to break the import)."""
    rows = [["王一", "男", make_id("350503", "19850203", "077"), 13800002222, "fz-e2", "Full member", 20100701, 42]]
    response = upload(client_for("staff_fz"), "members", xlsx(MEMBER_HEADERS_EN, rows))
    assert response.status_code == 400
    errors = [(e.row, e.column, e.message) for e in response.context["result"].errors]
    assert errors == [(2, "Joined the party on", "Enter a valid date.")]
    rows[0][6] = "2010-07-01"
    response = upload(client_for("staff_fz"), "members", xlsx(MEMBER_HEADERS_EN, rows))
    assert response.status_code == 200
    person = Person.objects.get(name="王一")
    assert (person.phone, person.title) == ("13800002222", "42")


def test_error_report_in_chinese(world: Any, client_for: Any) -> None:
    rows = [["张三", "男", "350503199001010010", "", "fz-e2", "正式党员", "", ""]]
    response = upload(client_for("staff_fz"), "members", xlsx(MEMBER_HEADERS, rows), lang="zh-hans")
    assert response.status_code == 400
    message = response.context["result"].errors[0].message
    assert message != "The ID number's check digit is wrong; please check the number."
    assert "身份证" in message


def test_wrong_columns(world: Any, client_for: Any) -> None:
    response = upload(client_for("staff_fz"), "members", xlsx(["Name", "Colour"], [["x", "red"]]))
    assert response.status_code == 400
    assert "Missing required columns" in response.content.decode()
    assert "Colour" in response.content.decode()


def test_renamed_non_xlsx_is_rejected(world: Any, client_for: Any) -> None:
    response = upload(client_for("staff_fz"), "members", b"<html><body>not a workbook</body></html>", "evil.xlsx")
    assert response.status_code == 400
    assert "not an Excel workbook" in response.context["file_error"]
    csv = upload(client_for("staff_fz"), "members", b"name,id\n", "members.csv")
    assert "Only Excel workbooks" in csv.context["file_error"]
    random_zip = io.BytesIO()
    with zipfile.ZipFile(random_zip, "w") as z:
        z.writestr("hello.txt", "hi")
    response = upload(client_for("staff_fz"), "members", random_zip.getvalue())
    assert "not an Excel workbook" in response.context["file_error"]


@override_settings(IMPORT_MAX_UPLOAD_BYTES=2000)
def test_oversize_file_is_rejected(world: Any, client_for: Any) -> None:
    content = xlsx(MEMBER_HEADERS_EN, good_member_rows())
    assert len(content) > 2000
    response = upload(client_for("staff_fz"), "members", content)
    assert response.status_code == 400
    assert "the limit is" in response.context["file_error"]
    assert Person.objects.count() == 4


@override_settings(IMPORT_MAX_UNPACKED_BYTES=5 * 2**20)
def test_zip_bomb_is_rejected_unread(world: Any, client_for: Any) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 2**20))
    assert len(bomb.getvalue()) < 100_000
    response = upload(client_for("staff_fz"), "members", bomb.getvalue())
    assert response.status_code == 400
    assert "unpacks to 20 MB" in response.context["file_error"]


def test_damaged_workbook(world: Any, client_for: Any) -> None:
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("[Content_Types].xml", "garbage")
        z.writestr("xl/workbook.xml", "garbage")
    response = upload(client_for("staff_fz"), "members", broken.getvalue())
    assert response.status_code == 400
    assert "damaged" in response.context["file_error"]


def test_template_download_round_trips(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    client.cookies["django_language"] = "zh-hans"
    template = client.get("/organizations/import/members/?template=1")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(template.content))
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers == MEMBER_HEADERS
    assert len(wb.worksheets) == 2  # the instructions sheet


def test_import_units_then_organizations_with_parents_in_file(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    units = xlsx(["Unit name", "Unit kind", "Credit code", "Region code"],
                 [["泉州某新公司", "Private enterprise", "91350503MA0000002Y", "350503"]])
    assert upload(client, "units", units).context["result"].created == 1
    orgs = xlsx(["Organization name", "Organization code", "Organization type", "Parent organization", "Region code",
                 "Unit"],
                [["新公司党总支", "NEW-1", "General branch", "fz-b2", "350503", "91350503MA0000002Y"],
                 ["新公司第一党支部", "NEW-1-1", "Branch", "NEW-1", "350503", "泉州某新公司"]])
    response = upload(client, "organizations", orgs)
    assert response.status_code == 200, [(e.row, e.column, e.message) for e in response.context["result"].errors]
    child = Organization.objects.get(code="NEW-1-1")
    assert child.parent.code == "NEW-1" and child.parent.parent.code == "fz-b2"
    assert child.sector == "non_public"  # from the unit's kind
    assert Unit.objects.filter(credit_code="91350503MA0000002Y").count() == 1
    assert upload(client, "organizations", orgs).context["result"].unchanged == 2


@pytest.mark.parametrize("role", ["auditor", "member", "norole"])
def test_read_only_roles_cannot_import(world: Any, client_for: Any, role: str) -> None:
    response = upload(client_for(role), "members", xlsx(MEMBER_HEADERS_EN, good_member_rows()))
    assert response.status_code == 403
    assert Person.objects.count() == 4


@override_settings(IMPORT_MAX_UPLOAD_BYTES=1000)
def test_oversize_request_refused_from_its_declared_length(world: Any, client_for: Any) -> None:
    big = b"PK\x03\x04" + b"\0" * 200_000
    response = upload(client_for("staff_fz"), "members", big)
    assert response.status_code == 413
    assert "the limit is" in response.context["file_error"]
