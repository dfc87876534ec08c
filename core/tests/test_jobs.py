"""Background jobs: large imports and exports run as tasks, with progress, a report and owner-only pages."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from conftest import make_id, xlsx
from core.importing import ImportResult, import_job_run
from core.models import AuditEvent, Job, JobKind, JobStatus
from core.tasks import sweep_jobs_task
from organizations.importers import MemberImporter
from organizations.models import Organization, Person

HEADERS = ["Name", "Gender", "ID number", "Phone", "Organization", "Membership", "Joined the party on", "Job title"]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture
def background(settings: Any, tmp_path: Path) -> Path:
    """Every upload goes to the background, tasks run at once, private files go to a scratch folder."""
    settings.IMPORT_BACKGROUND_BYTES = 0
    settings.EXPORT_BACKGROUND_ROWS = 1
    settings.TASKS = IMMEDIATE
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


def member_rows(n: int, org: str = "fz-e2", start: int = 0) -> list[list[Any]]:
    return [[f"成员{i}", "男", make_id("350503", f"1980{1 + i % 12:02d}{1 + i % 28:02d}", f"{i % 1000:03d}"),
             "", org, "Full member", "", ""] for i in range(start, start + n)]


def post_import(client: Any, content: bytes, capture: Any) -> Any:
    client.cookies["django_language"] = "en"
    with capture(execute=True):
        return client.post("/organizations/import/members/", {"file": SimpleUploadedFile("big.xlsx", content)})


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_background_import_end_to_end(world: Any, client_for: Any, background: Path,
                                      django_capture_on_commit_callbacks: Any) -> None:
    client = client_for("staff_fz")
    before = Person.objects.count()
    response = post_import(client, xlsx(HEADERS, member_rows(3)), django_capture_on_commit_callbacks)
    assert response.status_code == 303
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.status, job.owner, job.file_name) == (JobKind.IMPORT, JobStatus.SUCCEEDED,
                                                               world.users["staff_fz"], "big.xlsx")
    assert Person.objects.count() == before + 3
    assert Organization.objects.get(code="fz-e2").member_count == 3
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert not job.file and files_under(background) == []  # the upload is gone once the job has run

    page = client.get(f"/jobs/{job.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="import-success"' in html and "Imported 3 rows: 3 created" in html
    assert "hx-trigger" not in html  # finished: no more polling
    fragment = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith('<div id="job-status"')

    other = client_for("staff_jj")
    assert other.get(f"/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert f'/jobs/{job.pk}/"' not in other.get("/jobs/").content.decode()
    assert f"/jobs/{job.pk}/" in client.get("/jobs/").content.decode()
    # Safe to run twice: the job is no longer queued, so a second run does nothing.
    assert import_job_run(job.pk) == "skipped"
    assert Person.objects.count() == before + 3


def test_background_import_with_bad_rows_reports_and_writes_nothing(world: Any, client_for: Any, background: Path,
                                                                    django_capture_on_commit_callbacks: Any) -> None:
    rows = member_rows(4)
    rows[2][3] = "123"
    rows[3][4] = "jj-e1"
    client = client_for("staff_fz")  # signing in is audited too: count after it
    before = (Person.objects.count(), AuditEvent.objects.count())
    response = post_import(client, xlsx(HEADERS, rows), django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and not job.message
    result = ImportResult.from_json(job.result)
    assert [(e.row, e.column) for e in result.errors] == [(4, "Phone"), (5, "Organization")]
    assert (Person.objects.count(), AuditEvent.objects.count()) == before
    html = client.get(response["Location"]).content.decode()
    assert "2 problems found; nothing was imported." in html and 'data-testid="error-report"' in html


def test_background_import_of_a_wrong_file_says_why(world: Any, client_for: Any, background: Path,
                                                    django_capture_on_commit_callbacks: Any) -> None:
    client = client_for("staff_fz")
    response = post_import(client, xlsx(["Name", "Colour"], [["x", "red"]]), django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.message == "The columns do not match the template."
    html = client.get(response["Location"]).content.decode()
    assert "Colour" in html and "Nothing was imported." in html


def test_a_non_workbook_is_refused_on_the_upload_page_not_queued(world: Any, client_for: Any, background: Path,
                                                                 django_capture_on_commit_callbacks: Any) -> None:
    response = post_import(client_for("staff_fz"), b"<html>not a workbook</html>", django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "not an Excel workbook" in response.context["file_error"]
    assert not Job.objects.exists()


def test_a_crash_marks_the_job_failed_and_writes_nothing(world: Any, client_for: Any, background: Path,
                                                         django_capture_on_commit_callbacks: Any,
                                                         monkeypatch: Any) -> None:
    def explode(self: Any, rows: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(MemberImporter, "save_batch", explode)
    background.mkdir(parents=True, exist_ok=True)
    client = client_for("staff_fz")
    before = (Person.objects.count(), AuditEvent.objects.count())
    response = post_import(client, xlsx(HEADERS, member_rows(2)), django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("The import stopped on an unexpected error; nothing was imported.")
    assert "disk on fire" not in job.message
    assert (Person.objects.count(), AuditEvent.objects.count()) == before
    assert not job.file and files_under(background) == []
    html = client.get(response["Location"]).content.decode()
    assert "unexpected error" in html


def test_the_failure_message_is_in_the_owners_language(world: Any, client_for: Any, background: Path,
                                                       django_capture_on_commit_callbacks: Any) -> None:
    client = client_for("staff_fz")
    client.cookies["django_language"] = "zh-hans"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/organizations/import/members/",
                    {"file": SimpleUploadedFile("m.xlsx", xlsx(["Name", "Colour"], [["x", "red"]]))})
    job = Job.objects.get()
    assert job.params["language"] == "zh-hans"
    with translation.override("zh-hans"):
        assert job.message == translation.gettext("The columns do not match the template.")
    assert job.message != "The columns do not match the template."


@pytest.mark.usefixtures("background")
def test_progress_is_reported_per_chunk_and_shown_while_running(world: Any, client_for: Any, settings: Any) -> None:
    settings.IMPORT_CHUNK_ROWS = 2
    calls: list[tuple[int, int | None]] = []
    content = xlsx(HEADERS, member_rows(5))
    with translation.override("en"):
        result = MemberImporter(world.users["staff_fz"]).run(io.BytesIO(content), "m.xlsx", len(content),
                                                             progress=lambda done, total: calls.append((done, total)))
    assert result.ok
    assert calls == [(2, 5), (4, 5), (2, 5), (4, 5), (5, 5)]  # rows validated, then rows written

    job = Job.objects.create(kind=JobKind.IMPORT, owner=world.users["staff_fz"], title="Party members",
                             status=JobStatus.RUNNING, file_name="m.xlsx")
    job.report_progress(40, 160)
    html = client_for("staff_fz").get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'value="40" max="160"' in html and 'hx-trigger="every 2s"' in html
    assert "已处理 40 / 160 行" in html  # the page speaks the owner's language (zh-Hans here)
    assert job.percent == 25
    job.finish({"rows": 160, "created": 160, "updated": 0, "unchanged": 0, "errors": [], "error_count": 0}, ok=True)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, job.status) == (40, 160, JobStatus.SUCCEEDED)


def test_background_export_is_scoped_filtered_and_owner_only(world: Any, client_for: Any, background: Path,
                                                             django_capture_on_commit_callbacks: Any) -> None:
    client = client_for("staff_fz")
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/organizations/people/", {"export": "xlsx"})
    assert response.status_code == 303
    job = Job.objects.get()
    assert (job.kind, job.status, job.progress_done) == (JobKind.EXPORT, JobStatus.SUCCEEDED, 3)
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    content = b"".join(download.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "name"
    names = sorted(row[0] for row in rows[1:])
    assert names == ["成员b2-a", "成员e1-a", "成员e1-b"]  # not the other district's member
    masked = {row[3] for row in rows[1:]}
    assert all("*" in value for value in masked)  # ID numbers masked as in the list's export
    event = AuditEvent.objects.get(action="export")
    assert event.actor == world.users["staff_fz"] and event.object_type == "organizations.person"
    assert event.changes == {"filters": {}}
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="export-download"' in html
    assert client_for("staff_jj").get(f"/jobs/{job.pk}/download/").status_code == 404

    # Filters travel with the job (the queryset is rebuilt in the task) — one organization's subtree.
    fz_e1 = Organization.objects.get(code="fz-e1")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/organizations/people/?organization={fz_e1.pk}", {"export": "xlsx"})
    assert response.status_code == 303
    job = Job.objects.exclude(pk=job.pk).get()
    assert job.status == JobStatus.SUCCEEDED and job.result == {"rows": 2}
    rows = list(load_workbook(io.BytesIO(b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)))
                .worksheets[0].iter_rows(values_only=True))
    assert sorted(row[0] for row in rows[1:]) == ["成员e1-a", "成员e1-b"]


def test_small_exports_stay_immediate(world: Any, client_for: Any, background: Path, settings: Any) -> None:
    settings.EXPORT_BACKGROUND_ROWS = 5000
    response = client_for("staff_fz").post("/organizations/people/", {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert not Job.objects.exists()


@pytest.mark.usefixtures("background")
def test_daily_sweep_fails_stale_jobs_and_deletes_old_files(world: Any) -> None:
    owner = world.users["staff_fz"]
    stale = Job.objects.create(kind=JobKind.IMPORT, owner=owner, title="t", status=JobStatus.RUNNING,
                               started_at=timezone.now() - dt.timedelta(hours=7))
    stale.file.save("up.xlsx", ContentFile(b"x"))
    old = Job.objects.create(kind=JobKind.EXPORT, owner=owner, title="t", status=JobStatus.SUCCEEDED,
                             finished_at=timezone.now() - dt.timedelta(days=8))
    old.file.save("out.xlsx", ContentFile(b"x"))
    fresh = Job.objects.create(kind=JobKind.EXPORT, owner=owner, title="t", status=JobStatus.SUCCEEDED,
                               finished_at=timezone.now())
    fresh.file.save("new.xlsx", ContentFile(b"x"))
    with translation.override("en"):
        figures = sweep_jobs_task.call()
    assert figures["stale"] == 1 and figures["expired"] == 1
    stale.refresh_from_db()
    old.refresh_from_db()
    fresh.refresh_from_db()
    # written in the owner's language (the platform's, zh-Hans), whatever the worker's
    assert stale.status == JobStatus.FAILED and "任务被中断" in stale.message and not stale.file
    assert not old.file and fresh.file and Path(fresh.file.path).exists()


def test_a_queued_job_polls_and_the_owners_scope_is_checked_again_when_it_runs(
        world: Any, client_for: Any, background: Path, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    client = client_for("staff_fz")
    response = post_import(client, xlsx(HEADERS, member_rows(2)), django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED and job.file
    html = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in html and "<progress" in html and "Waiting for the background worker" in html

    world.users["staff_fz"].roles.all().delete()  # the owner lost their role before the worker ran
    before = Person.objects.count()
    assert import_job_run(job.pk) == JobStatus.FAILED
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message == "You may no longer import here; nothing was imported."
    assert Person.objects.count() == before and not job.file and files_under(background) == []


def test_an_export_is_a_post_with_the_csrf_token(world: Any, client_for: Any, background: Path) -> None:
    """A link (or a prefetching browser) must not start an export job or write the export's audit event."""
    client = client_for("staff_fz")
    page = client.get("/organizations/people/?export=xlsx")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert 'data-testid="export-form"' in page.content.decode()
    assert not Job.objects.exists() and not AuditEvent.objects.filter(action="export").exists()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["staff_fz"])
    assert strict.post("/organizations/people/", {"export": "xlsx"}).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()
    assert client.post("/organizations/people/", {"something": "else"}).status_code == 405


def test_the_progress_poll_does_not_write_the_session(world: Any, client_for: Any) -> None:
    """A long import on SQLite holds the only write lock: a poll that wrote the session would wait behind it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    job = Job.objects.create(kind=JobKind.IMPORT, owner=world.users["staff_fz"], title="Party members",
                             status=JobStatus.RUNNING, file_name="m.xlsx")
    client = client_for("staff_fz")

    def session_writes(**headers: str) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/jobs/{job.pk}/", **headers).status_code == 200  # type: ignore[arg-type]
        return [q["sql"] for q in queries.captured_queries
                if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]

    assert session_writes()  # a page the user opens refreshes the idle timeout (core.middleware)
    assert session_writes(HTTP_HX_REQUEST="true") == []
