"""Files on a demand: checked by content, limited, private, deletable by whoever added them."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from demands import attachments, services
from demands.choices import EventKind
from demands.models import DemandAttachment

from .conftest import raise_demand

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\nxref\n0 1\ntrailer<<>>\nstartxref\n9\n%%EOF\n"


def docx(macro: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        if macro:
            z.writestr("word/vbaProject.bin", b"\0" * 10)
    return buf.getvalue()


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buf, "JPEG")
    return buf.getvalue()


def add(world: Any, demand: Any, name: str, data: bytes, user: str = "norole") -> DemandAttachment:
    return attachments.attachment_add(actor=world.users[user], demand=demand, upload=io.BytesIO(data), name=name,
                                      size=len(data))


@pytest.fixture(autouse=True)
def _private(tmp_path: Any) -> Any:
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path):
        yield


def test_files_are_checked_by_content(world: Any) -> None:
    demand = raise_demand(world)
    pdf = add(world, demand, "申请书.pdf", PDF)
    assert pdf.content_type == "application/pdf" and pdf.name == "申请书.pdf"
    assert add(world, demand, "plan.docx", docx()).name == "plan.docx"
    photo = add(world, demand, "漏水.JPG", jpeg())
    assert photo.content_type == "image/jpeg" and photo.name == "漏水.jpg"
    for name, data, message in [
        ("invoice.pdf", b"<html><script>alert(1)</script></html>", "not accepted"),
        ("macro.docx", docx(macro=True), "macros"),
        ("cut.pdf", PDF[:-7], "incomplete or damaged"),
        ("polyglot.pdf", b"%PDF-<html><script>alert(1)</script></html>startxref %%EOF", "incomplete or damaged"),
        ("script.pdf", PDF.replace(b"<<>>", b"<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>", 1), "scripts"),
        ("empty.pdf", b"", "empty"),
        ("../../etc/passwd", b"root:x:0:0", "not accepted"),
    ]:
        with pytest.raises(ValidationError, match=message):
            add(world, demand, name, data)
    with override_settings(ATTACHMENT_MAX_BYTES=1000), pytest.raises(ValidationError, match="the limit is"):
        add(world, demand, "big.pdf", PDF + b"0" * 2000)
    assert demand.attachments.count() == 3
    assert demand.events.filter(kind=EventKind.ATTACHMENT).count() == 3
    with pytest.raises(PermissionDenied, match="may add files"):
        add(world, demand, "x.pdf", PDF, user="auditor")  # sees every case, is not a party to it
    services.demand_decline(actor=world.users["staff_fz"], demand=demand, reason="不属于受理范围")
    with pytest.raises(ValidationError, match="files can no longer be added"):
        add(world, demand, "late.pdf", PDF)


def test_only_who_sees_the_case_gets_the_file_and_the_uploader_may_delete_it(world: Any, client_for: Any) -> None:
    demand = raise_demand(world)
    requester = client_for("norole")
    upload = SimpleUploadedFile("报价.pdf", PDF, content_type="application/pdf")
    requester.post(f"/demands/{demand.pk}/do/attach/", {"file": upload})
    row = DemandAttachment.objects.get()
    got = client_for("staff_fz").get(row.get_absolute_url())
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert "attachment" in got["Content-Disposition"] and got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Security-Policy"].startswith("sandbox")
    assert client_for("staff_jj").get(row.get_absolute_url()).status_code == 404
    assert client_for("member").get(row.get_absolute_url()).status_code == 404
    with pytest.raises(PermissionDenied):
        attachments.attachment_delete(actor=world.users["member"], attachment=row)
    requester.post(row.get_absolute_url())
    assert not DemandAttachment.objects.exists()


def test_a_rolled_back_upload_leaves_no_file_after_the_sweep(world: Any, tmp_path: Any) -> None:
    import os
    import time

    from django.db import transaction

    from demands.tasks import sweep_orphan_attachments_task

    demand = raise_demand(world)
    kept = add(world, demand, "kept.pdf", PDF)
    def upload_then_fail() -> None:
        with transaction.atomic():
            add(world, demand, "lost.pdf", PDF)
            raise RuntimeError("the surrounding transaction fails")

    with pytest.raises(RuntimeError):
        upload_then_fail()
    files = sorted((tmp_path / "demand-attachments").rglob("*.pdf"))
    assert len(files) == 2 and demand.attachments.count() == 1
    old = time.time() - 2 * 86400
    for path in files:
        os.utime(path, (old, old))
    assert sweep_orphan_attachments_task.call() == 1
    assert [p.name for p in (tmp_path / "demand-attachments").rglob("*.pdf")] == [kept.file.name.rsplit("/", 1)[-1]]
