"""All-or-nothing Excel imports, streamed in chunks.

1. The upload is checked *before* parsing: extension, size, zip signature, workbook parts, and the unpacked size
   (zip bombs). Each failure has its own translated message.
2. The first sheet is read once, in read-only mode: refused unread when it states more than ``IMPORT_MAX_ROWS``
   rows or ``IMPORT_MAX_COLUMNS`` columns, and as soon as reading passes either (a file may misstate its size);
   only the header's columns are read. Every row is validated (a Django form per row gives the translated
   messages) before anything is written, outside any transaction: parsing never holds the database's write lock.
3. Then, in one transaction and in chunks of ``IMPORT_CHUNK_ROWS``, the valid rows' references are resolved (per
   row with ``resolve``, or per chunk with ``resolve_batch`` — a few queries for a thousand rows; rows may refer to
   rows above them, e.g. an organization's parent defined earlier in the same file) and written (``save_batch``:
   per row with ``save`` by default, or with bulk operations). When any row failed validation nothing is written;
   after a problem met while resolving nothing more is written. The report lists every problem (row, column,
   message; the first ``IMPORT_MAX_REPORTED_ERRORS`` of them, with a count of the rest) and a bad file writes
   nothing (the transaction is rolled back).
4. Rows are matched on a natural key (credit code, organization code, ID number), so importing the same file twice
   creates no duplicates.

Large files run as background jobs (``Job``, ``core.tasks.run_import_job_task``): the upload is kept in private
storage, the job's page shows the progress and then the same report. There the sheet is parsed in a forked child
process (``IMPORT_PARALLEL_READ``), which also validates the rows of importers whose ``clean_row`` needs no
database: openpyxl is pure Python and parsing costs about as much as validating and writing, so on two cores the
two halves run side by side (``bench/imports.py``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import io
import logging
import multiprocessing
import re
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from typing import IO, Any, TypeVar, cast

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.validators import MaxLengthValidator, MinLengthValidator, ProhibitNullCharactersValidator
from django.db import IntegrityError, models, transaction
from django.http import Http404, HttpRequest, QueryDict
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from . import audit
from .models import AuditAction, Job, JobKind, JobStatus
from .permissions import Actor

logger = logging.getLogger(__name__)

XLSX_MAGIC = b"PK\x03\x04"
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# Rows travel from the reading process in batches of this many (one pickle per batch, not per row), through a pipe
# enlarged to hold a few chunks: the child keeps parsing while the parent writes a chunk (bounded memory either way).
_PIPE_BATCH = 500
_PIPE_BYTES = 1 << 20  # Linux's default /proc/sys/fs/pipe-max-size

Row = tuple[int, dict[str, Any]]  # (row number in the sheet, data)
Checked = tuple[int, dict[str, Any] | None, list[tuple[str, str]]]  # (row number, cleaned data, problems)
Progress = Callable[[int, int | None], None]  # (rows read so far, rows in the sheet if the sheet says)


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not xlsx, too large, wrong columns …)."""

    def __init__(self, message: str, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details)


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # lazy string: the header in the user's language; both languages are accepted on upload
    required: bool = False
    help: Any = ""
    example: Any = ""

    def accepted_headers(self) -> set[str]:
        names = {self.key.lower()}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names.add(str(self.header).strip().lower())
        return names


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)  # the first IMPORT_MAX_REPORTED_ERRORS problems
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0  # every problem, also those not kept in ``errors``

    @property
    def ok(self) -> bool:
        return not self.error_count and not self.errors

    @property
    def more_errors(self) -> int:
        """Problems found but not listed (the report says "…and N more")."""
        return max(self.error_count - len(self.errors), 0)

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < settings.IMPORT_MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, column, message))

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportResult:
        values = dict(data)
        errors = [RowError(**e) for e in values.pop("errors", [])]
        return cls(errors=errors, **{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


def size_error(size: int) -> str:
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    return _("The file is %(size).1f MB; the limit is %(limit).1f MB.") % {"size": size / 2**20, "limit": limit / 2**20}


def check_upload(upload: IO[bytes], name: str, size: int) -> None:
    """Reject anything that is not a well-formed, reasonably sized xlsx before any parser sees it."""
    if size > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise ImportFileError(size_error(size))
    if not name.lower().endswith(".xlsx"):
        raise ImportFileError(_("Only Excel workbooks (.xlsx) can be imported; save the file as .xlsx first."))
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head != XLSX_MAGIC:
        raise ImportFileError(_("This file is not an Excel workbook (.xlsx), whatever its name says."))
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if not all(part in names for part in REQUIRED_PARTS):
                raise ImportFileError(_("This file is not an Excel workbook (.xlsx), whatever its name says."))
            unpacked = sum(info.file_size for info in infos)
            if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
                raise ImportFileError(
                    _("The workbook unpacks to %(size)d MB, more than the %(limit)d MB allowed; it was rejected "
                      "unread.") % {"size": unpacked // 2**20, "limit": settings.IMPORT_MAX_UNPACKED_BYTES // 2**20}
                )
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("The file is damaged and cannot be opened as an Excel workbook.")) from exc
    finally:
        upload.seek(0)


def _damaged() -> ImportFileError:
    return ImportFileError(_("The file is damaged and cannot be opened as an Excel workbook."))


def _data_rows(max_row: int | None) -> int | None:
    """The data rows a sheet states (its dimension, header excluded), if it states any."""
    return max_row - 1 if max_row and max_row > 1 else None


# --- reading the sheet ------------------------------------------------------------------------------------------


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The sheet has more than %(limit)d rows below the header; split it into smaller files, and delete any "
          "empty or formatted rows below the data.") % {"limit": settings.IMPORT_MAX_ROWS})


