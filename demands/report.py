"""The scheduling report (定期调度): for each alliance, region or handler organization, how many demands came in,
how many are open and for how long, how many are overdue, the resolution rate, the average time to resolve and
the requesters' satisfaction. Every figure has one written definition (``DEFINITIONS``), shown beside it on the
page and in the Excel sheet, and is computed from the same scoped queryset as the demand list — "overdue" is the
list's overdue filter (``models.overdue_q``) — so a figure agrees wherever it appears.

One aggregate query per report (grouped), one for the totals; nothing is counted row by row.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.exporting import text_row

from .choices import OPEN_STATUSES, DemandStatus
from .models import Demand, overdue_q

GROUPS = {  # key: (field, name field, label)
    "alliance": ("alliance", "alliance__name", _("Alliance")),
    "region": ("region", "region__name", _("Region")),
    "handler": ("handler_organization", "handler_organization__name", _("Handler organization")),
}

DEFINITIONS = {
    "received": _("Demands raised in the period."),
    "open": _("Demands someone still has to act on today (submitted, accepted, assigned, in progress or reopened "
              "for review), whenever they were raised."),
    "open_7": _("Of the open demands, those raised 7 days ago or less."),
    "open_30": _("Of the open demands, those raised 8 to 30 days ago."),
    "open_older": _("Of the open demands, those raised more than 30 days ago."),
    "overdue": _("Open demands past their deadline today: not accepted by the accept-by time, or not resolved by "
                 "the resolve-by time. The same as the “Overdue” filter of the demand list."),
    "resolved": _("Demands whose result was delivered in the period and stands (resolved, or rated and closed); a "
                  "case reopened after a low rating counts again once it is resolved anew."),
    "resolution_rate": _("Of the demands raised in the period and neither declined nor withdrawn by their "
                         "requester, the share that has been resolved."),
    "avg_days": _("For the demands resolved in the period: the average number of calendar days from being raised "
                  "to being resolved."),
    "rated": _("Demands raised in the period whose requester rated the result."),
    "avg_rating": _("The average rating (1–5) of the rated demands."),
    "satisfied": _("Of the rated demands, the share rated 4 or 5."),
}
LABELS = {
    "received": _("Received"), "open": _("Open"), "open_7": _("≤ 7 days"), "open_30": _("8–30 days"),
    "open_older": _("> 30 days"), "overdue": _("Overdue"), "resolved": _("Resolved"),
    "resolution_rate": _("Resolution rate"), "avg_days": _("Average days to resolve"), "rated": _("Rated"),
    "avg_rating": _("Average rating"), "satisfied": _("Satisfied"),
}
FIGURES = tuple(LABELS)
RATE_FIGURES = ("resolution_rate", "satisfied")


@dataclass
class Row:
    key: Any
    name: str
    figures: dict[str, Any]


def default_period(params: dict[str, Any]) -> dict[str, Any]:
    """Fill the defaults: by alliance, this year up to today."""
    params.setdefault("group", "alliance")
    params["end"] = params.get("end") or timezone.localdate()
    params["start"] = params.get("start") or params["end"].replace(month=1, day=1)
    if params["start"] > params["end"]:
        raise ValidationError({"start": _("The period must start before it ends.")})
    return params


def _aggregates(now: dt.datetime, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    raised = Q(created_at__gte=start, created_at__lt=end)
    is_open = Q(status__in=OPEN_STATUSES)
    resolved = Q(resolved_at__gte=start, resolved_at__lt=end)
    rated = raised & Q(rating__isnull=False)
    duration = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    return {
        "received": Count("pk", filter=raised),
        "open": Count("pk", filter=is_open),
        "open_7": Count("pk", filter=is_open & Q(created_at__gte=now - dt.timedelta(days=7))),
        "open_30": Count("pk", filter=is_open & Q(created_at__lt=now - dt.timedelta(days=7),
                                                  created_at__gte=now - dt.timedelta(days=30))),
        "open_older": Count("pk", filter=is_open & Q(created_at__lt=now - dt.timedelta(days=30))),
        "overdue": Count("pk", filter=overdue_q(now)),
        "resolved": Count("pk", filter=resolved),
        "raised_resolved": Count("pk", filter=raised & Q(resolved_at__isnull=False)),
        # a withdrawn case was never the handlers' to resolve: like a declined one, it is left out of the rate
        "raised_not_declined": Count("pk", filter=raised & ~Q(status__in=(DemandStatus.DECLINED,
                                                                             DemandStatus.WITHDRAWN))),
        "duration": Avg(duration, filter=resolved),
        "rated": Count("pk", filter=rated),
        "avg_rating": Avg("rating", filter=rated),
        "satisfied_count": Count("pk", filter=rated & Q(rating__gte=4)),
    }


def _finish(values: dict[str, Any]) -> dict[str, Any]:
    """Derived figures: rates as percentages (None when there is nothing to divide), days with one decimal."""
    out = {k: values[k] for k in ("received", "open", "open_7", "open_30", "open_older", "overdue", "resolved",
                                  "rated")}
    base = values["raised_not_declined"]
    out["resolution_rate"] = round(100 * values["raised_resolved"] / base) if base else None
    duration = values["duration"]
    if isinstance(duration, int | float):  # some backends hand back microseconds
        duration = dt.timedelta(microseconds=duration)
    out["avg_days"] = round(duration.total_seconds() / 86400, 1) if duration is not None else None
    out["avg_rating"] = round(values["avg_rating"], 1) if values["avg_rating"] is not None else None
    out["satisfied"] = round(100 * values["satisfied_count"] / values["rated"]) if values["rated"] else None
    return out


def scheduling_report(queryset: QuerySet[Demand], group: str, start: dt.date, end: dt.date,
                      now: dt.datetime | None = None) -> tuple[list[Row], dict[str, Any]]:
    """Rows per group (largest workload first) and the totals, for demands in ``queryset`` (already scoped and
    filtered). The period is [start, end] in local dates."""
    now = now or timezone.now()
    start_at = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    end_at = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    field, name_field, _label = GROUPS[group]
    aggregates = _aggregates(now, start_at, end_at)
    grouped = queryset.order_by().values(field, name_field).annotate(**aggregates)
    rows = [Row(values[field], values[name_field] or "", _finish(values)) for values in grouped]
    rows = [r for r in rows if r.figures["received"] or r.figures["open"] or r.figures["resolved"]]
    rows.sort(key=lambda r: (-r.figures["open"], -r.figures["received"], r.name))
    totals = _finish(queryset.order_by().aggregate(**aggregates))
    return rows, totals


def report_xlsx(rows: list[Row], totals: dict[str, Any], params: dict[str, Any]) -> bytes:
    """The report as a workbook: the figures, then a sheet with every definition and the period."""
    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Scheduling report"))[:31]
    bold = Font(bold=True)
    ws.append([str(GROUPS[params["group"]][2]), *[str(LABELS[k]) for k in FIGURES]])
    for cell in ws[1]:
        cell.font = bold
    for row in rows:
        ws.append(text_row(ws, [row.name or str(_("(none)")), *[row.figures[k] for k in FIGURES]]))
    ws.append([str(_("Total")), *[totals[k] for k in FIGURES]])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for index, key in enumerate(FIGURES, start=2):  # rates as percentages, not bare integers
        if key in RATE_FIGURES:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, int | float):
                    cell.value, cell.number_format = cell.value / 100, "0%"
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(FIGURES) + 1)}{len(rows) + 1}"
    ws.column_dimensions["A"].width = 30
    for index in range(2, len(FIGURES) + 2):
        ws.column_dimensions[get_column_letter(index)].width = 14
    notes = wb.create_sheet(str(_("Definitions")))
    notes.append([str(_("Period")), f"{params['start']:%Y-%m-%d} – {params['end']:%Y-%m-%d}"])
    notes.append([str(_("Figure")), str(_("Definition"))])
    for key in FIGURES:
        notes.append([str(LABELS[key]), str(DEFINITIONS[key])])
    notes.append([str(_("Rates are percentages; an empty cell means there was nothing to count."))])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
