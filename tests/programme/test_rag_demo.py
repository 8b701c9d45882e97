"""The demo's RAG: a year of history on the plan's demo programme, made by the rules, once."""

from __future__ import annotations

import datetime as dt

import pytest

from goldenthread.programme.models import Action, RagKind, RagRecord, RagRuleSet, RagSource
from goldenthread.programme.plan import demo as plan_demo
from goldenthread.programme.rag import demo
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 15)


def test_the_demo_programme_gets_a_year_of_rag_history_and_overrides() -> None:
    organisation = OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")
    programme = plan_demo.load(organisation=organisation, by=None, today=TODAY)
    demo.load(organisation=organisation, programme=programme, by=None, today=TODAY)
    actions = Action.objects.filter(programme=programme)
    assert {"red", "amber", "green", "blue"} <= set(actions.values_list("rag", flat=True))
    assert actions.exclude(override_rag="").count() == 3
    records = RagRecord.objects.filter(action__programme=programme)
    assert records.order_by("on").first().on == dt.date(2025, 5, 15)
    assert records.filter(kind=RagKind.CURRENT).exclude(previous="").exists()
    assert records.filter(source=RagSource.OVERRIDE, reason__startswith="The override ended on")
    versions = RagRuleSet.objects.filter(organisation=organisation).order_by("version")
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].note == demo.DEMO_NOTE
    count = records.count()
    plan_demo.load(organisation=organisation, by=None, today=TODAY)
    demo.load(organisation=organisation, programme=programme, by=None, today=TODAY)
    assert RagRecord.objects.filter(action__programme=programme).count() == count