def _too_many_columns() -> ImportFileError:
    return ImportFileError(
        _("The sheet has more than %(limit)d columns; delete the columns to the right of the template's columns.")
        % {"limit": settings.IMPORT_MAX_COLUMNS})


@contextlib.contextmanager
def _open_sheet(upload: IO[bytes]) -> Iterator[tuple[int | None, Any]]:
    """The first sheet (read-only) and the data rows it states if it states any. A sheet that states more rows or
    columns than may be imported is refused here, before any row is read: a cell at XFD1048576 in a 5 KB file
    made openpyxl walk a million empty rows of 16,384 cells."""
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        stated_rows, stated_columns = ws.max_row, ws.max_column  # the sheet's <dimension>, if it has one
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise _damaged() from exc
    try:
        if stated_columns and stated_columns > settings.IMPORT_MAX_COLUMNS:
            raise _too_many_columns()
        if stated_rows and stated_rows - 1 > settings.IMPORT_MAX_ROWS:
            raise _too_many_rows()
        # Read what the sheet holds, not what it states: openpyxl stops at the stated last row (rows below it would
        # be lost without a word) and pads rows to the stated width. ``_sheet_rows`` bounds the reading itself.
        ws.reset_dimensions()
        yield _data_rows(stated_rows), ws
    finally:
        wb.close()


def _values(ws: Any, **bounds: int) -> Iterator[tuple[Any, ...]]:
    """``ws.iter_rows(values_only=True, **bounds)``, a sheet that breaks half-way through reported as damaged."""
    values = ws.iter_rows(values_only=True, **bounds)
    while True:
        try:
            row = next(values)
        except StopIteration:
            return
        except Exception as exc:
            raise _damaged() from exc
        yield row


def can_read_in_parallel() -> bool:
    """Whether this process may fork a reader (not on platforms without fork, nor inside a daemonic process)."""
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


