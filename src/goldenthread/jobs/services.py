"""Creating, running and reporting background jobs.

A handler receives a :class:`Progress`. It reports progress as it goes (each
report is committed at once, so the page polling the job sees it), records
problems, and does its writes inside one transaction of its own: if it raises
:class:`JobFailed` or anything else, nothing it wrote is kept.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import acting_user

from . import registry
from .models import Job, JobInput, JobStatus

logger = logging.getLogger(__name__)

UNEXPECTED_FAILURE = (
    "The job stopped because of an unexpected error. Nothing was saved. "
    "Try again, and if it happens again tell your administrator (job {pk})."
)

#: Progress is written at most this often, so a fast loop does not spend its
#: time updating the job row.
PROGRESS_INTERVAL_SECONDS = 0.25


class JobFailed(Exception):
    """Raised by a handler that has found problems: the job fails and nothing is saved."""

    def __init__(self, summary: str) -> None:
        super().__init__(summary)
        self.summary = summary


@dataclass
class Progress:
    job: Job
    problems: list[dict[str, Any]] = field(default_factory=list)
    _last_write: float = 0.0

    @property
    def organisation(self) -> Organisation:
        return self.job.organisation

    def input_bytes(self) -> tuple[str, bytes]:
        job_input = JobInput.objects.get(job=self.job)
        return job_input.filename, bytes(job_input.data)

    def stage(self, stage: str, total: int = 0) -> None:
        self.job.stage = stage
        self.job.total = total
        self.job.done = 0
        self._save(force=True)

    def advance(self, done: int) -> None:
        self.job.done = done
        self._save()

    def problem(
        self,
        *,
        message: str,
        file: str = "",
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        self.problems.append(
            {"file": file, "row": row, "column": column, "value": value, "message": message}
        )

    def _save(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_write < PROGRESS_INTERVAL_SECONDS:
            return
        self._last_write = now
        # A separate, immediate write: the handler's own transaction has not begun
        # yet (progress is reported while checking, before saving).
        Job.objects.filter(pk=self.job.pk).update(
            stage=self.job.stage, done=self.job.done, total=self.job.total
        )


@transaction.atomic
def job_create(
    *,
    organisation: Organisation,
    kind: str,
    title: str,
    parameters: dict[str, Any] | None = None,
    filename: str = "",
    data: bytes | None = None,
    result_url: str = "",
    by: AbstractBaseUser | None = None,
) -> Job:
    """Record a job (and its input file) and queue it once the transaction commits.

    ``by`` started it; the job's writes are made in their name. ``result_url``
    is where its outcome is shown, if the job does not set it itself.
    """
    registry.get(kind)  # fail now, not in the worker, for an unknown kind
    job = Job.objects.create(
        organisation=organisation,
        kind=kind,
        title=title,
        created_by=acting_user(by),
        parameters=parameters or {},
        result_url=result_url,
    )
    if data is not None:
        JobInput.objects.create(job=job, filename=filename, data=data)
    from .tasks import run_job

    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


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
