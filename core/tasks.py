"""Background jobs: large imports and exports (``Job``). Each task takes a job id, is enqueued once the job row has
committed, and is safe to run twice (only a queued job is claimed)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import FINISHED, Job, JobStatus
from .storage import sweep_orphans


@task()
def run_import_job_task(job_id: int) -> str:
    from .importing import import_job_run

    return import_job_run(job_id)


@task()
def run_export_job_task(job_id: int) -> str:
    from .exporting import export_job_run

    return export_job_run(job_id)


@task()
def sweep_jobs_task() -> dict[str, int]:
    """Daily: fail jobs whose worker died (running for more than ``JOB_STALE_HOURS``), delete the files of jobs
    finished more than ``JOB_FILE_RETENTION_DAYS`` ago, and files no job refers to (an upload whose request
    rolled back)."""
    now = timezone.now()
    stale = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING,
                                  started_at__lt=now - dt.timedelta(hours=settings.JOB_STALE_HOURS)):
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            job.fail(_("The job was interrupted (the background worker stopped); nothing was imported or kept. "
                       "Start it again."))
        job.discard_file()
        stale += 1
    expired = 0
    cutoff = now - dt.timedelta(days=settings.JOB_FILE_RETENTION_DAYS)
    for job in Job.objects.filter(status__in=FINISHED, finished_at__lt=cutoff).exclude(file=""):
        job.discard_file()
        expired += 1
    orphans = sweep_orphans("jobs", Job, "file")
    return {"stale": stale, "expired": expired, "orphans": orphans}
