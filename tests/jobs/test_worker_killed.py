"""A real worker killed in the middle of saving an import, on PostgreSQL.

The worker runs in its own process against the test database (so the test is
transactional: the worker sees only committed rows). It is killed with
SIGKILL once the save job reports progress in its saving stage; afterwards
nothing of the import is in the database, the job and the import say the
worker stopped, and a new worker runs the next job.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from goldenthread.accounts.models import Role
from goldenthread.core.models import Unit
from goldenthread.jobs.models import Job, JobStatus
from goldenthread.jobs.recovery import jobs_recover
from goldenthread.kit import importing
from goldenthread.kit.models import ImportRun, ImportStatus
from tests.factories import OrganisationFactory, member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

#: Units in the file: enough for the save to take a few seconds.
UNITS = 4000
#: Longest wait for the worker to reach a stage, in seconds (a generous bound, not a target).
PATIENCE = 180


def _units_csv(count: int, prefix: str) -> bytes:
    lines = ["code,name,kind"] + [f"{prefix}{n},Unit {n},team" for n in range(count)]
    return ("\n".join(lines) + "\n").encode()


def _worker(worker_id: str, var_dir: Path) -> subprocess.Popen[bytes]:
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "goldenthread.web.settings.local",
        "GOLDENTHREAD_DB_NAME": str(database["NAME"]),
        "GOLDENTHREAD_DB_USER": str(database["USER"]),
        "GOLDENTHREAD_DB_PASSWORD": str(database["PASSWORD"] or ""),
        "GOLDENTHREAD_DB_HOST": str(database["HOST"]),
        "GOLDENTHREAD_DB_PORT": str(database["PORT"]),
        "GOLDENTHREAD_VAR_DIR": str(var_dir),
        "GOLDENTHREAD_JOB_HEARTBEAT_SECONDS": "1",
    }
    command = [sys.executable, "-m", "goldenthread.cli", "manage", "worker"]
    options = ["--interval", "0.1", "--no-startup-delay", "--worker-id", worker_id]
    return subprocess.Popen([*command, *options], env=env)


def _until(condition, what: str, worker: subprocess.Popen[bytes]):
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        assert worker.poll() is None, f"the worker stopped before {what}"
        time.sleep(0.02)
    raise AssertionError(f"waited {PATIENCE} s for {what}")


def _create_run(organisation, editor, prefix: str, count: int) -> ImportRun:
    return importing.import_run_create(
        organisation=organisation,
        importer="units",
        filename=f"{prefix}.csv",
        data=_units_csv(count, prefix),
        by=editor,
    )


def _status(run: ImportRun) -> str:
    return ImportRun.objects.values_list("status", flat=True).get(pk=run.pk)


def test_a_worker_killed_mid_save_leaves_nothing_and_the_job_failed_with_a_message(
    settings, tmp_path
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    organisation = OrganisationFactory()
    editor = member(organisation, Role.EDITOR, username="ed")
    worker = _worker("first-worker", tmp_path)
    try:
        run = _create_run(organisation, editor, "BIG", UNITS)
        _until(lambda: _status(run) == ImportStatus.READY, "the check", worker)
        run = importing.import_run_confirm(run=ImportRun.objects.get(pk=run.pk), by=editor)

        def saving() -> bool:
            job = Job.objects.only("stage", "done").get(pk=run.save_job_id)
            return job.stage == "Saving" and job.done > 0

        _until(saving, "progress in the saving stage", worker)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    assert Job.objects.get(pk=run.save_job_id).status == JobStatus.RUNNING  # as the worker left it
    recovered = jobs_recover(worker="first-worker")
    assert [job.pk for job in recovered] == [run.save_job_id]

    assert not Unit.objects.filter(organisation=organisation).exists()
    job = Job.objects.get(pk=run.save_job_id)
    assert job.status == JobStatus.FAILED
    assert job.summary.startswith("The worker running this job stopped at ")
    assert job.summary.endswith("before it finished. Nothing was saved. Start it again.")
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert run.summary == job.summary
    [result] = DBTaskResult.objects.filter(args_kwargs__args=[job.pk])
    assert result.status == "FAILED"

    # A new worker runs the next job.
    worker = _worker("second-worker", tmp_path)
    try:
        small = _create_run(organisation, editor, "NEXT", 3)
        _until(lambda: _status(small) == ImportStatus.READY, "the next check", worker)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert Job.objects.get(pk=ImportRun.objects.get(pk=small.pk).check_job_id).status == (
        JobStatus.SUCCEEDED
    )
