"""Jobs lost with their worker, and the uploads kept after the work on them ended.

A worker can die in the middle of a job (killed, out of memory, the machine
restarted). Its job's transaction is rolled back by the database, so nothing
of the job's work is kept, but the job row still says "running" and the page
following it would wait for ever. :func:`jobs_recover` finds those jobs by
their heartbeat and marks them failed with a message saying so, after letting
the kind that owns each settle what it was working on.

:func:`uploads_purge` deletes the bytes of uploads once the work on them has
ended and the retention period has passed: the jobs' input files here, and
whatever the layers above register (the import kit's runs, a register's own
upload records).

:func:`maintain` does both; the worker runs it when it starts and then every
:data:`MAINTENANCE_SECONDS`, and so does ``goldenthread serve``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks_db.models import DBTaskResult

from . import registry
from .models import Job, JobInput, JobStatus

__all__ = [
    "LOST",
    "MAINTENANCE_SECONDS",
    "Cutoffs",
    "jobs_recover",
    "maintain",
    "register_purger",
    "uploads_purge",
]

logger = logging.getLogger(__name__)

LOST = (
    "The worker running this job stopped at {time} before it finished. Nothing was saved. "
    "Start it again."
)
#: How often the worker and ``goldenthread serve`` look for lost jobs and old
#: uploads: each look is two or three indexed queries.
MAINTENANCE_SECONDS = 60.0
#: An upload waiting for someone (a checked import never confirmed, a file
#: never mapped) is abandoned only after this long, even with a retention of 0.
ABANDONED_MINIMUM = dt.timedelta(hours=1)
#: The task the worker runs for a job (see :mod:`.tasks`).
RUN_JOB_TASK = "goldenthread.jobs.tasks.run_job"
TASK_RUNNING, TASK_FAILED = "RUNNING", "FAILED"


class WorkerLost(Exception):
    """What a task result left running by a dead worker is marked as having raised."""


def _stopped_at(moment: dt.datetime, now: dt.datetime) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localtime(now).date():
        return local.strftime("%H:%M")
    return f"{local.strftime('%H:%M')} on {date_format(local.date(), 'j F Y')}"


def _job_id(result: DBTaskResult[..., object]) -> int | None:
    args = (result.args_kwargs or {}).get("args") or []
    return args[0] if args and isinstance(args[0], int) else None


def jobs_recover(*, now: dt.datetime | None = None, worker: str | None = None) -> list[Job]:
    """Mark failed every running job lost with its worker; return them.

    A job is lost when its heartbeat (or, before the first, its start) is older
    than ``GOLDENTHREAD_JOB_STALE_SECONDS``, or when ``worker`` names the worker
    known to have stopped (``goldenthread serve`` saw it die) that ran it. Each
    lost job's kind may settle what it was working on (its ``on_lost``); the
    task result the worker left running is marked failed too.
    """
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.GOLDENTHREAD_JOB_STALE_SECONDS)
    running = Job.objects.filter(status=JobStatus.RUNNING)
    lost = set(
        running.filter(
            Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, started_at__lt=stale)
        ).values_list("pk", flat=True)
    )
    results = list(
        DBTaskResult.objects.filter(status=TASK_RUNNING, task_path=RUN_JOB_TASK).only(
            "id", "args_kwargs", "worker_ids", "started_at"
        )
    )
    if worker:
        theirs = [
            job_id
            for result in results
            if worker in (result.worker_ids or []) and (job_id := _job_id(result)) is not None
        ]
        lost |= set(running.filter(pk__in=theirs).values_list("pk", flat=True))
    recovered = [job for job in map(_recover, sorted(lost)) if job is not None]
    _settle_task_results(results, {job.pk for job in recovered}, stale, now)
    return recovered


def _recover(job_id: int) -> Job | None:
    now = timezone.now()
    with transaction.atomic():
        job = (
            Job.objects.select_for_update()
            .defer("problems", "problem_kinds")
            .filter(pk=job_id, status=JobStatus.RUNNING)
            .first()
        )
        if job is None:  # it finished meanwhile
            return None
        job.status = JobStatus.FAILED
        job.summary = LOST.format(time=_stopped_at(job.heartbeat_at or job.started_at or now, now))
        job.finished_at = now
        kind = registry.find(job.kind)
        if kind is not None and kind.on_lost is not None:
            try:
                with transaction.atomic():
                    kind.on_lost(job)
            except Exception:
                logger.exception("job %s (%s): settling it after its worker", job.pk, job.kind)
        job.save(update_fields=["status", "summary", "finished_at", "result_url"])
    logger.warning("job %s (%s) was lost with its worker: %s", job.pk, job.kind, job.status)
    return job


def _settle_task_results(
    results: list[DBTaskResult[..., object]],
    recovered: set[int],
    stale: dt.datetime,
    now: dt.datetime,
) -> None:
    """Fail the task results left running for the recovered jobs, or for jobs long finished."""
    ids = {job_id for result in results if (job_id := _job_id(result)) is not None}
    finished = set(
        Job.objects.filter(pk__in=ids)
        .exclude(status__in=[JobStatus.RUNNING, JobStatus.QUEUED])
        .values_list("pk", flat=True)
    )
    existing = set(Job.objects.filter(pk__in=ids).values_list("pk", flat=True))
    for result in results:
        job_id = _job_id(result)
        old = result.started_at is None or result.started_at < stale
        if job_id in recovered or (old and (job_id in finished or job_id not in existing)):
            DBTaskResult.objects.filter(pk=result.pk, status=TASK_RUNNING).update(
                status=TASK_FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback="The worker running this task stopped before it finished.",
            )


# ---------------------------------------------------------------------------
# Uploads kept only as long as they are needed.


@dataclass(frozen=True)
class Cutoffs:
    """Work that ended before ``ended`` has its upload deleted; work left waiting
    for someone since before ``abandoned`` is abandoned."""

    ended: dt.datetime
    abandoned: dt.datetime
    now: dt.datetime


Purger = Callable[[Cutoffs], int]
_PURGERS: dict[str, Purger] = {}


def register_purger(name: str, purger: Purger) -> None:
    """Have :func:`uploads_purge` call ``purger``: it deletes its uploads and says how many."""
    _PURGERS[name] = purger


def uploads_purge(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete the bytes of uploads whose work ended ``GOLDENTHREAD_UPLOAD_RETENTION_HOURS`` ago.

    Returns how many were deleted, by who kept them (``jobs`` for job input files).
    """
    now = now or timezone.now()
    retention = dt.timedelta(hours=settings.GOLDENTHREAD_UPLOAD_RETENTION_HOURS)
    cutoffs = Cutoffs(
        ended=now - retention, abandoned=now - max(retention, ABANDONED_MINIMUM), now=now
    )
    ended_jobs = Job.objects.filter(finished_at__lte=cutoffs.ended).values("pk")
    deleted, _by_model = JobInput.objects.filter(job__in=ended_jobs).delete()
    counts = {"jobs": deleted}
    for name, purger in _PURGERS.items():
        counts[name] = purger(cutoffs)
    return counts


def maintain(*, worker: str | None = None) -> None:
    """Recover lost jobs and purge old uploads; a database too busy now is tried next time."""
    try:
        jobs_recover(worker=worker)
        uploads_purge()
    except DatabaseError as error:
        logger.warning("lost jobs and old uploads not looked for this time: %s", error)
