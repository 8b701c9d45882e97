"""Pages that list jobs never load what a file can make huge: problems, parameters, inputs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.jobs import registry
from goldenthread.jobs.models import Job
from goldenthread.jobs.services import job_create
from goldenthread.kit.importing import import_run_create
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import select

pytestmark = pytest.mark.django_db

#: Columns whose size an uploaded file chooses.
UNBOUNDED = ('"problems"', '"parameters"', '"problem_kinds"', '"data"')


@registry.register("tests.nothing")
def _nothing(progress):
    pass


def _huge_job(organisation) -> Job:
    job = job_create(organisation=organisation, kind="tests.nothing", title="Zip bomb", by=None)
    entry = {"file": "bomb.xlsx", "row": 1, "column": "A", "value": "x" * 900, "message": "bad"}
    problems = [entry] * 50_000  # about 50 MB of JSON, written as a bad version would have
    Job.objects.filter(pk=job.pk).update(problems=problems, parameters={"blob": "y" * 1_000_000})
    return job


def _job_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if '"jobs_job"' in query["sql"]]


@pytest.mark.parametrize(
    "page", ["jobs:job_list", "core:home", "jobs:job_progress"], ids=["jobs", "dashboard", "panel"]
)
def test_a_job_with_fifty_megabytes_of_problems_is_not_loaded_by_lists(client, page) -> None:
    organisation = OrganisationFactory()
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    job = _huge_job(organisation)
    kwargs = {"org_slug": organisation.slug}
    if page == "jobs:job_progress":
        kwargs["job_id"] = job.pk
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(page, kwargs=kwargs))
    assert response.status_code == 200
    sql = _job_queries(captured.captured_queries)
    assert sql, "the page reads no job: the test is not looking at the right page"
    for query in sql:
        selected = query.split(" FROM ")[0]
        assert not [column for column in UNBOUNDED if column in selected], query[:500]
    if page == "jobs:job_list":
        assert select(response, "main table tbody tr a") == ["Zip bomb"]


def test_an_import_page_does_not_load_its_jobs_problems(client) -> None:
    organisation = OrganisationFactory()
    editor = member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    run = import_run_create(
        organisation=organisation, importer="units", filename="u.csv", data=b"x" * 1000, by=editor
    )
    Job.objects.filter(pk=run.check_job_id).update(problems=[{"message": "x" * 1000}] * 5000)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(
            reverse("kit:import_run", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
        )
    assert response.status_code == 200
    sql = [query["sql"] for query in captured.captured_queries if '"kit_importrun"' in query["sql"]]
    assert sql
    for query in sql:
        selected = query.split(" FROM ")[0]
        assert '"jobs_job"."problems"' not in selected and '"kit_importrun"."data"' not in selected
