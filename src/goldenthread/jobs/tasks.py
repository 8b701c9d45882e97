"""The one task the worker runs: a job, by its id."""

from __future__ import annotations

from django_tasks import task

from .runner import job_run


@task()
def run_job(job_id: int) -> str:
    job = job_run(job_id=job_id)
    return job.status
