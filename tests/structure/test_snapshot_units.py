"""A snapshot's dashboard and unit pages list only the units that hold its posts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.core import services as core_services
from goldenthread.core.models import Unit
from goldenthread.structure import selectors
from tests.factories import member, snapshot_of
from tests.html import texts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_figures() -> None:
    selectors._figures.clear()
    selectors._choices.clear()


@pytest.fixture
def viewer(client, organisation):
    client.force_login(member(organisation, Role.VIEWER))
    return client


@pytest.fixture
def snapshots(organisation):
    """This year's structure (People and Place) and last year's (Finance and Place)."""
    this_year = snapshot_of(
        organisation,
        [
            ("CX", None, "Chief Executive", ""),
            ("D1", "CX", "Director of People", "People"),
            ("H1", "D1", "Head of Care", "People / Care"),
            ("D2", "CX", "Director of Place", "Place"),
            ("T1", "D2", "Team Leader", "Place / Housing / Repairs"),
        ],
        name="This year",
    )
    last_year = snapshot_of(
        organisation,
        [
            ("CX", None, "Chief Executive", ""),
            ("D3", "CX", "Director of Finance", "Finance"),
            ("D2", "CX", "Director of Place", "Place / Highways"),
        ],
        name="Last year",
    )
    # A unit added by hand that no structure uses yet.
    core_services.unit_create(organisation=organisation, code="NEW", name="Net Zero")
    return this_year, last_year


def _url(name: str, organisation, **kwargs) -> str:
    return reverse(f"structure:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def test_the_dashboard_lists_only_the_top_units_holding_the_snapshots_posts(
    viewer, organisation, snapshots, django_assert_num_queries
) -> None:
    this_year, last_year = snapshots
    url = _url("snapshot_detail", organisation, snapshot_id=this_year.pk)
    viewer.get(url)  # the figures are kept for the snapshot's version
    # session, user, membership, snapshot, design rules, the exceptions' posts,
    # the units holding posts, every unit's place in the tree, whether there
    # are other snapshots, the comparison's choices (count, rows), the shell's
    # organisations
    with django_assert_num_queries(16):
        response = viewer.get(url)
    assert texts(response, ".gt-snapshot-units li") == ["People", "Place"]
    response = viewer.get(_url("snapshot_detail", organisation, snapshot_id=last_year.pk))
    assert texts(response, ".gt-snapshot-units li") == ["Finance", "Place"]


def test_a_unit_page_lists_only_the_units_inside_that_hold_the_snapshots_posts(
    viewer, organisation, snapshots
) -> None:
    this_year, last_year = snapshots
    place = Unit.objects.get(organisation=organisation, name="Place", parent=None)
    # Housing holds posts only through Repairs, inside it; Highways only last year.
    response = viewer.get(
        _url("snapshot_unit", organisation, snapshot_id=this_year.pk, unit_id=place.pk)
    )
    assert texts(response, ".gt-units-inside li") == ["Housing"]
    response = viewer.get(
        _url("snapshot_unit", organisation, snapshot_id=last_year.pk, unit_id=place.pk)
    )
    assert texts(response, ".gt-units-inside li") == ["Highways"]
