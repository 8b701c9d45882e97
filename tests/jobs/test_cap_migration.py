"""Problems stored before the cap are capped in the database, their count kept."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from goldenthread.jobs import registry
from goldenthread.jobs.findings import PROBLEM_LIMIT
from goldenthread.jobs.models import Job
from goldenthread.jobs.services import job_create
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("goldenthread.jobs.migrations.0003_cap_stored_problems")


@registry.register("tests.stored_before")
def _stored_before(progress):
    pass


def test_problems_stored_before_the_cap_are_capped_and_counted() -> None:
    assert migration.LIMIT == PROBLEM_LIMIT
    organisation = OrganisationFactory()
    huge = job_create(organisation=organisation, kind="tests.stored_before", title="h", by=None)
    small = job_create(organisation=organisation, kind="tests.stored_before", title="s", by=None)
    Job.objects.filter(pk=huge.pk).update(
        problems=[{"row": row, "message": "bad"} for row in range(PROBLEM_LIMIT * 3 + 7)]
    )
    Job.objects.filter(pk=small.pk).update(problems=[{"row": 1, "message": "bad"}])
    migration.cap_problems(None, SimpleNamespace(connection=connection))
    huge.refresh_from_db()
    assert huge.problem_count == PROBLEM_LIMIT * 3 + 7
    assert [entry["row"] for entry in huge.problems] == list(range(PROBLEM_LIMIT))
    small.refresh_from_db()
    assert (small.problem_count, small.problems) == (1, [{"row": 1, "message": "bad"}])
