"""Records and requests the quarterly update's tests share."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.analysis.quarters import FinancialQuarter
from goldenthread.programme.models import Action, Programme, QuarterlyUpdate
from goldenthread.programme.updates import services
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.programme.factories import make_programme

#: Every test's "today": in 2025/26 Q2.
TODAY = dt.date(2025, 8, 15)
QUARTER = FinancialQuarter(2025, 2)


def open_update(programme: Programme, quarter: FinancialQuarter = QUARTER) -> QuarterlyUpdate:
    return services.quarterly_update_open(
        programme=programme, quarter=quarter, by=None, today=TODAY
    )


def entry(action: Action, **fields: Any) -> services.ActionEntry:
    values: dict[str, Any] = {
        "status": action.status,
        "percent_complete": action.percent_complete,
        "forecast_on": action.forecast_on,
        "spend": action.spend,
        "progress": "",
        "delay": "",
    }
    values.update(fields)
    return services.ActionEntry(action=action, **values)


def money(text: str) -> Decimal:
    return Decimal(text)


def url(organisation: Any, name: str, **kwargs: Any) -> str:
    return reverse(f"programme:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def entry_post(action: Action, **fields: str) -> dict[str, str]:
    """The owner page's fields of one action, as a browser posts them."""
    forecast = fields.pop("forecast_on", None)
    values = {
        "progress": "",
        "status": action.status,
        "percent_complete": str(action.percent_complete),
        "spend": "" if action.spend is None else str(action.spend),
        "delay": "",
        **fields,
    }
    posted = {f"a{action.pk}_{name}": value for name, value in values.items()}
    day = forecast if forecast is not None else action.forecast_on
    if isinstance(day, dt.date):
        day = f"{day.day}/{day.month}/{day.year}"
    parts = day.split("/") if day else ["", "", ""]
    for part, value in zip(("day", "month", "year"), parts, strict=True):
        posted[f"a{action.pk}_forecast_on_{part}"] = value
    return posted


# Fixtures the quarterly update's test modules import by name.


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Council", slug="brackenford")


@pytest.fixture
def editor(client, organisation):
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    return client


@pytest.fixture
def viewer(client, organisation):
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    return client


@pytest.fixture
def programme(organisation):
    return make_programme(organisation, "Transformation")


@pytest.fixture
def update(programme):
    return open_update(programme)
