from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.jobs.services import job_create
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member

pytestmark = pytest.mark.django_db


def add_activity(organisation, count: int, start: int) -> None:
    """Members, units and jobs: each one also adds rows to the audit history."""
    for n in range(start, start + count):
        member(organisation, Role.VIEWER, username=f"reader{n}")
        UnitFactory(organisation=organisation)
        job_create(
            organisation=organisation,
            kind="kit.import_check",
            title=f"Import {n}",
            by=None,
        )


@pytest.mark.parametrize("name", ["audit:change_list", "jobs:job_list", "core:home"])
def test_list_pages_run_the_same_queries_whatever_their_rows(client, name) -> None:
    organisation = OrganisationFactory(slug="busy")
    member(organisation, Role.ADMIN, username="boss")
    client.login(username="boss", password=PASSWORD)
    url = reverse(name, kwargs={"org_slug": "busy"})
    counts = []
    for start in (0, 3):
        add_activity(organisation, 3 if start == 0 else 15, start)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], (
        f"{name}: {counts[0]} queries with a few rows, {counts[1]} with more"
    )
