from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .permissions import Action, ScopedQuerySet
from .storage import private_storage
from .visibility import Visibility


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    MOVE = "move", _("Moved")
    REVEAL = "reveal", _("Revealed sensitive data")
    IMPORT = "import", _("Imported")
    EXPORT = "export", _("Exported")
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    LOGIN_FAILED = "login_failed", _("Login failed")


class ImmutableError(Exception):
    pass


class AuditEventQuerySet(ScopedQuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise ImmutableError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One row per write (and per reveal of sensitive data). Append-only: the app cannot change or delete rows,
    and on PostgreSQL a trigger makes UPDATE and DELETE on the table fail (migration 0002)."""

    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()
    # The audit log is platform-wide: only unscoped auditors and platform administrators read it.
    visibility = Visibility(view=[], default_action=Action.AUDIT)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableError("Audit events cannot be deleted.")


class JobKind(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")


FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class JobQuerySet(models.QuerySet["Job"]):
    def owned_by(self, user: Any) -> Self:
        """A job is seen by its owner only (anyone else gets a 404)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)

    def claim(self, job_id: int) -> Job | None:
        """Mark a queued job running and return it; None when it is not queued (it ran, or runs, already). One
        conditional UPDATE, so two workers cannot both claim it."""
        claimed = self.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=timezone.now()
        )
        return self.select_related("owner").get(pk=job_id) if claimed else None


def job_file_name(instance: Job, filename: str) -> str:
    """A random name: the stored file is only ever served by the owner's job page."""
    return f"jobs/{instance.kind}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Job(models.Model):
    """A large import or export run in the background for one user, with its progress and its outcome.

    An import keeps its upload here until it has run; an export keeps the file it produced until the daily sweep
    (``JOB_FILE_RETENTION_DAYS``). While a job runs, its progress goes to a small file beside the job files rather
    than to this row: an import's rows are written in one transaction, and on one connection the progress would
    stay invisible to the page that polls it until the end."""

    kind = models.CharField(_("kind"), max_length=10, choices=JobKind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE,
                              related_name="jobs")
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to=job_file_name, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="job_owner_recent_idx"),
            models.Index(fields=["status", "started_at"], name="job_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    # --- progress ------------------------------------------------------------------------------------------------
    def _progress_path(self) -> Path:
        return Path(private_storage().path(f"jobs/progress/{self.pk}"))

    def report_progress(self, done: int, total: int | None) -> None:
        """Called by the running job after each chunk: rows done and rows in all (None: not known)."""
        path = self._progress_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(f"{done} {'' if total is None else total}")
        os.replace(temporary, path)  # atomic: a reader sees the old figures or the new ones

    def progress(self) -> tuple[int, int | None]:
        """(rows done, rows in all or None): live while the job runs, else as stored."""
        if self.status == JobStatus.RUNNING:
            with contextlib.suppress(OSError, ValueError):
                done, _sep, total = self._progress_path().read_text().partition(" ")
                return int(done), int(total) if total else None
        return self.progress_done, self.progress_total

    @property
    def percent(self) -> int | None:
        done, total = self.progress()
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return min(100, done * 100 // total) if total else None

    # --- outcome -------------------------------------------------------------------------------------------------
    def finish(self, result: dict[str, Any], *, ok: bool) -> None:
        done, total = self.progress()
        self.progress_done, self.progress_total = done, total if total is not None else done
        self.result = result
        self.status = JobStatus.SUCCEEDED if ok else JobStatus.FAILED
        self.finished_at = timezone.now()
        self.save(update_fields=["progress_done", "progress_total", "result", "status", "finished_at", "file"])
        self._drop_progress()

    def fail(self, message: str, details: Sequence[str] = ()) -> None:
        """Mark the job failed with a message for its owner (already in the owner's language)."""
        self.progress_done, self.progress_total = self.progress()
        self.message = message
        self.result = {"details": list(details)} if details else {}
        self.status = JobStatus.FAILED
        self.finished_at = timezone.now()
        self.save(update_fields=["progress_done", "progress_total", "message", "result", "status", "finished_at"])
        self._drop_progress()

    def discard_file(self) -> None:
        """Delete the stored file (an import's upload once it has run, an old export)."""
        if self.file:
            self.file.delete(save=False)
            type(self).objects.filter(pk=self.pk).update(file="")

    def _drop_progress(self) -> None:
        self._progress_path().unlink(missing_ok=True)
