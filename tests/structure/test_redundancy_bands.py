"""The redundancy estimate costs removed posts by grade band or at the flat amount, and says so."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.formats.posts import PostTable, build_structure
from goldenthread.structure import services
from goldenthread.structure.models import Snapshot
from tests.factories import member
from tests.html import texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(organisation) -> tuple[Snapshot, Snapshot]:
    table = PostTable.from_lists(
        ["CX", "H1", "O1", "O2", "O3"],
        [None, "CX", "H1", "H1", "H1"],
        title=["Chief", "Head", "Officer", "Officer", "Officer"],
        grade=["CEX", "SM2", "PO1", "PO1", "SO2"],
        cost=[150_000, 72_000, 41_000, 41_000, 33_000],
    )
    as_is = services.snapshot_create_from_structure(
        organisation=organisation, structure=build_structure(table).structure, name="As-is"
    )
    scenario = services.scenario_create(snapshot=as_is, name="Option A")
    services.scenario_bulk_change(
        snapshot=scenario,
        post_ids=["O1", "O2", "O3"],
        action="delete",
        reason="The team is outsourced",
        effective_date=datetime.date(2025, 4, 1),
    )
    return as_is, scenario


def _estimate(client, organisation, old: Snapshot, new: Snapshot) -> str:
    url = reverse("structure:compare", kwargs={"org_slug": organisation.slug})
    page = client.get(url, {"old": old.pk, "new": new.pk})
    return " ".join(texts(page, ".gt-redundancy dd"))


def test_without_bands_the_flat_amount_is_used_and_named(editor, organisation, pair) -> None:
    assert _estimate(editor, organisation, *pair) == (
        "3 filled posts removed × £30,000, the flat cost per redundancy (the organisation "
        "has no grade bands) = £90,000"
    )


def test_with_bands_each_grade_is_costed_at_its_band_and_the_rest_at_the_flat_amount(
    editor, organisation, pair
) -> None:
    services.redundancy_band_create(
        organisation=organisation, grade="po1", cost=Decimal("18500"), by=None
    )
    text = _estimate(editor, organisation, *pair)
    assert text == (
        "3 filled posts removed, costed by grade band = £67,000 "
        "po1: 2 × £18,500 (grade band) = £37,000 "
        "SO2: 1 × £30,000 (no band for this grade: the flat cost per redundancy) = £30,000 "
        "1 post with no band for its grade is costed at the flat £30,000."
    )
    # The scenario's page says the same.
    scenario = pair[1]
    url = reverse(
        "structure:scenario_detail",
        kwargs={"org_slug": organisation.slug, "snapshot_id": scenario.pk},
    )
    assert " ".join(texts(editor.get(url), ".gt-redundancy dd")) == text


def test_only_an_admin_sets_bands_and_a_grade_has_one_band(organisation) -> None:
    editor = member(organisation, Role.EDITOR, username="e1")
    with pytest.raises(ServiceError, match="admin"):
        services.redundancy_band_create(
            organisation=organisation, grade="PO1", cost=Decimal(1), by=editor
        )
    services.redundancy_band_create(
        organisation=organisation, grade="PO1", cost=Decimal(1), by=None
    )
    with pytest.raises(ServiceError) as taken:
        services.redundancy_band_create(
            organisation=organisation, grade=" po1 ", cost=Decimal(2), by=None
        )
    assert taken.value.message == services.GRADE_TAKEN.format(grade="po1")
    with pytest.raises(ServiceError, match="negative"):
        services.redundancy_band_create(
            organisation=organisation, grade="SO2", cost=Decimal(-1), by=None
        )