def _child_main(produce: Callable[[], Iterator[Any]], conn: Connection) -> None:  # pragma: no cover - in the child
    """Send what ``produce`` yields to the parent in batches, then ("end", None); a file the reader refuses is
    reported as ("file_error", (message, details)), anything else that breaks as ("damaged", None)."""
    warnings.simplefilter("ignore")  # openpyxl warns about styles; nobody reads the child's stderr
    try:
        batch: list[Any] = []
        for item in produce():
            batch.append(item)
            if len(batch) >= _PIPE_BATCH:
                conn.send(("items", batch))
                batch = []
        conn.send(("items", batch))
        conn.send(("end", None))
    except (BrokenPipeError, EOFError):
        pass  # the parent stopped reading (too many rows, or it failed): nothing to tell it
    except ImportFileError as exc:
        with contextlib.suppress(Exception):
            conn.send(("file_error", (exc.message, exc.details)))
    except Exception:
        with contextlib.suppress(Exception):
            conn.send(("damaged", None))
    finally:
        conn.close()


@contextlib.contextmanager
def _from_child(produce: Callable[[], Iterator[Any]]) -> Iterator[Iterator[Any]]:
    """Run ``produce`` in a forked child and iterate what it yields, so that reading the file (one core) overlaps
    with what the parent does with it (the other). The pipe's buffer bounds what is in flight. The child never
    touches the database: it inherits the parent's connection but leaves it alone, and it ends with ``os._exit``
    (multiprocessing's fork start), so nothing of the parent is closed or flushed twice."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    with contextlib.suppress(ImportError, OSError):  # Linux: let the child run a few chunks ahead (default 64 KB)
        import fcntl

        fcntl.fcntl(sender.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_BYTES)
    for stream in (sys.stdout, sys.stderr):  # else the child would write the parent's buffered output again
        with contextlib.suppress(Exception):
            stream.flush()
    child = context.Process(target=_child_main, args=(produce, sender), daemon=True)
    child.start()
    sender.close()

    def items() -> Iterator[Any]:
        while True:
            try:
                kind, payload = receiver.recv()
            except EOFError as exc:  # the child died
                raise _damaged() from exc
            if kind == "items":
                yield from payload
            elif kind == "end":
                return
            elif kind == "file_error":
                raise ImportFileError(*payload)
            else:
                raise _damaged()

    try:
        yield items()
    finally:
        receiver.close()
        child.join(timeout=1)
        if child.is_alive():
            child.kill()
            child.join()


# --- fast validation ---------------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CHECKED_BY_LENGTH = (MaxLengthValidator, MinLengthValidator, ProhibitNullCharactersValidator)


class _NeedsForm(Exception):
    """The quick checks cannot vouch for this value; the row form decides."""


def _quick_text(value: Any) -> str:
    """What a CharField makes of a cell: str() and strip(); only for strings and integers."""
    if value is None:
        return ""
    if isinstance(value, str):
        if "\x00" in value:
            raise _NeedsForm
        return value.strip()
    if type(value) is int:
        return str(value)
    raise _NeedsForm


def _quick_cleaner(form_field: forms.Field) -> Callable[[Any], Any]:
    """A function that cleans a cell as ``form_field`` would, or raises _NeedsForm (also here, for a kind of field
    the quick path does not know). Built once per field: the checks it needs are looked up ahead."""
    required = form_field.required
    if isinstance(form_field, LabelChoiceField):
        choice_field = form_field

        def choice(value: Any) -> Any:
            code = choice_field.to_python(_quick_text(value))
            if code == "":
                if required:
                    raise _NeedsForm
                return ""
            if code not in choice_field.valid_codes():
                raise _NeedsForm
            return code

        return choice
    if isinstance(form_field, forms.DateField):
        # Django adds ISO to the default input formats of every language; custom formats: the form decides.
        iso = form_field.input_formats is forms.DateField.input_formats

        def date(value: Any) -> Any:
            if value is None or value == "":
                if required:
                    raise _NeedsForm
                return None
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            if iso and isinstance(value, str) and _ISO_DATE.fullmatch(text := value.strip()):
                try:
                    return dt.date.fromisoformat(text)
                except ValueError as exc:
                    raise _NeedsForm from exc
            raise _NeedsForm

        return date
    if type(form_field) is forms.CharField and form_field.strip:
        empty, max_length, min_length = form_field.empty_value, form_field.max_length, form_field.min_length
        validators = [v for v in form_field.validators if not isinstance(v, _CHECKED_BY_LENGTH)]

        def text(value: Any) -> Any:
            cleaned = _quick_text(value)
            if not cleaned:
                if required:
                    raise _NeedsForm
                return empty
            if (max_length is not None and len(cleaned) > max_length) or (
                    min_length is not None and len(cleaned) < min_length):
                raise _NeedsForm
            for validator in validators:
                try:
                    validator(cleaned)
                except ValidationError as exc:
                    raise _NeedsForm from exc
            return cleaned

        return text
    raise _NeedsForm


_CLEANERS: dict[type[forms.Form], list[tuple[str, Callable[[Any], Any]]] | None] = {}


def _cleaners(form_class: type[forms.Form]) -> list[tuple[str, Callable[[Any], Any]]] | None:
    """The quick cleaners of a form's fields, or None when a field needs the form every time."""
    if form_class not in _CLEANERS:
        try:
            _CLEANERS[form_class] = [(name, _quick_cleaner(f)) for name, f in form_class.base_fields.items()]
        except _NeedsForm:
            _CLEANERS[form_class] = None
    return _CLEANERS[form_class]


