"""Files added to a demand. Checked by their content, never by their name: a PDF, an Office document (Word or
Excel, without macros) or a picture (re-encoded like activity photos, which drops EXIF positions). Kept in the
private storage; served only to who sees the demand."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core import audit
from core.images import reencode_image
from core.permissions import Action, Actor, can, signed_in

from . import events
from .choices import FINISHED_STATUSES
from .error_codes import DemandErrorCode
from .models import Demand, DemandAttachment
from .services import is_requester, may_handle, may_manage

OOXML = {  # the part that tells a Word from an Excel file, extension, content type
    "word/document.xml": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/workbook.xml": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
_UNSAFE_NAME = re.compile(r"[^\w.\-（）() ]+")


def _refuse() -> ValidationError:
    return ValidationError(_("This file type is not accepted. Attach a PDF, a Word or Excel document (.docx, .xlsx) "
                             "or a photo (JPEG, PNG, WebP)."), code="file_type")


def _office(data: bytes) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {info.filename for info in archive.infolist()}
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ValidationError(_("The document is damaged and cannot be opened."), code="damaged") from exc
    if "[Content_Types].xml" not in names:
        raise _refuse()
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(_("Documents with macros are not accepted; save it as a plain .docx or .xlsx."),
                              code="macros")
    if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        raise ValidationError(_("The document unpacks to more than %(limit)d MB; it was rejected unread.")
                              % {"limit": settings.IMPORT_MAX_UNPACKED_BYTES // 2**20}, code="zip_bomb")
    for part, kind in OOXML.items():
        if part in names:
            return kind
    raise _refuse()


# PDF names that run code or carry other files: a demand's attachment is a letter or a plan, never either.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|OpenAction|AA|RichMedia|XFA)\b")


def _check_pdf(data: bytes) -> None:
    """A PDF with its structure (objects, a cross-reference and its end) and without active content."""
    tail = data[-2048:]
    if b"%%EOF" not in tail or b"startxref" not in tail or not re.search(rb"\d+ \d+ obj", data[:65536]):
        raise ValidationError(_("The PDF is incomplete or damaged."), code="damaged")
    if _PDF_ACTIVE.search(data):
        raise ValidationError(_("PDFs with scripts, actions or embedded files are not accepted; print it to a plain "
                                "PDF first."), code="active_pdf")


def clean_attachment(upload: IO[bytes], name: str, size: int) -> tuple[bytes, str, str]:
    """(content, file name, content type) of an accepted file, or a ValidationError the uploader can act on."""
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("The file is %(size)s; the limit is %(limit)s.")
                              % {"size": filesizeformat(size), "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
                              code="too_large")
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    data = upload.read(settings.ATTACHMENT_MAX_BYTES + 1)
    if len(data) > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("The file is larger than %(limit)s.")
                              % {"limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}, code="too_large")
    stem = _UNSAFE_NAME.sub("_", (name or "file").rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip()[:80] or "file"
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return data, f"{stem}.pdf", "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        extension, content_type = _office(data)
        return data, f"{stem}.{extension}", content_type
    if data[:3] == b"\xff\xd8\xff" or data.startswith(b"\x89PNG") or data[8:12] == b"WEBP":
        image = reencode_image(io.BytesIO(data), len(data))
        return image.content, f"{stem}.jpg", "image/jpeg"
    raise _refuse()


@transaction.atomic
def attachment_add(*, actor: Actor, demand: Demand, upload: IO[bytes], name: str, size: int) -> DemandAttachment:
    """The requester, the handler and the case's managers may add a file while the case is open (not those who
    only see it, e.g. alliance members looking at a case open for claiming)."""
    if actor is not None and not can(actor, Action.VIEW, demand):
        raise PermissionDenied
    demand = Demand.objects.select_for_update(of=("self",)).select_related("handler_organization").get(pk=demand.pk)
    if actor is not None and not (is_requester(actor, demand) or may_handle(actor, demand)):
        raise PermissionDenied(_("Only whoever raised the demand, its handler and its managers may add files."))
    if demand.status in FINISHED_STATUSES:
        raise ValidationError(_("The case is “%(status)s”; files can no longer be added.")
                              % {"status": demand.get_status_display()},
                              code=DemandErrorCode.ATTACHMENTS_CLOSED)
    if demand.attachments.count() >= settings.ATTACHMENTS_PER_DEMAND:
        raise ValidationError(_("A demand keeps at most %(n)d files; delete one first.")
                              % {"n": settings.ATTACHMENTS_PER_DEMAND},
                              code=DemandErrorCode.TOO_MANY_ATTACHMENTS)
    content, clean_name, content_type = clean_attachment(upload, name, size)
    attachment = DemandAttachment(demand=demand, name=clean_name, content_type=content_type, size=len(content),
                                  uploaded_by=signed_in(actor))
    attachment.file.save(f"{uuid.uuid4().hex}.{clean_name.rsplit('.', 1)[-1]}", ContentFile(content), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    audit.record_create(actor, attachment)
    events.attachment_added(demand, actor, name=clean_name)
    return attachment


@transaction.atomic
def attachment_delete(*, actor: Actor, attachment: DemandAttachment) -> None:
    """The uploader or the case's managers remove a file."""
    if actor is not None and attachment.uploaded_by_id != actor.pk and not may_manage(actor, attachment.demand):
        raise PermissionDenied(_("Only whoever added the file and the case's managers may delete it."))
    audit.record_delete(actor, attachment, attachment.name)
    name = attachment.file.name or ""
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.storage.delete(name))
