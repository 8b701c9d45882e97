"""Uploaded files are deleted once the work on them has ended and the retention period passed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.jobs import registry
from goldenthread.jobs.models import Job, JobInput
from goldenthread.jobs.recovery import uploads_purge
from goldenthread.jobs.services import job_create, job_run
from goldenthread.kit import importing
from goldenthread.kit.models import ImportRun, ImportStatus
from goldenthread.structure import services as structure_services
from goldenthread.structure.models import StructureUpload
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import select, texts

pytestmark = pytest.mark.django_db

BAD = b"code,name,kind\n,People,directorate\n"
GOOD = b"code,name,kind\nPEO,People,directorate\n"
HOUR = dt.timedelta(hours=1)


@registry.register("tests.reads_input")
def _reads_input(progress):
    progress.input_bytes()


def _checked(organisation, editor, data: bytes, capture) -> ImportRun:
    with capture(execute=True):
        run = importing.import_run_create(
            organisation=organisation, importer="units", filename="u.csv", data=data, by=editor
        )
    return ImportRun.objects.get(pk=run.pk)


def test_a_jobs_input_is_deleted_after_the_retention_period(settings) -> None:
    organisation = OrganisationFactory()
    job = job_create(
        organisation=organisation,
        kind="tests.reads_input",
        title="Read",
        filename="f.csv",
        data=b"x" * 1000,
        by=None,
    )
    job = job_run(job_id=job.pk)
    assert job.finished_at is not None
    assert uploads_purge(now=job.finished_at + 23 * HOUR)["jobs"] == 0
    assert JobInput.objects.filter(job=job).exists()
    assert uploads_purge(now=job.finished_at + 25 * HOUR)["jobs"] == 1
    assert not JobInput.objects.filter(job=job).exists()
    assert Job.objects.filter(pk=job.pk).exists()  # the job itself stays


def test_a_retention_of_zero_deletes_at_once(settings) -> None:
    settings.GOLDENTHREAD_UPLOAD_RETENTION_HOURS = 0
    job = job_create(
        organisation=OrganisationFactory(), kind="tests.reads_input", title="Read",
        filename="f.csv", data=b"x", by=None,
    )  # fmt: skip
    assert uploads_purge()["jobs"] == 0  # still queued: its input is needed
    job_run(job_id=job.pk)
    assert uploads_purge()["jobs"] == 1


def test_a_failed_imports_file_is_deleted_but_its_page_still_shows_what_was_found(
    client, django_capture_on_commit_callbacks
) -> None:
    organisation = OrganisationFactory()
    editor = member(organisation, Role.EDITOR, username="ed")
    run = _checked(organisation, editor, BAD, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.FAILED and bytes(run.data) == BAD
    uploads_purge(now=run.finished_at + 23 * HOUR)
    run.refresh_from_db()
    assert bytes(run.data) == BAD and run.purged_at is None
    later = run.finished_at + 25 * HOUR
    assert uploads_purge(now=later)["imports"] == 1
    run.refresh_from_db()
    assert bytes(run.data) == b"" and run.purged_at == later

    client.login(username="ed", password=PASSWORD)
    page = client.get(
        reverse("kit:import_run", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
    )
    assert texts(page, ".gt-import-file-gone") == [
        "The uploaded file is no longer kept: files are deleted 24 hours after their import "
        "ends. What its check found is still shown here."
    ]
    assert select(page, ".govuk-error-summary__body") == [run.summary]
    assert len(select(page, ".gt-import-findings tbody tr")) == 1
    with pytest.raises(ServiceError) as refused:
        importing.import_run_repair(run=run, by=editor)
    assert refused.value.message == importing.FILE_GONE


def test_an_import_checked_and_left_is_discarded_after_the_retention_period(
    django_capture_on_commit_callbacks,
) -> None:
    organisation = OrganisationFactory()
    editor = member(organisation, Role.EDITOR, username="ed")
    run = _checked(organisation, editor, GOOD, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.READY
    checked = Job.objects.get(pk=run.check_job_id).finished_at
    uploads_purge(now=checked + 23 * HOUR)
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.READY
    uploads_purge(now=checked + 25 * HOUR)
    run.refresh_from_db()
    assert run.status == ImportStatus.DISCARDED
    assert run.summary == importing.ABANDONED.format(file="u.csv", hours="24 hours")
    assert bytes(run.data) == b"" and run.purged_at is not None


def test_a_structure_uploads_file_goes_with_its_imports(capsys) -> None:
    organisation = OrganisationFactory()
    editor = member(organisation, Role.EDITOR, username="ed")

    def upload() -> StructureUpload:
        return structure_services.upload_create(
            organisation=organisation,
            filename="posts.csv",
            data=b"post_id,reports_to\nA,\n",
            fmt="table",
            lenient=False,
            snapshot_fields={},
            junior_filename="juniors.csv",
            junior_data=b"x",
            by=editor,
        )

    imported, never_mapped = upload(), upload()
    run = importing.import_run_create(
        organisation=organisation,
        importer="structure",
        filename="posts.csv",
        options={"upload_id": imported.pk},
        reference=f"upload:{imported.pk}",
        by=editor,
    )  # its check never runs here
    importing.import_run_discard(run=run, by=editor)
    now = timezone.now()
    assert uploads_purge(now=now)["structure uploads"] == 0  # within the retention period
    counts = uploads_purge(now=now + 25 * HOUR)
    assert counts["structure uploads"] == 2
    for record in (imported, never_mapped):
        record = StructureUpload.objects.get(pk=record.pk)
        assert bytes(record.data) == b"" and record.junior_data is None
    call_command("purge_uploads")
    assert "structure uploads: 0 deleted" in capsys.readouterr().out
