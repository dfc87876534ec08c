"""Exported strings stay text: nothing a user typed becomes a formula or an error value (issue 24 §3)."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from core.exporting import ExportColumn, build_xlsx, text_row

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "=cmd|' /C calc'!A0", "+cmd", "-2+3", "@SUM(1)", "\tx",
           "#N/A", "=", "普通文字"]


def test_list_export_writes_every_string_as_text() -> None:
    content = build_xlsx("t", [ExportColumn("v", lambda v: v), ExportColumn("n", lambda v: 7)], HOSTILE)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2))
    assert [row[0].value for row in rows] == HOSTILE
    assert {row[0].data_type for row in rows} == {"s"}
    assert {row[1].value for row in rows} == {7}  # numbers stay numbers
    assert rows[0][0].quotePrefix  # editing the cell in Excel keeps it text too


def test_text_row_in_an_ordinary_workbook() -> None:
    wb = Workbook()
    wb.active.append(text_row(wb.active, HOSTILE))
    buf = io.BytesIO()
    wb.save(buf)
    [row] = load_workbook(buf).active.iter_rows()
    assert [cell.value for cell in row] == HOSTILE
    assert {cell.data_type for cell in row} == {"s"}
