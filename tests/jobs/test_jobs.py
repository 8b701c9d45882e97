from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.core.models import Unit
from goldenthread.jobs import registry, views
from goldenthread.jobs.models import Job, JobStatus
from goldenthread.jobs.services import UNEXPECTED_FAILURE, job_create, job_run
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import attribute, select

pytestmark = pytest.mark.django_db


@registry.register("tests.explode")
def _explode(progress):
    Unit.objects.create(organisation=progress.organisation, code="HALF", name="Half-saved")
    raise RuntimeError("boom")


#: Queries of the job list page, whatever the number of jobs.
JOB_LIST_QUERIES = 5


@registry.register("tests.count")
def _count(progress):
    progress.stage("Counting", total=3)
    for n in range(1, 4):
        progress.advance(n)
    progress.job.summary = "Counted to 3."


def test_an_unexpected_error_fails_the_job_and_says_so(db) -> None:
    organisation = OrganisationFactory()
    job = job_create(organisation=organisation, kind="tests.explode", title="t", by=None)
    job = job_run(job_id=job.pk)
    assert job.status == JobStatus.FAILED
    assert job.summary == UNEXPECTED_FAILURE.format(pk=job.pk)
    assert job.finished_at is not None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED  # recorded, not only returned


def test_an_unknown_kind_is_refused_before_queueing(db) -> None:
    with pytest.raises(KeyError):
        job_create(organisation=OrganisationFactory(), kind="nope", title="t", by=None)
    assert not Job.objects.exists()


def test_the_progress_panel_polls_until_the_job_ends(client) -> None:
    organisation = OrganisationFactory()
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    job = job_create(organisation=organisation, kind="tests.count", title="Count", by=None)
    progress_url = reverse(
        "jobs:job_progress", kwargs={"org_slug": organisation.slug, "job_id": job.pk}
    )
    panel = client.get(progress_url)
    assert attribute(panel, "#job-progress", "hx-get") == [progress_url]
    assert select(panel, "[role=status]") == ["Waiting to start"]
    job_run(job_id=job.pk)
    response = client.get(progress_url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    assert attribute(response, "#job-progress", "hx-get") == []
    assert select(response, "[role=status]") == ["Finished"]
    page = client.get(
        reverse("jobs:job_detail", kwargs={"org_slug": organisation.slug, "job_id": job.pk})
    )
    assert select(page, ".govuk-panel__body") == ["Counted to 3."]


@pytest.mark.parametrize("name", ["jobs:job_detail", "jobs:job_progress"])
def test_an_unknown_job_is_not_found(client, name) -> None:
    organisation = OrganisationFactory()
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    elsewhere = job_create(
        organisation=OrganisationFactory(), kind="tests.count", title="Theirs", by=None
    )
    for job_id in (elsewhere.pk + 1000, elsewhere.pk):  # none at all; another organisation's
        response = client.get(
            reverse(name, kwargs={"org_slug": organisation.slug, "job_id": job_id})
        )
        assert response.status_code == 404
        assert "Theirs" not in response.content.decode()
    assert views.NO_SUCH_JOB == "No such job in this organisation"


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_job(settings) -> None:
    """The real worker (django-tasks-db's db_worker) takes the job from the database.

    The worker closes its database connection as it finishes, as a worker
    process should, so the test runs outside a wrapping transaction.
    """
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    organisation = OrganisationFactory()
    job = job_create(organisation=organisation, kind="tests.count", title="Count", by=None)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED  # queued in the database, not run yet
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.summary == "Counted to 3."


@pytest.mark.parametrize("extra", [0, 24])
def test_the_job_list_runs_a_fixed_number_of_queries(
    client, extra, django_assert_num_queries
) -> None:
    """Session, user, membership, the jobs with who started them: the same for 1 job or 25."""
    organisation = OrganisationFactory()
    starter = member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    for n in range(extra + 1):
        job_create(organisation=organisation, kind="tests.count", title=f"Count {n}", by=starter)
    with django_assert_num_queries(JOB_LIST_QUERIES):
        page = client.get(reverse("jobs:job_list", kwargs={"org_slug": organisation.slug}))
    assert len(select(page, "main table tbody tr")) == extra + 1


@pytest.mark.parametrize(("role", "offered"), [(Role.VIEWER, False), (Role.EDITOR, True)])
def test_a_job_offers_its_result_only_to_a_role_that_can_open_it(client, role, offered) -> None:
    organisation = OrganisationFactory()
    member(organisation, role, username="someone")
    client.login(username="someone", password=PASSWORD)
    # An import's page is for editors: a viewer following the link would be refused.
    result = reverse("kit:import_run", kwargs={"org_slug": organisation.slug, "run_id": 1})
    job = job_create(
        organisation=organisation, kind="tests.count", title="Count", by=None, result_url=result
    )
    job_run(job_id=job.pk)
    page = client.get(
        reverse("jobs:job_detail", kwargs={"org_slug": organisation.slug, "job_id": job.pk})
    )
    assert (result in attribute(page, "main a", "href")) is offered
