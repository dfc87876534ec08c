"""Hostile workbooks (issue 24 §1): a sheet that states or holds more rows or columns than may be imported is
refused at once, nothing is written, and rows are read and validated before the import writes anything."""

from __future__ import annotations

import io
import re
import time
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from conftest import make_id
from core.importing import ImportFileError
from core.models import AuditEvent
from organizations.importers import MemberImporter
from organizations.models import Person

from .test_import import MEMBER_HEADERS_EN, good_member_rows, upload

FAST = 3.0  # seconds: the corner file ran 635 s before; a refusal reads (almost) nothing


def book(rows: list[list[Any]], corner: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(MEMBER_HEADERS_EN)
    for row in rows:
        ws.append(row)
    if corner:
        ws[corner] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def restate(content: bytes, ref: str | None) -> bytes:
    """The same workbook with the sheet's stated size (<dimension ref=…>) changed to ``ref``, or left out."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<dimension [^>]*/>", b"" if ref is None else f'<dimension ref="{ref}"/>'.encode(),
                              data)
            out.writestr(info, data)
    return target.getvalue()


def many_rows(n: int) -> list[list[Any]]:
    return [[f"成员{i}", "男", make_id("350503", "19850203", f"{i:03d}"), "", "fz-e2", "Full member", "", ""]
            for i in range(n)]


def refused(client: Any, content: bytes) -> str:
    before = (Person.objects.count(), AuditEvent.objects.filter(action="import").count())
    started = time.perf_counter()
    response = upload(client, "members", content)
    elapsed = time.perf_counter() - started
    assert response.status_code == 400, response.context.get("result")
    assert elapsed < FAST, elapsed
    assert (Person.objects.count(), AuditEvent.objects.filter(action="import").count()) == before
    return str(response.context["file_error"])


def test_a_cell_at_the_last_corner_is_refused_at_once(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    corner = book(good_member_rows()[:1], corner="XFD1048576")
    assert len(corner) < 10_000
    assert "more than 100 columns" in refused(client, corner)  # by the stated dimension, A1:XFD1048576
    # Without a dimension, or with one that lies, the reading itself stops: only the header's columns are read
    # and the empty rows up to the corner count.
    for ref in (None, "A1:B2"):
        assert "more than 100000 rows" in refused(client, restate(corner, ref))


def test_too_many_header_columns_without_a_dimension(world: Any, client_for: Any) -> None:
    wide = Workbook()
    wide.active.append([*MEMBER_HEADERS_EN, *[f"c{i}" for i in range(200)]])
    buf = io.BytesIO()
    wide.save(buf)
    assert "more than 100 columns" in refused(client_for("staff_fz"), restate(buf.getvalue(), None))


@override_settings(IMPORT_MAX_ROWS=50)
def test_more_rows_than_the_limit_are_refused_unread(world: Any, client_for: Any, monkeypatch: Any) -> None:
    read: list[Any] = []
    original = ReadOnlyWorksheet._cells_by_row

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        for row in original(self, *args, **kwargs):
            read.append(row)
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    client = client_for("staff_fz")
    content = book(many_rows(51))
    assert "more than 50 rows" in refused(client, content)
    assert read == []  # the stated dimension (A1:H52) was enough
    # A sheet that understates its size is read until the 52nd row, and refused there: nothing written.
    assert "more than 50 rows" in refused(client, restate(content, "A1:B2"))
    assert 0 < len(read) <= 52
    # At the limit the file is imported, all of it, also when the dimension understates it (openpyxl alone stops
    # at the stated last row: rows below it would be lost without a word).
    response = upload(client, "members", restate(book(many_rows(50)), "A1:B2"))
    assert response.status_code == 200
    assert response.context["result"].created == 50


def test_rows_are_validated_before_the_import_writes(world: Any, monkeypatch: Any) -> None:
    """Parsing and validating run outside the import's transaction: on SQLite the write lock is taken only for
    the writing (a long file used to hold it while being read, and other requests failed with "database is
    locked")."""
    depth = len(connection.atomic_blocks)  # the test's own transaction
    seen: list[int] = []
    original = MemberImporter.clean_row

    def clean_row(self: Any, raw: Any) -> Any:
        seen.append(len(connection.atomic_blocks))
        return original(self, raw)

    monkeypatch.setattr(MemberImporter, "clean_row", clean_row)
    content = book(good_member_rows())
    result = MemberImporter(world.users["staff_fz"]).run(io.BytesIO(content), "m.xlsx", len(content))
    assert result.ok and result.created == 2
    assert seen == [depth, depth]


@override_settings(IMPORT_MAX_ROWS=1)
def test_the_importer_refuses_before_writing(world: Any) -> None:
    content = restate(book(good_member_rows()), None)
    with pytest.raises(ImportFileError):
        MemberImporter(world.users["staff_fz"]).run(io.BytesIO(content), "m.xlsx", len(content))
    assert Person.objects.count() == 4
