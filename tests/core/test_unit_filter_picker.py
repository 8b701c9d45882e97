"""With more units than a select should hold, the "Inside" filter is a search box.

The register's page stays the same size however many units there are: the
filter searches the unit picker instead of listing every unit, and a name or
path typed without JavaScript still filters.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.core.models import Unit, UnitKind
from goldenthread.kit.pickers import SMALL_SET
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import parse, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Tower Hamlets Council", slug="tower-hamlets")


@pytest.fixture
def viewer(client, organisation):
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    return client


def _units(organisation, count: int) -> Unit:
    top = Unit.objects.create(
        organisation=organisation, code="PEO", name="People", kind=UnitKind.DIRECTORATE
    )
    Unit.objects.bulk_create(
        Unit(organisation=organisation, code=f"T{n:04d}", name=f"Team {n:04d}", parent=top)
        for n in range(count)
    )
    Unit.objects.create(organisation=organisation, code="AUD", name="Audit")
    return top


def _url(organisation) -> str:
    return reverse("core:unit_list", kwargs={"org_slug": organisation.slug})


def test_a_few_units_are_a_select(viewer, organisation) -> None:
    _units(organisation, 5)
    document = parse(viewer.get(_url(organisation)).content)
    assert document.select("select#filter-inside")


def test_many_units_are_a_search_box_on_the_unit_picker(viewer, organisation) -> None:
    top = _units(organisation, SMALL_SET + 10)
    response = viewer.get(_url(organisation), {"inside": top.pk})
    document = parse(response.content)
    assert not document.select("select#filter-inside")
    box = document.select_one("input#filter-inside")
    assert box is not None
    assert box["data-gt-autocomplete-url"] == reverse(
        "pickers:search", kwargs={"org_slug": organisation.slug, "source": "units"}
    )
    assert box["value"] == str(top.pk)
    assert box["data-gt-autocomplete-label"] == "People"
    assert "Audit" not in texts(response, "table tbody tr a")
    assert "Team 0001" in texts(response, "table tbody tr a")


def test_a_name_typed_without_javascript_filters(viewer, organisation) -> None:
    _units(organisation, SMALL_SET + 10)
    response = viewer.get(_url(organisation), {"inside": "audit"})
    assert texts(response, "table tbody tr a") == ["Audit"]
