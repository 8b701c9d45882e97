"""The dashboard cards count things in good English."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import DEMO_PASSWORD
from tests.html import select


def test_the_cards_name_counts_in_the_plural(client, demo) -> None:
    client.login(username="demo-viewer", password=DEMO_PASSWORD)
    home = client.get(reverse("core:home", kwargs={"org_slug": demo.slug}))
    rows = dict(
        zip(select(home, "main .gt-card dt"), select(home, "main .gt-card dd"), strict=True)
    )
    assert rows["Directorates"] == "3"
    assert rows["Services"] == "11"
    assert rows["Shared service"] == "1"
    assert rows["Priorities"] == "3"
    assert rows["Vision"] == "1"
    assert rows["Viewer"] == "1"
    assert not any(label.endswith(("ys", "-s")) for label in rows)
