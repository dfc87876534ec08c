"""All-or-nothing Excel imports.

1. The upload is checked *before* parsing: extension, size, zip signature, workbook parts, and the unpacked size
   (zip bombs). Each failure has its own translated message.
2. Every row is validated (a Django form per row gives the translated messages); rows may refer to rows above
   them (an organization's parent defined earlier in the same file).
3. If any row is bad, nothing is written and the report lists every bad row: row number, column, message.
4. Otherwise all rows are written in one transaction. Rows are matched on a natural key (credit code, organization
   code, ID number), so importing the same file twice creates no duplicates.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from . import audit
from .models import AuditAction

XLSX_MAGIC = b"PK\x03\x04"
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


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
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


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


class Importer:
    """Subclasses declare columns and a row form, and know how to resolve and save one row."""

    title: Any = ""
    columns: Sequence[Column] = ()
    row_form: type[forms.Form]
    model: type[models.Model]

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    # --- hooks -------------------------------------------------------------------------------------------------
    def natural_key(self, data: dict[str, Any]) -> Any:
        """Identifies the row's object; two rows with one key in a file are an error."""
        raise NotImplementedError

    def resolve(self, data: dict[str, Any], earlier: dict[Any, dict[str, Any]]) -> dict[str, str]:
        """Check references (to the database or to earlier rows); return {column key: message} for problems."""
        return {}

    def save(self, data: dict[str, Any]) -> str:
        """Write one validated row; return "created", "updated" or "unchanged"."""
        raise NotImplementedError

    def after_commit(self) -> None:
        """Enqueue follow-up background work; runs only once the import has committed."""

    # --- machinery ----------------------------------------------------------------------------------------------
    def header_for(self, key: str) -> str:
        for col in self.columns:
            if col.key == key:
                return str(col.header)
        return key

    def _read_rows(self, upload: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            wb = load_workbook(upload, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise ImportFileError(_("The file is damaged and cannot be opened as an Excel workbook.")) from exc
        try:
            ws = wb.worksheets[0]
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                raise ImportFileError(_("The first sheet is empty; use the template."))
            mapping = self._map_header(header)
            for offset, values in enumerate(rows, start=2):
                if values is None or all(v is None or str(v).strip() == "" for v in values):
                    continue
                yield offset, {key: values[i] if i < len(values) else None for i, key in mapping.items()}
        finally:
            wb.close()

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

    def run(self, upload: IO[bytes], name: str, size: int) -> ImportResult:
        check_upload(upload, name, size)
        result = ImportResult()
        valid: list[tuple[int, dict[str, Any]]] = []
        earlier: dict[Any, dict[str, Any]] = {}
        first_row_of: dict[Any, int] = {}
        for row_no, raw in self._read_rows(upload):
            result.rows += 1
            if result.rows > settings.IMPORT_MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(limit)d rows; split it.") % {"limit": settings.IMPORT_MAX_ROWS}
                )
            form = self.row_form(data={k: ("" if v is None else v) for k, v in raw.items()})
            if not form.is_valid():
                for key, messages in form.errors.items():
                    for message in messages:
                        result.errors.append(RowError(row_no, self.header_for(key), str(message)))
                continue
            data = dict(form.cleaned_data)
            problems = self.resolve(data, earlier)
            for key, message in problems.items():
                result.errors.append(RowError(row_no, self.header_for(key), message))
            if problems:
                continue
            key = self.natural_key(data)
            if key is not None and key in earlier:
                result.errors.append(
                    RowError(row_no, "", _("Duplicate of row %(row)d in this file.") % {"row": first_row_of[key]})
                )
                continue
            if key is not None:
                earlier[key] = data
                first_row_of[key] = row_no
            valid.append((row_no, data))
        if result.rows == 0:
            raise ImportFileError(_("The file has a header but no data rows."))
        if result.errors:
            return result
        with transaction.atomic():
            for row_no, data in valid:
                try:
                    with transaction.atomic():  # a savepoint, so one failing row leaves the transaction usable
                        outcome = self.save(data)
                except ValidationError as exc:
                    self._report(result, row_no, exc)
                    continue
                except PermissionDenied as exc:
                    result.errors.append(RowError(row_no, "", str(exc) or _("You may not change this record.")))
                    continue
                setattr(result, outcome, getattr(result, outcome) + 1)
            if result.errors:
                # Problems only the write could find (e.g. a uniqueness rule between rows): write nothing.
                transaction.set_rollback(True)
                result.created = result.updated = result.unchanged = 0
                return result
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

    def _report(self, result: ImportResult, row_no: int, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                column = self.header_for(field) if field != "__all__" else ""
                for error in errors:
                    result.errors.append(RowError(row_no, column, " ".join(error.messages)))
        else:
            for message in exc.messages:
                result.errors.append(RowError(row_no, "", message))

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

    def to_python(self, value: Any) -> str:
        text = str(value).strip() if value not in (None, "") else ""
        if not text:
            return ""
        lookup: dict[str, str] = {k.lower(): v for k, v in self.aliases.items()}
        for code, label in cast(Iterable[tuple[Any, Any]], self.choices):
            lookup[str(code).lower()] = str(code)
            for lang, _name in settings.LANGUAGES:
                with translation.override(lang):
                    lookup[str(label).strip().lower()] = str(code)
        return lookup.get(text.lower(), text)