def quick_clean(form_class: type[forms.Form], raw: dict[str, Any]) -> dict[str, Any] | None:
    """The row form's ``cleaned_data`` for a row that is plainly valid, or None when only the form can tell.

    A form per row costs several times what parsing the row costs; this does the same for the simple fields
    (text, dates, choices by code or label) and gives up on anything else, so the form still decides every
    doubtful row and writes every message. It does not run the form's ``clean_<field>()`` or ``clean()`` methods:
    callers apply their own (tests check the two paths agree)."""
    cleaners = _cleaners(form_class)
    if cleaners is None:
        return None
    try:
        return {name: clean(raw.get(name)) for name, clean in cleaners}
    except _NeedsForm:
        return None


# --- writing in bulk ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _objects_frozen() -> Iterator[None]:
    """Exempt the objects that exist before an import from the garbage collector while it runs. The import keeps a
    chunk of rows and model instances alive at a time; with the default thresholds that triggers a full collection
    over the whole heap every couple of chunks, which cost ~15 % of the import (measured). Objects created by the
    import are still collected."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# --- the importer ------------------------------------------------------------------------------------------------


def _form_value(value: Any) -> Any:
    """A cell as a row form takes it: text, or a date the sheet typed as one. A number stays a number only in its
    text: Django's date fields call ``.strip()`` on what is not a date, so a number in a date column failed with an
    AttributeError instead of "Enter a valid date"."""
    if value is None:
        return ""
    if isinstance(value, str | dt.date):
        return value
    return str(value)


class Importer:
    """Subclasses declare columns and a row form, and know how to resolve and save rows: one at a time (``resolve``
    and ``save``) or a chunk at a time (``resolve_batch`` and ``save_batch``, which default to the former)."""

    title: Any = ""
    columns: Sequence[Column] = ()
    row_form: type[forms.Form]
    model: type[models.Model]
    # clean_row() needs no database (no queries, no model choice fields): a reading child process may run it.
    clean_in_reader = False

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.seen: dict[Any, int] = {}  # natural key → the row it was first seen on (the only state that grows)

    # --- hooks -------------------------------------------------------------------------------------------------
    def natural_key(self, data: dict[str, Any]) -> Any:
        """Identifies the row's object; two rows with one key in a file are an error. Keep it compact: one key per
        row of the file is kept in memory."""
        raise NotImplementedError

    def clean_row(self, raw: dict[str, Any]) -> tuple[dict[str, Any] | None, list[tuple[str, str]]]:
        """Validate one row: its cleaned data, or None and the problems as (column key, message)."""
        form = self.row_form(data={k: _form_value(v) for k, v in raw.items()})
        if form.is_valid():
            return dict(form.cleaned_data), []
        return None, [(key, str(message)) for key, messages in form.errors.items() for message in messages]

    def resolve(self, data: dict[str, Any], earlier: dict[Any, Any]) -> dict[str, str]:
        """Check references (to the database or to earlier rows); return {column key: message} for problems.
        ``earlier`` holds the natural keys of the rows above that passed (with their row numbers)."""
        return {}

    def resolve_batch(self, rows: Sequence[Row]) -> Iterator[tuple[int, dict[str, Any], dict[str, str]]]:
        """Resolve a chunk of validated rows: yield (row number, data, problems) for each. The default resolves
        row by row; because it yields each row before resolving the next, every row sees the rows above it.
        Batch versions look a whole chunk up at once and do not see rows of their own chunk."""
        for row_no, data in rows:
            yield row_no, data, self.resolve(data, self.seen)

    def remember(self, row_no: int, data: dict[str, Any]) -> None:
        """Called for each row that passed, before the next is resolved: keep what later rows need (compactly)."""

    def save(self, data: dict[str, Any]) -> str:
        """Write one validated row; return "created", "updated" or "unchanged"."""
        raise NotImplementedError

    def save_batch(self, rows: Sequence[Row]) -> list[tuple[int, str | Exception]]:
        """Write a chunk of resolved rows; for each row its outcome ("created", "updated", "unchanged") or the
        ValidationError / PermissionDenied it met. The default saves row by row, each in a savepoint so that one
        failing row leaves the transaction usable."""
        outcomes: list[tuple[int, str | Exception]] = []
        for row_no, data in rows:
            try:
                with transaction.atomic():
                    outcomes.append((row_no, self.save(data)))
            except (ValidationError, PermissionDenied) as exc:
                outcomes.append((row_no, exc))
        return outcomes

    def before_commit(self) -> None:
        """Write what the importer gathered over all chunks (e.g. counters), in the import's transaction, once every
        row has been written without a problem."""

    def after_commit(self) -> None:
        """Enqueue follow-up background work; runs only once the import has committed."""

    # --- machinery ----------------------------------------------------------------------------------------------
    def header_for(self, key: str) -> str:
        for col in self.columns:
            if col.key == key:
                return str(col.header)
        return key

    @contextlib.contextmanager
    def _read(self, upload: IO[bytes], parallel_read: bool) -> Iterator[tuple[int | None, Iterator[Checked]]]:
        """(data rows in the sheet if it says, the checked non-empty rows). With ``parallel_read`` the sheet is
        read in a child process, which also validates the rows when ``clean_in_reader`` says it may."""
        if parallel_read and can_read_in_parallel():
            with _from_child(lambda: self._reader(upload)) as items:
                total = next(items)
                yield total, (items if self.clean_in_reader else self._checked(items))
        else:
            with _open_sheet(upload) as (total, ws):
                yield total, self._checked(self._sheet_rows(ws))

    def _reader(self, upload: IO[bytes]) -> Iterator[Any]:
        """What the reading child yields: the row count, then the rows (checked if ``clean_in_reader``)."""
        with _open_sheet(upload) as (total, ws):
            yield total
            rows = self._sheet_rows(ws)
            yield from (self._checked(rows) if self.clean_in_reader else rows)

    def _sheet_rows(self, ws: Any) -> Iterator[Row]:
        """The non-empty data rows as (row number, {column key: value}); the header must match the columns.
        Only the header's columns are read, and reading stops at the first row past ``IMPORT_MAX_ROWS`` (empty
        rows count: they cost reading too), whatever the sheet states about its size."""
        header = next(_values(ws, max_row=1), None)
        if header is None:
            raise ImportFileError(_("The first sheet is empty; use the template."))
        width = max((i + 1 for i, cell in enumerate(header) if cell is not None and str(cell).strip()), default=0)
        if width > settings.IMPORT_MAX_COLUMNS:
            raise _too_many_columns()
        mapping = list(self._map_header(header[:width]).items())
        last_row = settings.IMPORT_MAX_ROWS + 1
        for row_no, row in enumerate(_values(ws, min_row=2, max_col=max(width, 1)), start=2):
            if row_no > last_row:
                raise _too_many_rows()
            if all(v is None or str(v).strip() == "" for v in row):
                continue
            yield row_no, {key: row[i] for i, key in mapping}

    def _checked(self, rows: Iterable[Row]) -> Iterator[Checked]:
        for row_no, raw in rows:
            data, invalid = self.clean_row(raw)
            yield row_no, data, invalid

    def _map_header(self, header: Sequence[Any]) -> dict[int, str]:
        accepted = {h: col.key for col in self.columns for h in col.accepted_headers()}
        mapping: dict[int, str] = {}
        unknown: list[str] = []
        for i, cell in enumerate(header):
            text = str(cell).strip() if cell is not None else ""
            if not text:
                continue
            key = accepted.get(text.lower())
            if key is None:
                unknown.append(text)
            else:
                mapping[i] = key
        missing = [str(c.header) for c in self.columns if c.required and c.key not in mapping.values()]
        details = []
        if missing:
            details.append(_("Missing required columns: %(columns)s") % {"columns": ", ".join(missing)})
        if unknown:
            details.append(_("Unknown columns: %(columns)s") % {"columns": ", ".join(unknown)})
        if details:
            raise ImportFileError(_("The columns do not match the template."), details)
        return mapping

    def run(self, upload: IO[bytes], name: str, size: int, *, progress: Progress | None = None,
            parallel_read: bool = False) -> ImportResult:
        """Import the file: all rows or none. ``progress(rows done, rows in all or None)`` is called after each
        chunk, first while the rows are read and validated, then while they are written; ``parallel_read`` parses
        the sheet in a child process where the platform can fork."""
        check_upload(upload, name, size)
        result = ImportResult()
        self.seen = {}
        chunk_size = max(int(settings.IMPORT_CHUNK_ROWS), 1)
        with _objects_frozen():
            valid = self._validate(upload, parallel_read, result, progress, chunk_size)
            if result.rows == 0:
                raise ImportFileError(_("The file has a header but no data rows."))
            # Only now does the import write: on SQLite (one writer at a time) other requests wait for the
            # writing, never for the parsing, and a file that is refused or invalid never takes the write lock.
            with transaction.atomic():
                return self._write(valid, result, name, progress, chunk_size)

    def _validate(self, upload: IO[bytes], parallel_read: bool, result: ImportResult, progress: Progress | None,
                  chunk_size: int) -> list[Row]:
        """Read and validate the whole sheet (outside any transaction): the valid rows; the problems go to
        ``result``."""
        valid: list[Row] = []
        with self._read(upload, parallel_read) as (total, rows):
            for row_no, data, invalid in rows:
                result.rows += 1
                for key, message in invalid:
                    result.add_error(row_no, self.header_for(key), message)
                if data is not None and not invalid:
                    valid.append((row_no, data))
                if progress is not None and result.rows % chunk_size == 0:
                    progress(result.rows, total)
        return valid

    def _write(self, valid: list[Row], result: ImportResult, name: str, progress: Progress | None,
               chunk_size: int) -> ImportResult:
        """Resolve and write the valid rows chunk by chunk, in the caller's transaction; ``progress`` now counts
        the rows written. Nothing is written when any row has a problem."""
        for start in range(0, len(valid), chunk_size):
            self._import_chunk(valid[start:start + chunk_size], result)
            if progress is not None and start + chunk_size < len(valid):  # the last one is reported below
                progress(start + chunk_size, len(valid))
        if progress is not None:
            progress(result.rows, result.rows)
        if not result.ok:
            # Nothing is kept: rows written before a problem met while writing are rolled back with the rest.
            transaction.set_rollback(True)
            result.created = result.updated = result.unchanged = 0
            result.errors.sort(key=lambda e: e.row)
            return result
        self.before_commit()
        audit.record(
            actor=self.actor,
            action=AuditAction.IMPORT,
            object_type=self.model._meta.label_lower,
            object_repr=f"{name} ({result.rows})"[:255],
            changes={"file": name, "rows": result.rows, "created": result.created, "updated": result.updated,
                     "unchanged": result.unchanged},
        )
        transaction.on_commit(self.after_commit)
        return result

    def _import_chunk(self, cleaned: Sequence[Row], result: ImportResult) -> None:
        accepted: list[Row] = []
        for row_no, data, problems in self.resolve_batch(cleaned):
            for key, message in problems.items():
                result.add_error(row_no, self.header_for(key), message)
            if problems:
                continue
            key = self.natural_key(data)
            if key is not None:
                first = self.seen.get(key)
                if first is not None:
                    result.add_error(row_no, "", _("Duplicate of row %(row)d in this file.") % {"row": first})
                    continue
                self.seen[key] = row_no
            self.remember(row_no, data)
            accepted.append((row_no, data))
        if accepted and result.ok:  # after the first problem nothing more is written: it would be rolled back
            self._save_chunk(accepted, result)

    def _save_chunk(self, rows: Sequence[Row], result: ImportResult) -> None:
        try:
            with transaction.atomic():
                outcomes = self.save_batch(rows)
        except IntegrityError:
            # A rule of the database that the checks above could not see: in practice another import or edit
            # of the same records at the same moment.
            logger.warning("import of %s: integrity error in rows %d-%d", self.model._meta.label, rows[0][0],
                           rows[-1][0], exc_info=True)
            result.add_error(rows[0][0], "", _(
                "Rows %(first)d to %(last)d could not be written: the same records were changed at the same time. "
                "Import the file again.") % {"first": rows[0][0], "last": rows[-1][0]})
            return
        for row_no, outcome in outcomes:
            if isinstance(outcome, ValidationError):
                self._report(result, row_no, outcome)
            elif isinstance(outcome, Exception):
                result.add_error(row_no, "", str(outcome) or _("You may not change this record."))
            else:
                setattr(result, outcome, getattr(result, outcome) + 1)

    def _report(self, result: ImportResult, row_no: int, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field_name, errors in exc.error_dict.items():
                column = self.header_for(field_name) if field_name != "__all__" else ""
                for error in errors:
                    result.add_error(row_no, column, " ".join(error.messages))
        else:
            for message in exc.messages:
                result.add_error(row_no, "", message)

    def template(self) -> bytes:
        """The downloadable template: headers in the user's language, one example row, and a sheet of notes."""
        wb = Workbook()
        ws = wb.active
        ws.title = str(self.title)[:31]
        ws.append([str(c.header) for c in self.columns])
        ws.append([str(c.example) for c in self.columns])
        for i, col in enumerate(self.columns, start=1):
            ws.cell(row=1, column=i).font = Font(bold=True)
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(14, len(str(col.header)) * 2)
        notes = wb.create_sheet(str(gettext_lazy("Instructions")))
        notes.append([_("Column"), _("Required"), _("Notes")])
        for col in self.columns:
            notes.append([str(col.header), _("yes") if col.required else _("no"), str(col.help)])
        notes.append([])
        notes.append([_("Delete the example row before importing. Headers may be in Chinese or English.")])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()


