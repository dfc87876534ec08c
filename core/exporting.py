"""Excel export of list pages: the same filtered, scoped queryset the user sees, streamed in write-only mode.

Small exports are answered at once. Larger ones (more than ``EXPORT_BACKGROUND_ROWS`` rows) become a background
job: the job keeps the list view and the filter parameters — never a queryset — and the task rebuilds the filtered
queryset with the owner's scope as it is when the job runs, streams it (``iterator``) into a workbook in private
storage and the owner downloads it from the job's page. Both ways write the same ``export`` audit event.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import logging
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.db import models, transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import audit
from .models import AuditAction, Job, JobKind, JobStatus
from .permissions import Actor

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_CHUNK_ROWS = 2000  # rows fetched per database round trip, and between progress reports


@dataclass(frozen=True)
class ExportColumn:
    header: Any  # lazy translatable string
    value: Callable[[Any], Any]


def write_xlsx(target: IO[bytes], title: str, columns: Sequence[ExportColumn], rows: Iterable[Any],
               progress: Callable[[int], None] | None = None) -> int:
    """Stream rows into a one-sheet workbook (write-only: memory does not grow with the rows); return the count.
    ``progress(rows written)`` is called every ``EXPORT_CHUNK_ROWS`` rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    headers = [str(col.header) for col in columns]
    # A write-only sheet takes its layout before its rows: the widths come from the header and the first rows.
    rows = iter(rows)
    first = [[_cell(col.value(row)) for col in columns] for row in itertools.islice(rows, WIDTH_SAMPLE_ROWS)]
    for index, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _width([header, *(r[index - 1] for r in first)])
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    count = 0
    for values in itertools.chain(first, ([_cell(col.value(row)) for col in columns] for row in rows)):
        ws.append([_typed(ws, value) for value in values])
        count += 1
        if progress is not None and count % EXPORT_CHUNK_ROWS == 0:
            progress(count)
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{count + 1}"
    wb.save(target)
    return count


WIDTH_SAMPLE_ROWS = 50


def _width(values: Iterable[Any]) -> float:
    """A column wide enough for its header and its first values (a Chinese character takes two), within reason."""
    longest = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(v)) for v in values if v not in ("", None)),
                  default=8)
    return float(min(max(longest + 2, 8), 50))


def _typed(ws: Any, value: Any) -> Any:
    """Dates and times shown as such (to the minute), strings pinned to text (``as_text``)."""
    if isinstance(value, dt.datetime | dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, dt.datetime) else "yyyy-mm-dd"
        return cell
    return as_text(ws, value)


def build_xlsx(title: str, columns: Sequence[ExportColumn], rows: Iterable[Any]) -> bytes:
    buf = io.BytesIO()
    write_xlsx(buf, title, columns, rows)
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str | int | float) or hasattr(value, "isoformat"):
        if isinstance(value, dt.datetime):  # to the second: a spreadsheet has no use for microseconds
            local = timezone.localtime(value) if value.tzinfo is not None else value
            return local.replace(tzinfo=None, microsecond=0)
        return value
    return str(value)


# openpyxl writes a str starting with "=" as a live formula and one like "#N/A" as an error. A name saved as
# "=HYPERLINK(…)" must come out as the text it is (OWASP, CSV injection: also + - @ tab CR, which other programs run).
_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def as_text(ws: Any, value: Any) -> Any:
    """``value`` as a sheet takes it, a string that a spreadsheet would evaluate pinned to text (the cell typed as
    a string and marked with Excel's quote prefix, so that editing it does not turn it into a formula either)."""
    if isinstance(value, str) and (value.startswith(_FORMULA_LEADS) or value in ERROR_CODES):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def text_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """A row for ``ws.append`` (any workbook mode) with every string kept as text: ``as_text`` for each value."""
    return [as_text(ws, value) for value in values]


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_filename(model: type[models.Model]) -> str:
    return f"{model._meta.model_name}-{timezone.localdate():%Y%m%d}.xlsx"


def record_export(actor: Actor, model: type[models.Model], filters: dict[str, str]) -> None:
    meta = model._meta
    audit.record(
        actor=actor, action=AuditAction.EXPORT, object_type=meta.label_lower,
        object_repr=str(meta.verbose_name_plural), changes={"filters": filters},
    )


# --- background exports --------------------------------------------------------------------------------------------


def export_job_create(*, owner: Any, view: Any, query: Sequence[tuple[str, list[str]]], filters: dict[str, str],
                      rows: int) -> Job:
    """Queue the export of a list view's filtered rows. The job keeps the view (by its dotted path) and the query
    parameters; the rows are read when it runs, with the owner's scope at that moment. If the same export of the
    owner is still waiting or running, that job is returned instead of a second one (a double click)."""
    from .tasks import run_export_job_task

    params = {"view": f"{type(view).__module__}.{type(view).__qualname__}",
              "query": [[key, list(values)] for key, values in query if key != "export"],
              "filters": filters,  # as the audit event of an immediate export records them
              "language": translation.get_language() or settings.LANGUAGE_CODE}
    active = Job.objects.owned_by(owner).filter(kind=JobKind.EXPORT,
                                                status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
    for job in active:
        if job.params == params:
            return job
    model = view.model
    with transaction.atomic():
        job = Job.objects.create(
            kind=JobKind.EXPORT, owner=owner, title=str(model._meta.verbose_name_plural)[:200],
            file_name=export_filename(model), params=params, progress_total=rows,
        )
        transaction.on_commit(lambda: run_export_job_task.enqueue(job.pk))
    return job


def export_job_run(job_id: int) -> str:
    """Run a queued export job (safe to run twice: only a queued job is claimed)."""
    from .importing import job_request, job_view_class
    from .views import ObjectListView

    job = Job.objects.claim(job_id)
    if job is None:
        return "skipped"
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        try:
            view = job_view_class(job, ObjectListView)()
            request = job_request(job.owner, job.params.get("query", []))
            queryset, valid = view.filtered_queryset(request)
            if not valid:
                job.fail(_("Some filters are not valid; correct them before exporting."))
                return job.status
            total = queryset.count()
            job.report_progress(0, total)
            with tempfile.TemporaryFile() as scratch:
                count = write_xlsx(scratch, str(view.model._meta.verbose_name_plural), view.export_columns,
                                   queryset.iterator(chunk_size=EXPORT_CHUNK_ROWS),
                                   progress=lambda done: job.report_progress(done, total))
                scratch.seek(0)
                job.file.save(job.file_name, File(scratch, name=job.file_name), save=False)
            job.report_progress(count, count)
            record_export(job.owner, view.model, job.params.get("filters", {}))
        except Exception:
            logger.exception("export job %s failed", job_id)
            job.discard_file()
            job.fail(_("The export stopped on an unexpected error. Try again, or ask an administrator."))
            raise
    job.finish({"rows": count}, ok=True)
    return job.status
