"""The demo's quarterly updates on the plan's demo programme, after its RAG history, once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from goldenthread.analysis.quarters import FinancialQuarter
from goldenthread.programme.models import ActionUpdate
from goldenthread.programme.plan import demo as plan_demo
from goldenthread.programme.rag import demo as rag_demo
from goldenthread.programme.updates import demo, selectors
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_demo_programme_gets_two_updates_with_something_to_say() -> None:
    today = timezone.localdate()
    organisation = OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")
    programme = plan_demo.load(organisation=organisation, by=None, today=today)
    rag_demo.load(organisation=organisation, programme=programme, by=None, today=today)
    demo.load(organisation=organisation, programme=programme, by=None, today=today)
    current, previous = selectors.programme_updates(programme=programme)
    assert (current.quarter, current.status) == (FinancialQuarter.of(today).code, "open")
    assert previous.status == "closed"
    assert 0 < current.actions.count() < previous.actions.count()
    changes = selectors.quarter_changes(programme=programme, update=current)
    assert len(changes.slipped) >= 1
    assert len(changes.completed) >= 1
    assert changes.spend > 0
    assert changes.rag_moves
    entries = ActionUpdate.objects.count()
    demo.load(organisation=organisation, programme=programme, by=None, today=today)
    assert ActionUpdate.objects.count() == entries
    assert len(selectors.programme_updates(programme=programme)) == 2