def find_by_code_or_name(queryset: models.QuerySet[Any], ref: str) -> Any:
    """The one row whose code (or else exact name) a cell gives, or the message saying why there is none."""
    found = list(queryset.filter(code=ref)[:1]) or list(queryset.filter(name=ref)[:2])
    if len(found) == 1:
        return found[0]
    if found:
        return _("“%(ref)s” names several organizations; use the organization code.") % {"ref": ref}
    return _("No organization “%(ref)s” in your scope.") % {"ref": ref}


class LabelChoiceField(forms.ChoiceField):
    """Accepts a choice's code, its label in any UI language (Excel users type labels), or a usual short name
    given in ``aliases`` (e.g. 支委会 for 支部委员会)."""

    def __init__(self, *args: Any, aliases: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.aliases = aliases or {}
        self._lookup: tuple[Any, dict[str, str], frozenset[str]] | None = None

    def _table(self) -> tuple[dict[str, str], frozenset[str]]:
        """{lower-cased code, label in any language or alias: code} and the valid codes, built once per set of
        choices (building it switches languages, which costs far more than the look-up)."""
        choices = self.choices
        if self._lookup is None or self._lookup[0] is not choices:
            lookup: dict[str, str] = {k.lower(): v for k, v in self.aliases.items()}
            codes: set[str] = set()
            for code, label in cast(Iterable[tuple[Any, Any]], choices):
                lookup[str(code).lower()] = str(code)
                codes.add(str(code))
                for lang, _name in settings.LANGUAGES:
                    with translation.override(lang):
                        lookup[str(label).strip().lower()] = str(code)
            self._lookup = (choices, lookup, frozenset(codes))
        return self._lookup[1], self._lookup[2]

    def valid_codes(self) -> frozenset[str]:
        return self._table()[1]

    def to_python(self, value: Any) -> str:
        text = str(value).strip() if value not in (None, "") else ""
        if not text:
            return ""
        return self._table()[0].get(text.lower(), text)


# --- background import jobs ---------------------------------------------------------------------------------------


def import_job_create(*, owner: Any, view: Any, kind: str, title: str, upload: Any) -> Job:
    """Keep the upload in private storage and queue the import; the task runs once the job row has committed.
    ``view`` is the ImportView that will rebuild the importer for the owner when the job runs (so the owner's
    scope is checked again then)."""
    from .tasks import run_import_job_task

    with transaction.atomic():
        job = Job(
            kind=JobKind.IMPORT, owner=owner, title=title[:200], file_name=(upload.name or "")[:255],
            params={"view": f"{type(view).__module__}.{type(view).__qualname__}", "kind": kind,
                    "language": translation.get_language() or settings.LANGUAGE_CODE},
        )
        job.file.save(f"{timezone.now():%Y%m%d%H%M%S}.xlsx", File(upload), save=False)
        job.save()
        transaction.on_commit(lambda: run_import_job_task.enqueue(job.pk))
    return job


def job_request(owner: Any, query: Sequence[tuple[str, list[str]]] = ()) -> HttpRequest:
    """A request of the job's owner, for rebuilding what the view built (importer, filtered queryset) in a task."""
    request = HttpRequest()
    request.method = "GET"
    request.user = owner
    params = QueryDict(mutable=True)
    for key, values in query:
        params.setlist(key, list(values))
    request.GET = cast(Any, params)
    return request


T = TypeVar("T")


def job_view_class(job: Any, base: type[T]) -> type[T]:
    """The view class a job names in its parameters, refused unless it is a ``base`` (the job table is data, and
    the name is imported)."""
    view_class = import_string(job.params["view"])
    if not (isinstance(view_class, type) and issubclass(view_class, base)):
        raise TypeError(job.params["view"])
    return view_class


def import_job_run(job_id: int) -> str:
    """Run a queued import job (safe to run twice: only a queued job is claimed). The import is one transaction,
    so a crash leaves nothing half-written; the job is then marked failed with a message the owner can read."""
    job = Job.objects.claim(job_id)
    if job is None:
        return "skipped"
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        try:
            from .views import ImportView

            try:
                importer = job_view_class(job, ImportView)().get_importer(job_request(job.owner), job.params["kind"])
            except (PermissionDenied, Http404):  # the owner's roles changed since the upload
                job.fail(_("You may no longer import here; nothing was imported."))
                return JobStatus.FAILED
            with job.file.open("rb") as upload:
                result = importer.run(upload, job.file_name, job.file.size, progress=job.report_progress,
                                      parallel_read=settings.IMPORT_PARALLEL_READ)
        except ImportFileError as exc:
            job.fail(exc.message, details=exc.details)
            return JobStatus.FAILED
        except Exception:
            logger.exception("import job %s failed", job_id)
            job.fail(_("The import stopped on an unexpected error; nothing was imported. Try again, or ask an "
                       "administrator."))
            raise
        finally:
            job.discard_file()
    job.finish(result.as_json(), ok=result.ok)
    return job.status
