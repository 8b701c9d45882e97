"""Creating background jobs: each is recorded, with its input file, and queued.

Handlers are written against :mod:`.progress`; :mod:`.runner` runs them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor, acting_user

from . import registry
from .models import Job, JobInput
from .progress import PROGRESS_INTERVAL_SECONDS, JobFailed, Progress
from .runner import UNEXPECTED_FAILURE, job_run
from .tasks import run_job

__all__ = [
    "PROGRESS_INTERVAL_SECONDS",
    "UNEXPECTED_FAILURE",
    "JobFailed",
    "Progress",
    "job_create",
    "job_run",
]


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
    by: Actor = None,
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
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job
