"""A second submit of an import's save, repair or discard is refused: one job is ever queued."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.jobs.models import Job
from goldenthread.kit import importing
from goldenthread.kit.models import ImportRun, ImportStatus
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import select

UNITS = b"code,name,kind\nPEO,People,directorate\nPLA,Place,directorate\n"
BAD = b"code,name,kind\n,People,directorate\n"


def _run(capture, data: bytes = UNITS):
    organisation = OrganisationFactory()
    editor = member(organisation, Role.EDITOR, username="ed")
    with capture(execute=True):
        run = importing.import_run_create(
            organisation=organisation, importer="units", filename="u.csv", data=data, by=editor
        )
    return organisation, editor, ImportRun.objects.get(pk=run.pk)


@pytest.mark.django_db
def test_two_confirms_of_the_same_page_queue_one_save(django_capture_on_commit_callbacks) -> None:
    _organisation, editor, stale = _run(django_capture_on_commit_callbacks)
    assert stale.status == ImportStatus.READY
    second = ImportRun.objects.get(pk=stale.pk)  # both read while it was ready
    importing.import_run_confirm(run=stale, by=editor)
    with pytest.raises(ServiceError) as refused:
        importing.import_run_confirm(run=second, by=editor)
    assert refused.value.message == importing.ALREADY_SAVING
    assert Job.objects.filter(kind=importing.SAVE_KIND).count() == 1


@pytest.mark.django_db
def test_two_repairs_queue_one_check_and_two_discards_one_discard(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:
    _organisation, editor, stale = _run(django_capture_on_commit_callbacks, BAD)
    assert stale.status == ImportStatus.FAILED
    importer = importing.importer_get("units")
    monkeypatch.setattr(importer, "repairable", lambda run: True, raising=False)
    monkeypatch.setattr(importer, "repair_options", lambda run: {"repair": True}, raising=False)
    second = ImportRun.objects.get(pk=stale.pk)
    checks = Job.objects.filter(kind=importing.CHECK_KIND).count()
    importing.import_run_repair(run=stale, by=editor)
    with pytest.raises(ServiceError) as refused:
        importing.import_run_repair(run=second, by=editor)
    assert refused.value.message == importing.ALREADY_CHECKING
    assert Job.objects.filter(kind=importing.CHECK_KIND).count() == checks + 1

    importing.import_run_discard(run=stale, by=editor)
    with pytest.raises(ServiceError) as refused:
        importing.import_run_discard(run=second, by=editor)
    assert refused.value.message == importing.ALREADY_DISCARDED


@pytest.mark.django_db
def test_a_second_submit_is_sent_to_the_run_and_told_it_is_being_saved(
    client, django_capture_on_commit_callbacks
) -> None:
    organisation, _editor, run = _run(django_capture_on_commit_callbacks)
    client.login(username="ed", password=PASSWORD)
    url = reverse("kit:import_confirm", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
    run_url = reverse("kit:import_run", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
    first = client.post(url)
    second = client.post(url)
    assert first["Location"] == second["Location"] == run_url
    page = client.get(run_url)
    assert importing.ALREADY_SAVING in " ".join(select(page, ".govuk-notification-banner"))
    assert Job.objects.filter(kind=importing.SAVE_KIND).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_confirming_at_once_queue_one_save(settings) -> None:
    """On PostgreSQL, two threads (two requests) confirm the same run at the same moment."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    organisation = OrganisationFactory()
    editor = member(organisation, Role.EDITOR, username="ed")
    run = importing.import_run_create(
        organisation=organisation, importer="units", filename="u.csv", data=UNITS, by=editor
    )
    # The check, as the worker would run it.
    from goldenthread.jobs.services import job_run

    job_run(job_id=ImportRun.objects.get(pk=run.pk).check_job_id)
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.READY
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def confirm() -> None:
        stale = ImportRun.objects.get(pk=run.pk)
        barrier.wait()
        try:
            importing.import_run_confirm(run=stale, by=editor)
            outcomes.append("queued")
        except ServiceError as refused:
            outcomes.append(refused.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [importing.ALREADY_SAVING] * 3 + ["queued"]
    assert Job.objects.filter(kind=importing.SAVE_KIND).count() == 1
