"""Markup in a name is shown as text in the charts, never drawn as a link.

plotly.js reads a subset of HTML in its labels and hover texts, so every text
the dashboard hands to it is escaped where the figure is built
(goldenthread.kit.charts). The tables beside the charts show the same names,
escaped by the template.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from tests.factories import PASSWORD, member
from tests.html import parse, select

pytestmark = pytest.mark.django_db

#: A unit name that plotly would draw as a live link if it were passed on as it is.
LINK_NAME = '<a href="https://evil.example/">Session expired: sign in again</a>'
LINK_TITLE = '<b style="font-size:40px">Chief</b><br><a href="https://evil.example/">x</a>'
#: Keys of the chart data plotly draws as text.
TEXT_KEYS = ("id", "label", "parent")


def markup_snapshot(organisation: Any) -> Any:
    """A snapshot whose unit and post titles hold markup."""
    from goldenthread.formats.posts import PostTable, build_structure
    from goldenthread.structure.services import snapshot_create_from_structure

    table = PostTable.from_lists(
        ["CX1", "D1", "T1", "T2"],
        [None, "CX1", "D1", "D1"],
        title=[LINK_TITLE, "Director", "Officer", "Officer"],
        unit=["Council", f"Council / {LINK_NAME}", f"Council / {LINK_NAME}", "Council / Place"],
        cost=[150000.0, 90000.0, 30000.0, 30000.0],
        source="markup.csv",
    )
    return snapshot_create_from_structure(
        organisation=organisation,
        structure=build_structure(table).structure,
        name="Markup",
        effective_date=date(2026, 3, 31),
    )


def chart_data(content: bytes) -> dict[str, Any]:
    script = parse(content).select_one("#structure-charts")
    assert script is not None
    return json.loads(script.get_text())  # type: ignore[no-any-return]


def test_no_chart_text_holds_a_tag(client, organisation) -> None:
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    snapshot = markup_snapshot(organisation)
    url = reverse(
        "structure:snapshot_detail",
        kwargs={"org_slug": organisation.slug, "snapshot_id": snapshot.pk},
    )
    response = client.get(url)
    assert response.status_code == 200
    data = chart_data(response.content)
    texts = [
        str(node[key])
        for chart in ("units", "reporting")
        for node in data[chart]
        for key in TEXT_KEYS
    ]
    assert texts
    assert not [text for text in texts if "<" in text or ">" in text]
    # The name is still all there, escaped: plotly shows it as typed.
    labels = [node["label"] for node in data["units"]]
    assert (
        '&lt;a href="https://evil.example/"&gt;Session expired: sign in again&lt;/a&gt;' in labels
    )
    # The tables beside the charts show the names as text, escaped once by the template.
    assert LINK_NAME in " ".join(select(response, "#by-unit table th"))
    assert not parse(response.content).select("#by-unit table a, #by-line table a")
