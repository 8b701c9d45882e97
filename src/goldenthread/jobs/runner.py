"""Running one job to the end: what the worker does with a queued job."""

from __future__ import annotations

import logging

from django.utils import timezone

from . import registry
from .models import Job, JobStatus
from .progress import JobFailed, Progress

logger = logging.getLogger(__name__)

UNEXPECTED_FAILURE = (
    "The job stopped because of an unexpected error. Nothing was saved. "
    "Try again, and if it happens again tell your administrator (job {pk})."
)


def job_run(*, job_id: int) -> Job:
    """Run one job to the end. Called by the task worker (or at once in tests)."""
    job = Job.objects.select_related("organisation").get(pk=job_id)
    if job.is_finished:
        return job
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    progress = Progress(job)
    try:
        registry.get(job.kind).handler(progress)
    except JobFailed as failed:
        job.status = JobStatus.FAILED
        job.summary = failed.summary
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job.status = JobStatus.FAILED
        job.summary = UNEXPECTED_FAILURE.format(pk=job.pk)
    else:
        job.status = JobStatus.SUCCEEDED
    job.problems = progress.problems
    job.finished_at = timezone.now()
    job.save()
    return job
