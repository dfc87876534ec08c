"""Exported lists read well: widths from the contents, a frozen header, an autofilter, times to the minute
(issue 18, defect 7)."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from openpyxl import load_workbook

from core.exporting import ExportColumn, build_xlsx

WHEN = dt.datetime(2026, 7, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)


def test_widths_header_filter_and_times() -> None:
    rows = [("泉州金融中心大厦联合党总支", WHEN, dt.date(2026, 7, 1), 3), ("x", None, None, 4)]
    content = build_xlsx("t", [ExportColumn("名称", lambda r: r[0]), ExportColumn("at", lambda r: r[1]),
                               ExportColumn("on", lambda r: r[2]), ExportColumn("n", lambda r: r[3])], rows)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D3"
    assert sheet.column_dimensions["A"].width == 13 * 2 + 2  # a Chinese character takes two columns
    assert 8 <= sheet.column_dimensions["D"].width <= 10
    at, on = sheet.cell(2, 2), sheet.cell(2, 3)
    assert at.value == timezone.localtime(WHEN).replace(tzinfo=None, microsecond=0)
    assert at.number_format == "yyyy-mm-dd hh:mm" and on.number_format == "yyyy-mm-dd"
