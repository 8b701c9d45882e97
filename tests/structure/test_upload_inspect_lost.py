"""An upload's inspection lost with its worker after its work committed says what it did.

The inspection's transaction keeps the layout and the columns and starts the
check; a worker that stopped after that commit, before the job's last
write, once left the job saying "Nothing was saved" though the upload had
moved on to its mapping or its check.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext

import pytest
from django.urls import reverse
from django.utils import timezone

from goldenthread.jobs.models import Job, JobStatus
from goldenthread.jobs.recovery import jobs_recover
from goldenthread.kit.models import ImportRun
from goldenthread.structure import inspect
from goldenthread.structure.models import StructureUpload
from tests.structure.conftest import upload

pytestmark = pytest.mark.django_db

POSTS = b"Post ref,Manager ref,Job title\nCX1,,Chief Executive\nDIR1,CX1,Director\n"
ORGANOGRAM = (
    b"Post Unique Reference,Name,Grade (or equivalent),Job Title,Parent Department,"
    b"Organisation,Unit,Reports to Senior Post\n"
    b"1,Jo Bloggs,SCS3,Permanent Secretary,Dept,Dept,Office,XX\n"
)


def _lose(job: Job) -> Job:
    """The job as a worker that stopped before the job's own last write left it."""
    since = timezone.now() - dt.timedelta(days=1)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, heartbeat_at=since, finished_at=None, summary="", result_url=""
    )
    [recovered] = [j for j in jobs_recover() if j.pk == job.pk]
    return Job.objects.get(pk=recovered.pk)


def test_a_table_waiting_on_its_mapping_is_reported_as_read(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    upload(editor, organisation, "posts.csv", POSTS, django_capture_on_commit_callbacks)
    pending = StructureUpload.objects.get()
    job = _lose(pending.inspect_job)
    assert job.status == JobStatus.SUCCEEDED
    assert job.summary == inspect.READ_TABLE.format(file="posts.csv", columns="3 columns")
    assert job.result_url == reverse(
        "structure:upload_mapping", kwargs={"org_slug": organisation.slug, "upload_id": pending.pk}
    )


def test_a_file_handed_to_its_check_is_reported_as_read(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    upload(editor, organisation, "senior.csv", ORGANOGRAM, django_capture_on_commit_callbacks)
    pending = StructureUpload.objects.get()
    run = ImportRun.objects.get()
    job = _lose(pending.inspect_job)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result_url == reverse(
        "kit:import_run", kwargs={"org_slug": organisation.slug, "run_id": run.pk}
    )


def test_an_inspection_that_committed_nothing_stays_failed(editor, organisation) -> None:
    # Queued and never run: nothing of the inspection was kept.
    upload(editor, organisation, "posts.csv", POSTS, lambda execute: nullcontext())
    pending = StructureUpload.objects.get()
    job = _lose(pending.inspect_job)
    assert job.status == JobStatus.FAILED
    assert job.summary.startswith("The worker running this job stopped at ")
