"""Charts of counts tick at whole numbers: nobody has half a manager."""

from __future__ import annotations

from typing import Any

import pytest

from goldenthread.accounts.models import Role
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, OrganisationFactory, member, snapshot_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Two managers, one with one report and one with two: one manager per span.
POSTS = [
    ("CX", None, "Chief Executive", "Council"),
    ("D1", "CX", "Director", "Council"),
    ("H1", "D1", "Head", "Council"),
    ("H2", "D1", "Head", "Council"),
]


def test_the_spans_chart_ticks_only_at_whole_managers(page: Any, live_server) -> None:
    organisation = OrganisationFactory()
    snapshot = snapshot_of(organisation, POSTS)
    member(organisation, Role.VIEWER, username="ticks")
    sign_in(page, live_server.url, "ticks", PASSWORD)
    page.goto(f"{live_server.url}/o/{organisation.slug}/structures/{snapshot.pk}/")
    page.locator("#chart-spans .main-svg").first.wait_for(state="attached")
    labels = page.locator("#chart-spans .ytick text")
    labels.first.wait_for(state="attached")
    ticks = labels.evaluate_all("texts => texts.map((text) => text.textContent)")
    assert ticks, "the spans chart has no y-axis ticks"
    assert all(tick.replace(",", "").isdigit() for tick in ticks), ticks
