"""Running one job to the end: what the worker does with a queued job."""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.utils import timezone

from . import registry
from .findings import Findings
from .heartbeat import Heartbeat
from .models import Job, JobStatus
from .progress import JobFailed, Progress

logger = logging.getLogger(__name__)

UNEXPECTED_FAILURE = (
    "The job stopped because of an unexpected error. Nothing was saved. "
    "Try again, and if it happens again tell your administrator (job {pk})."
)
#: Longest summary kept on the job row, in characters.
SUMMARY_LIMIT = 2000


def job_run(*, job_id: int) -> Job:
    """Run one job to the end. Called by the task worker (or at once in tests)."""
    job = Job.objects.select_related("organisation").get(pk=job_id)
    if job.is_finished:
        return job
    job.status = JobStatus.RUNNING
    job.started_at = job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "started_at", "heartbeat_at"])
    progress = Progress(job)
    with Heartbeat(job.pk, progress.state) as heartbeat:
        progress.heartbeat = heartbeat
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
    _finish(job, progress)
    return job


def _finish(job: Job, progress: Progress) -> None:
    """The job's last write, kept small whatever the handler left behind."""
    problems = progress.problems
    if not isinstance(problems, Findings):  # a handler that swapped in a plain list
        problems = Findings(problems)
    job.problems = list(problems[: problems.limit])
    job.problem_count = problems.total
    job.problem_kinds = problems.summary()
    job.summary = job.summary[:SUMMARY_LIMIT]
    job.finished_at = timezone.now()
    try:
        job.save()
    except DatabaseError:
        logger.exception("job %s: its outcome could not be written", job.pk)
        job.status = JobStatus.FAILED
        job.summary = UNEXPECTED_FAILURE.format(pk=job.pk)
        job.problems, job.problem_kinds = [], []
        Job.objects.filter(pk=job.pk).update(
            status=job.status,
            summary=job.summary,
            problems=[],
            problem_kinds=[],
            finished_at=job.finished_at,
        )
