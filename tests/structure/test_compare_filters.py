"""The comparison page's unit filter: every table it narrows, and those it says it leaves whole."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.analysis.structure import Structure
from goldenthread.structure import presenters
from goldenthread.structure.services import snapshot_create_from_structure
from tests.factories import member, snapshot_of
from tests.html import select, texts

pytestmark = pytest.mark.django_db

BEFORE = [
    ("CX", None, "Chief Executive", ""),
    ("D1", "CX", "Director of People", "People"),
    ("H1", "D1", "Head of Care", "People / Care"),
    ("C1", "H1", "Care Officer", "People / Care"),
    ("D2", "CX", "Director of Place", "Place"),
    ("P1", "D2", "Housing Officer", "Place / Housing"),
]
AFTER = [
    ("CX", None, "Chief Executive", ""),
    ("D1", "CX", "Director of People", "People"),
    ("H1", "D1", "Head of Care and Support", "People / Care"),
    ("C1", "D1", "Care Officer", "People / Care"),
    ("D2", "CX", "Director of Place", "Place"),
    ("P1", "CX", "Senior Housing Officer", "Place / Housing"),
]


@pytest.fixture
def viewer(client, organisation):
    client.force_login(member(organisation, Role.VIEWER))
    return client


def _compare(client, organisation, **query):
    old = snapshot_of(organisation, BEFORE, name="Before")
    new = snapshot_of(organisation, AFTER, name="After")
    url = reverse("structure:compare", kwargs={"org_slug": organisation.slug})
    return client.get(url, {"old": old.pk, "new": new.pk, **query})


def test_the_unit_filter_narrows_the_moved_and_retitled_posts_too(viewer, organisation) -> None:
    response = _compare(viewer, organisation, unit="care")
    assert texts(
        response, '.gt-changed-posts[data-list="Posts moved to a new manager"] td:first-child'
    ) == ["C1"]
    assert texts(response, '.gt-changed-posts[data-list="Posts retitled"] td:first-child') == ["H1"]
    assert texts(response, ".gt-filter-not-applied") == [
        presenters.NOT_FILTERED_WHOLE.format(filters="unit", s="", verb="does"),
        presenters.NOT_FILTERED_WHOLE.format(filters="unit", s="", verb="does"),
    ]
    # People / Care, as the by-unit table names it.
    assert [row.split(" ")[0] for row in select(response, ".gt-compare-by-unit tbody tr")] == [
        "People"
    ]


def test_without_a_filter_every_change_is_listed_and_no_table_says_it_is_whole(
    viewer, organisation
) -> None:
    response = _compare(viewer, organisation)
    assert texts(
        response, '.gt-changed-posts[data-list="Posts moved to a new manager"] td:first-child'
    ) == ["C1", "P1"]
    assert texts(response, ".gt-filter-not-applied") == []


def test_a_grade_filter_is_named_under_the_by_unit_table(viewer, organisation) -> None:
    response = _compare(viewer, organisation, unit="care", tier="HoS")
    assert select(response, '.gt-filter-not-applied[data-table="by-unit"]') == [
        presenters.NOT_FILTERED_GRADE.format(filters="grade", s="", verb="does")
    ]
    assert select(response, '.gt-filter-not-applied[data-table="totals"]') == [
        presenters.NOT_FILTERED_WHOLE.format(filters="unit and grade", s="s", verb="do")
    ]


#: Paired by title and unit: the Housing Officer is X4 before and X5 after, and
#: X5 was the Care Officer before.
RENUMBERED_BEFORE = [
    ("X1", None, "Chief Executive", ""),
    ("X2", "X1", "Director of Place", "Place"),
    ("X3", "X1", "Director of People", "People"),
    ("X4", "X2", "Housing Officer", "Place / Housing"),
    ("X5", "X3", "Care Officer", "People / Care"),
]
RENUMBERED_AFTER = [
    ("X1", None, "Chief Executive", ""),
    ("X2", "X1", "Director of Place", "Place"),
    ("X3", "X1", "Director of People", "People"),
    ("X5", "X1", "Housing Officer", "Place / Housing"),
    ("X4", "X3", "Care Officer", "People / Care"),
]


def test_the_unit_filter_uses_the_units_of_the_paired_posts_not_their_ids(
    viewer, organisation
) -> None:
    old = snapshot_of(organisation, RENUMBERED_BEFORE, name="HR system")
    new = snapshot_of(organisation, RENUMBERED_AFTER, name="Payroll")
    url = reverse("structure:compare", kwargs={"org_slug": organisation.slug})
    moved = '.gt-changed-posts[data-list="Posts moved to a new manager"] td:first-child'

    def moved_in(unit: str) -> list[str]:
        query = {"old": old.pk, "new": new.pk, "pairing": "title", "unit": unit}
        return texts(viewer.get(url, query), moved)

    assert moved_in("") == ["X5"]
    assert moved_in("housing") == ["X5"]
    assert moved_in("care") == []


def test_the_junior_staff_totals_say_the_filters_do_not_apply_to_them(viewer, organisation) -> None:
    def snapshot(name: str, junior_fte: list[float]):
        structure = Structure.from_lists(
            ["CX", "D1", "D2"],
            [-1, 0, 0],
            unit=["", "People / Care", "Place / Housing"],
            cost=[150_000, 90_000, 90_000],
            junior_fte=junior_fte,
            junior_cost=[fte * 30_000 for fte in junior_fte],
        )
        return snapshot_create_from_structure(
            organisation=organisation, structure=structure, name=name
        )

    old, new = snapshot("Before", [0, 10, 20]), snapshot("After", [0, 8, 25])
    url = reverse("structure:compare", kwargs={"org_slug": organisation.slug})
    note = '#junior-staff-changes .gt-filter-not-applied[data-table="junior-totals"]'
    page = viewer.get(url, {"old": old.pk, "new": new.pk, "unit": "care", "tier": "SCS1"})
    assert select(page, note) == [
        presenters.NOT_FILTERED_WHOLE.format(filters="unit and grade", s="s", verb="do")
    ]
    # As the note says: the whole organisation's junior staff, not only those in Care.
    assert select(page, "#junior-staff-changes dd")[0] == "30.0 FTE before, 33.0 after"
    assert select(viewer.get(url, {"old": old.pk, "new": new.pk}), note) == []
