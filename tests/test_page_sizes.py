"""No page grows with the size of a register.

Every list is a paged kit table, every choice of a record a kit picker, and
anything else that lists records shows the first few with a count and a link
to the full table. The walk fetches every organisation page (from the URL
configuration, so a page is covered the day it is added) with a register of
20 extra records and again with 2,000, and asserts that neither the page's
size nor its number of queries grows with them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import DEMO_PASSWORD
from tests.test_isolation import ORG_ROUTES
from tests.url_samples import SAMPLES

pytestmark = pytest.mark.django_db

FEW, MANY = 20, 2000
#: What 1,980 more records may add to a page at most: far less than one short
#: line each (a select option is about 40 bytes), enough for a count that
#: gains digits and a pager that gains page links.
GROWTH_LIMIT = 12_000


def _units(organisation: Any, start: int, count: int) -> None:
    from goldenthread.core.models import Unit, UnitKind

    top = Unit.objects.filter(organisation=organisation, parent=None).order_by("pk").first()
    Unit.objects.bulk_create(
        Unit(
            organisation=organisation,
            code=f"BULK{n:05d}",
            name=f"Bulk unit {n:05d}",
            # Half top-level directorates (pages list those), half inside the first.
            kind=UnitKind.DIRECTORATE if n % 2 else UnitKind.TEAM,
            parent=None if n % 2 else top,
        )
        for n in range(start, start + count)
    )


def _thread_items(organisation: Any, start: int, count: int) -> None:
    from goldenthread.performance.models import Level, ThreadItem

    vision = ThreadItem.objects.filter(organisation=organisation, level=Level.VISION).first()
    ThreadItem.objects.bulk_create(
        ThreadItem(
            organisation=organisation,
            level=Level.PRIORITY,
            parent=vision,
            title=f"Bulk priority {n:05d}",
            position=10_000 + n,
        )
        for n in range(start, start + count)
    )


def _snapshots(organisation: Any, start: int, count: int) -> None:
    from goldenthread.structure.models import Snapshot

    Snapshot.objects.bulk_create(
        Snapshot(organisation=organisation, name=f"Bulk snapshot {n:05d}")
        for n in range(start, start + count)
    )


def _principle_sets(organisation: Any, start: int, count: int) -> None:
    from goldenthread.operating_model.models import PrincipleSet

    PrincipleSet.objects.bulk_create(
        PrincipleSet(organisation=organisation, name=f"Bulk principles {n:05d}")
        for n in range(start, start + count)
    )


def _tom_versions(organisation: Any, start: int, count: int) -> None:
    from goldenthread.operating_model.models import TomVersion

    TomVersion.objects.bulk_create(
        TomVersion(organisation=organisation, number=1000 + n, title=f"Bulk version {n:05d}")
        for n in range(start, start + count)
    )


def _actions(organisation: Any, start: int, count: int) -> None:
    """Actions of the sample programme in every status, RAG, phase and workstream, many late."""
    import datetime as dt

    from goldenthread.programme.models import Action, ActionStatus, Phase, Programme, Rag

    programme = Programme.objects.get(pk=SAMPLES["programme_id"](organisation))
    phases = list(Phase.objects.filter(programme=programme)) or [None]
    workstreams = list(programme.workstreams.all()) or [None]
    statuses, rags = list(ActionStatus), [*Rag, ""]
    due = dt.date(2026, 3, 31)
    Action.objects.bulk_create(
        Action(
            organisation=organisation,
            programme=programme,
            reference=f"BULK-{n:05d}",
            title=f"Bulk action {n:05d}",
            owner=f"Lead {n % 7}",
            source="Productivity plan" if n % 5 == 0 else "",
            target_area=f"Area {n % 7}",
            status=statuses[n % len(statuses)],
            rag=rags[n % len(rags)],
            forecast_rag=rags[(n + 1) % len(rags)],
            phase=phases[n % len(phases)],
            workstream=workstreams[n % len(workstreams)],
            design_by=20252,
            implement_from=20253,
            due_on=due + dt.timedelta(days=n % 400),
            forecast_on=due + dt.timedelta(days=n % 400 + n % 30),
            position=10_000 + n,
        )
        for n in range(start, start + count)
    )


def _risks(organisation: Any, start: int, count: int) -> None:
    import datetime as dt

    from goldenthread.programme.models import Programme, Risk
    from tests.url_samples import SAMPLES

    programme = Programme.objects.get(pk=SAMPLES["programme_id"](organisation))
    Risk.objects.bulk_create(
        Risk(
            organisation=organisation,
            programme=programme,
            reference=f"BULK-R{n:05d}",
            title=f"Bulk risk {n:05d}",
            category="Financial",
            owner=f"Owner {n:05d}",
            inherent_likelihood=n % 5 + 1,
            inherent_impact=4,
            residual_likelihood=n % 5 + 1,
            residual_impact=3,
            residual_score=(n % 5 + 1) * 3,
            next_review_on=dt.date(2026, 1, 1) + dt.timedelta(days=n % 400),
        )
        for n in range(start, start + count)
    )


#: Each register, and how to add ``count`` records to it cheaply.
REGISTERS: dict[str, Callable[[Any, int, int], None]] = {
    "units": _units,
    "thread items": _thread_items,
    "snapshots": _snapshots,
    "principle sets": _principle_sets,
    "TOM versions": _tom_versions,
    "actions": _actions,
    "risks": _risks,
}


def _measure(client: Any, urls: list[str]) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for url in urls:
        client.get(url)  # warm any per-snapshot cache, so both runs count alike
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200 or response.get("Content-Disposition"):
            continue  # redirects, refusals and downloads (which hold every row by design)
        found[url] = (len(response.content), len(queries))
    return found


@pytest.mark.parametrize("register", REGISTERS)
def test_no_page_grows_with_the_register(client, demo, register: str) -> None:
    add = REGISTERS[register]
    client.login(username="demo-admin", password=DEMO_PASSWORD)
    add(demo, 0, FEW)
    urls = [
        reverse(route.name, kwargs={arg: SAMPLES[arg](demo) for arg in route.arguments})
        for route in ORG_ROUTES
    ]
    few = _measure(client, urls)
    add(demo, FEW, MANY - FEW)
    many = _measure(client, urls)
    grown = [
        f"{url}: {few[url][0]:,} -> {many[url][0]:,} bytes, {few[url][1]} -> {many[url][1]} queries"
        for url in few
        if url in many and (many[url][0] - few[url][0] > GROWTH_LIMIT or many[url][1] > few[url][1])
    ]
    assert len(few) > 40, "the walk reached too few pages to mean anything"
    assert grown == [], f"pages that grow with the {register}:\n" + "\n".join(grown)
