from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.jobs.services import job_create
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(client):
    """An organisation with many members, units and jobs, and an admin signed in."""
    organisation = OrganisationFactory(slug="busy")
    member(organisation, Role.ADMIN, username="boss")
    for n in range(12):
        member(organisation, Role.VIEWER, username=f"reader{n}")
        UnitFactory(organisation=organisation)
        job_create(
            organisation=organisation,
            kind="core.units_import",
            title=f"Import {n}",
            created_by=None,
        )
    client.login(username="boss", password=PASSWORD)
    return organisation


@pytest.mark.parametrize("name", ["audit:change_list", "jobs:job_list", "core:home"])
def test_list_pages_run_a_fixed_number_of_queries(
    client, busy, name, django_assert_max_num_queries
) -> None:
    from goldenthread.audit.selectors import audited_models

    # Sessions, the guard, the navigation, and one query per audited model.
    with django_assert_max_num_queries(10 + len(audited_models())):
        response = client.get(reverse(name, kwargs={"org_slug": "busy"}))
    assert response.status_code == 200
