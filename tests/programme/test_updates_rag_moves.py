"""What changed reads an action's RAG from its RAG records, as the RAG part assesses it."""

# ruff: noqa: F811

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from goldenthread.analysis.quarters import FinancialQuarter
from goldenthread.programme.models import RagKind, RagRecord
from goldenthread.programme.rag import services as rag_services
from goldenthread.programme.updates import services
from goldenthread.programme.updates.selectors import quarter_changes
from tests.programme.factories import make_action
from tests.programme.updates_support import (  # noqa: F401  (fixtures and helpers)
    entry,
    organisation,
    programme,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NOW = FinancialQuarter.of(TODAY)
BEFORE = FinancialQuarter.of(NOW.start - dt.timedelta(days=1))


def test_a_rag_change_without_an_entry_is_a_move(programme, django_assert_num_queries) -> None:
    reported = make_action(programme, reference="A-1", due_on=NOW.end + dt.timedelta(days=60))
    quiet = make_action(
        programme,
        reference="A-2",
        status="in_progress",
        percent_complete=50,
        due_on=NOW.start + dt.timedelta(days=5),
    )
    # Made when the previous quarter began, assessed by the RAG part while it ran, and
    # again after its due date.
    quiet.history.update(history_date=timezone.now() - dt.timedelta(days=400))
    for day in (BEFORE.start + dt.timedelta(days=5), NOW.start + dt.timedelta(days=20)):
        rag_services.action_rag_refresh(action=quiet, by=None, today=day)
    records = RagRecord.objects.filter(action=quiet, kind=RagKind.CURRENT).order_by("on", "pk")
    rags = [record.rag for record in records]
    assert len(set(rags)) == 2, rags
    previous = services.quarterly_update_open(
        programme=programme, quarter=BEFORE, by=None, today=TODAY
    )
    services.action_updates_record(update=previous, entries=[entry(reported)], by=None)
    services.quarterly_update_close(update=previous, by=None, today=TODAY)
    current = services.quarterly_update_open(programme=programme, quarter=NOW, by=None, today=TODAY)
    services.action_updates_record(update=current, entries=[entry(reported)], by=None)
    # No benefit became realised, so their profiles are not read.
    with django_assert_num_queries(8):
        changes = quarter_changes(programme=programme, update=current)
    assert [(m.reference, m.before, m.after) for m in changes.rag_moves] == [
        ("A-2", rags[0], rags[-1])
    ]
