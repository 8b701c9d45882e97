"""Dates are shown one way on every page: GOV.UK's "14 March 2024"."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from goldenthread.kit.tables import TableColumn
from tests.conftest import DEMO_PASSWORD
from tests.html import select

#: A date as GOV.UK writes it, at the start of a cell: "2 December 2026".
GOVUK_DATE = re.compile(
    r"^\d{1,2} (January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{4}\b"
)


def test_the_default_formats_are_the_govuk_style() -> None:
    moment = timezone.make_aware(dt.datetime(2024, 3, 14, 14, 5))
    shown = Template('{{ day|date }} / {{ moment|date:"DATETIME_FORMAT" }} / {{ moment }}').render(
        Context({"day": dt.date(2024, 3, 14), "moment": moment})
    )
    assert shown == "14 March 2024 / 14 March 2024 at 14:05 / 14 March 2024 at 14:05"


def test_register_cells_show_dates_the_same_way() -> None:
    class Row:
        when = timezone.make_aware(dt.datetime(2024, 3, 14, 14, 5))
        day = dt.date(2024, 3, 14)

    table: Any = None
    assert TableColumn("when", "When").html(Row(), table) == "14 March 2024 at 14:05"
    assert TableColumn("day", "Day").html(Row(), table) == "14 March 2024"


def test_the_dashboard_and_history_write_dates_in_full(client, demo) -> None:
    client.login(username="demo-viewer", password=DEMO_PASSWORD)
    home = client.get(reverse("core:home", kwargs={"org_slug": demo.slug}))
    recent = select(home, "main table tbody tr td:first-child")
    assert recent and all(GOVUK_DATE.match(cell) for cell in recent), recent
    tom = client.get(reverse("operating_model:tom_home", kwargs={"org_slug": demo.slug}))
    approved = [cell for cell in select(tom, "main table tbody td") if cell.endswith("Executive")]
    assert approved == ["12 March 2025, Executive"]
