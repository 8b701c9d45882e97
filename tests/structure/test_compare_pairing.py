"""The comparison page says when posts pair badly by ID, and offers pairing by title and unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import snapshot_of
from tests.html import hrefs, select

pytestmark = pytest.mark.django_db

OLD = [
    ("A1", None, "Head of Highways", "Place / Highways"),
    ("A2", "A1", "Highways Officer", "Place / Highways"),
    ("A3", "A1", "Highways Officer", "Place / Highways"),
    ("A4", "A1", "Road Safety Officer", "Place / Highways"),
]
#: The same posts, numbered by another system.
NEW = [("B" + post_id[1:], manager and "B" + manager[1:], *rest) for post_id, manager, *rest in OLD]


def _compare(client, organisation, **query):
    old = snapshot_of(organisation, OLD, name="HR system")
    new = snapshot_of(organisation, NEW, name="Payroll")
    url = reverse("structure:compare", kwargs={"org_slug": organisation.slug})
    return client.get(url, {"old": old.pk, "new": new.pk, **query})


def _summary(response) -> dict[str, str]:
    return dict(
        zip(
            select(response, ".govuk-summary-list__key"),
            select(response, ".govuk-summary-list__value"),
            strict=True,
        )
    )


def test_few_shared_ids_are_said_and_the_redundancy_estimate_is_withheld(editor, organisation):
    response = _compare(editor, organisation)
    assert select(response, "#pairing-unreliable") == [
        "! Warning Only 0 of the 4 posts of the smaller structure pair with a post of the "
        "other by post ID, fewer than half: posts that are the same may be counted as "
        "removed and added. Pair the posts by title and unit instead."
    ]
    (link,) = hrefs(response, "#pairing-unreliable a")
    assert "pairing=title" in link
    summary = _summary(response)
    assert summary["Redundancy estimate"] == (
        "Not estimated: too few posts pair by post ID for the posts removed to be known."
    )
    assert summary["Net saving in the first year"].startswith("Not estimated")
    assert "£" not in summary["Redundancy estimate"]


def test_pairing_by_title_and_unit_finds_the_same_posts(editor, organisation):
    response = _compare(editor, organisation, pairing="title")
    assert select(response, "#pairing-unreliable") == []
    assert select(response, "h3")[:2] == ["Posts added: 0", "Posts removed: 0"]
    summary = _summary(response)
    assert summary["Posts paired by"] == "title and unit"
    assert summary["Redundancy estimate"].startswith("0 filled posts removed")
    assert select(response, "input[name=pairing][checked]") == [""]
