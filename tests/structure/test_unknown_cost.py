"""Unknown cost is shown as unknown on every page, never as £0."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.core.models import Unit
from goldenthread.structure.models import Post
from tests.factories import PASSWORD, member, snapshot_of
from tests.html import select

pytestmark = pytest.mark.django_db

#: Three posts of which no cost is known.
POSTS = [
    ("CX", None, "Chief Executive", "Council"),
    ("D1", "CX", "Director", "Council / Place"),
    ("H1", "D1", "Head of Planning", "Council / Place"),
]


def _url(name: str, organisation, **kwargs) -> str:
    return reverse(f"structure:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def test_a_unit_whose_costs_are_unknown_shows_a_dash_not_nothing(client, organisation) -> None:
    snapshot = snapshot_of(organisation, POSTS)
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    detail = client.get(_url("snapshot_detail", organisation, snapshot_id=snapshot.pk))
    rows = select(
        detail, "main table:has(caption:-soup-contains('by unit')) tbody tr td:last-child"
    )
    assert rows and set(rows) == {"–"}
    assert not any("£0" in value for value in select(detail, "main dd"))

    place = Unit.objects.get(organisation=organisation, name="Place")
    unit = client.get(
        _url("snapshot_unit", organisation, snapshot_id=snapshot.pk, unit_id=place.pk)
    )
    cost = select(unit, "main .govuk-summary-list__row:has(dt:-soup-contains('cost')) dd")
    assert cost == ["– (2 posts without a known cost)"]

    top = Post.objects.get(snapshot=snapshot, post_id="CX")
    post = client.get(_url("post_detail", organisation, snapshot_id=snapshot.pk, post_pk=top.pk))
    below = select(post, "main .govuk-summary-list__row:has(dt:-soup-contains('below')) dd")
    assert below == ["2 posts, 2.0 FTE, – (2 without a known cost)"]

    posts = client.get(_url("post_list", organisation, snapshot_id=snapshot.pk))
    assert set(select(posts, "main table tbody td.govuk-table__cell--numeric:last-child")) <= {
        "–",
        "1",
        "0",
    }
