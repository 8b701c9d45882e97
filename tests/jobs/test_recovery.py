"""Jobs lost with their worker are marked failed with a message; their imports say so too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from goldenthread.accounts.models import Role
from goldenthread.core.models import Unit
from goldenthread.jobs import registry
from goldenthread.jobs.findings import PROBLEM_LIMIT
from goldenthread.jobs.heartbeat import Heartbeat
from goldenthread.jobs.models import Job, JobStatus
from goldenthread.jobs.recovery import LOST, RUN_JOB_TASK, jobs_recover
from goldenthread.jobs.services import job_create, job_run
from goldenthread.kit import importing
from goldenthread.kit.models import ImportRun, ImportStatus
from tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db

UNITS = b"code,name,kind\nPEO,People,directorate\nPLA,Place,directorate\n"
STALE = dt.timedelta(seconds=121)


@registry.register("tests.many_problems")
def _many_problems(progress):
    for row in range(PROBLEM_LIMIT * 20):
        progress.problem(message=f"row {row} is wrong", row=row)


@registry.register("tests.plain_list")
def _plain_list(progress):
    progress.problems = [{"message": "wrong", "row": row} for row in range(PROBLEM_LIMIT * 5)]


def _running(organisation, *, kind="tests.many_problems", since: dt.datetime) -> Job:
    job = job_create(organisation=organisation, kind=kind, title="Lost", by=None)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=since, heartbeat_at=since
    )
    return job


def _task_result(job: Job, *, worker: str = "w1", started: dt.datetime) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [job.pk], "kwargs": {}},
        task_path=RUN_JOB_TASK,
        backend_name="default",
        run_after=started,
        started_at=started,
        worker_ids=[worker],
    )


def test_a_job_whose_heartbeat_stopped_is_failed_with_a_message() -> None:
    organisation = OrganisationFactory()
    now = timezone.now()
    stopped = now - STALE
    lost = _running(organisation, since=stopped)
    alive = _running(organisation, since=now - dt.timedelta(seconds=5))
    result = _task_result(lost, started=stopped)
    recovered = jobs_recover(now=now)
    assert [job.pk for job in recovered] == [lost.pk]
    lost.refresh_from_db()
    assert lost.status == JobStatus.FAILED
    assert lost.summary == LOST.format(time=timezone.localtime(stopped).strftime("%H:%M"))
    assert lost.summary.startswith("The worker running this job stopped at ")
    assert lost.finished_at is not None
    alive.refresh_from_db()
    assert alive.status == JobStatus.RUNNING
    result.refresh_from_db()
    assert result.status == "FAILED"
    assert result.exception_class_path == "goldenthread.jobs.recovery.WorkerLost"
    assert jobs_recover(now=now) == []  # nothing twice


def test_the_jobs_of_a_worker_known_to_have_stopped_are_failed_at_once() -> None:
    organisation = OrganisationFactory()
    now = timezone.now()
    theirs = _running(organisation, since=now)
    other = _running(organisation, since=now)
    _task_result(theirs, worker="dead", started=now)
    _task_result(other, worker="alive", started=now)
    recovered = jobs_recover(now=now, worker="dead")
    assert [job.pk for job in recovered] == [theirs.pk]
    assert Job.objects.get(pk=other.pk).status == JobStatus.RUNNING


def test_the_command_recovers_lost_jobs(capsys) -> None:
    lost = _running(OrganisationFactory(), since=timezone.now() - dt.timedelta(hours=1))
    call_command("recover_jobs")
    assert Job.objects.get(pk=lost.pk).status == JobStatus.FAILED
    assert "1 lost job found." in capsys.readouterr().out


def test_an_import_being_saved_fails_with_the_job(django_capture_on_commit_callbacks) -> None:
    organisation = OrganisationFactory()
    editor = member(organisation, Role.EDITOR, username="ed")
    with django_capture_on_commit_callbacks(execute=True):
        run = importing.import_run_create(
            organisation=organisation, importer="units", filename="u.csv", data=UNITS, by=editor
        )
    run = ImportRun.objects.get(pk=run.pk)
    assert run.status == ImportStatus.READY
    run = importing.import_run_confirm(run=run, by=editor)  # queued, not run: the worker "died"
    since = timezone.now() - STALE
    Job.objects.filter(pk=run.save_job_id).update(
        status=JobStatus.RUNNING, started_at=since, heartbeat_at=since
    )
    [job] = jobs_recover()
    assert job.status == JobStatus.FAILED
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert run.summary == job.summary
    assert run.summary.startswith("The worker running this job stopped at ")
    assert not Unit.objects.filter(organisation=organisation).exists()


def test_a_save_committed_before_the_worker_stopped_is_reported_as_saved(
    django_capture_on_commit_callbacks,
) -> None:
    """Killed after the commit, before the job's own last write: the job says what was saved."""
    organisation = OrganisationFactory()
    editor = member(organisation, Role.EDITOR, username="ed")
    with django_capture_on_commit_callbacks(execute=True):
        run = importing.import_run_create(
            organisation=organisation, importer="units", filename="u.csv", data=UNITS, by=editor
        )
    with django_capture_on_commit_callbacks(execute=True):
        run = importing.import_run_confirm(run=ImportRun.objects.get(pk=run.pk), by=editor)
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
    since = timezone.now() - STALE
    Job.objects.filter(pk=run.save_job_id).update(
        status=JobStatus.RUNNING, heartbeat_at=since, finished_at=None, summary=""
    )
    [job] = jobs_recover()
    assert job.status == JobStatus.SUCCEEDED
    assert job.summary == run.summary
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED


def test_a_job_with_a_fresh_heartbeat_is_not_taken_for_lost() -> None:
    organisation = OrganisationFactory()
    job = _running(organisation, since=timezone.now() - STALE)
    heartbeat = Heartbeat(job.pk, lambda: {"stage": "Saving", "done": 7, "total": 9})
    heartbeat.beat()
    job.refresh_from_db()
    assert (job.stage, job.done, job.total) == ("Saving", 7, 9)
    assert job.heartbeat_at > timezone.now() - dt.timedelta(seconds=5)
    assert jobs_recover() == []


def test_a_handler_with_a_million_problems_leaves_a_row_of_bounded_size() -> None:
    organisation = OrganisationFactory()
    for kind, total in (("tests.many_problems", 20), ("tests.plain_list", 5)):
        job = job_create(organisation=organisation, kind=kind, title="Problems", by=None)
        job = job_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED
        assert len(job.problems) == PROBLEM_LIMIT
        assert job.problem_count == PROBLEM_LIMIT * total
        assert job.heartbeat_at is not None
