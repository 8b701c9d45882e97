"""The quarterly update through a workbook: download it filled in, upload it back."""

# The shared fixtures are imported by name, so pytest finds them; a test's argument
# of the same name is that fixture, not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from goldenthread.formats.tabular import read_sheets
from goldenthread.formats.writing import Sheet, write_xlsx
from goldenthread.kit.models import ImportRun, ImportStatus
from goldenthread.programme.models import ActionUpdate
from goldenthread.programme.updates import importing, services
from tests.factories import OrganisationFactory
from tests.html import select
from tests.programme.factories import make_action, make_programme
from tests.programme.updates_support import (  # noqa: F401  (fixtures and helpers)
    TODAY,
    editor,
    entry,
    open_update,
    organisation,
    programme,
    update,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(programme, update):
    made = [
        make_action(
            programme,
            reference=f"A-{n:02d}",
            owner="Jo" if n % 2 else "Sam",
            budget=Decimal("5000.00"),
            spend=Decimal("100.00"),
            due_on=dt.date(2026, 3, 31),
        )
        for n in range(1, 22)
    ]
    services.action_updates_record(
        update=update, entries=[entry(made[0], progress="Started =SUM(A1)")], by=None
    )
    return made


def _workbook(editor, organisation, update, **query) -> tuple[tuple[str, ...], list[dict]]:
    response = editor.get(url(organisation, "update_workbook", update_id=update.pk), query)
    assert response.status_code == 200
    tables = read_sheets(response.content, "update.xlsx")
    table = next(t for t in tables if "reference" in t.header)
    return table.header, [record for _number, record in table.records()], response.content


def _upload(editor, organisation, update, data: bytes, capture, name="update.xlsx") -> ImportRun:
    file = io.BytesIO(data)
    file.name = name
    with capture(execute=True):
        editor.post(url(organisation, "update_import", update_id=update.pk), {"file": file})
    run = ImportRun.objects.latest("pk")
    return run


def _as_xlsx(header, records) -> bytes:
    return write_xlsx([Sheet("Actions", header, [[r[h] for h in header] for r in records])])


def test_the_workbook_holds_the_owners_actions_filled_in(
    editor, organisation, update, actions
) -> None:
    header, records, _ = _workbook(editor, organisation, update, owner="Jo")
    assert header == importing.UPDATE_COLUMNS.names
    assert [r["reference"] for r in records] == [f"A-{n:02d}" for n in range(1, 22, 2)]
    assert records[0]["progress"] == "Started =SUM(A1)"
    assert records[0]["status"] == "not started"
    _, everyone, _ = _workbook(editor, organisation, update)
    assert len(everyone) == 21


def test_the_workbook_imports_again_unchanged(
    editor, organisation, update, actions, django_capture_on_commit_callbacks
) -> None:
    _, _, data = _workbook(editor, organisation, update)
    run = _upload(editor, organisation, update, data, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.READY, run.problems
    assert run.counts == {"create": 0, "update": 0, "unchanged": 21}
    assert run.options == {"update_id": update.pk}


def test_a_filled_in_workbook_previews_and_saves_every_change(
    editor, organisation, update, actions, django_capture_on_commit_callbacks
) -> None:
    header, records, _ = _workbook(editor, organisation, update, owner="Jo")
    records[1].update(
        status="in progress",
        percent_complete="60",
        spend="1,250.50",
        progress="Procurement done",
        forecast_on="2026-05-31",
        delay="Vendor capacity",
    )
    records[2].update(status="complete", percent_complete="100")
    run = _upload(
        editor, organisation, update, _as_xlsx(header, records), django_capture_on_commit_callbacks
    )
    assert run.status == ImportStatus.READY, run.problems
    assert run.counts == {"create": 0, "update": 2, "unchanged": 9}
    page = editor.get(
        reverse("kit:import_run", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
    )
    changes = " ".join(select(page, "main"))
    assert "Per cent complete: 0 → 60" in changes
    assert "Spend to date: £100.00 → £1,250.50" in changes
    assert "Status: Not started → Complete" in changes
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(
            reverse("kit:import_confirm", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
        )
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE, run.summary
    changed = actions[2]  # A-03, the second of Jo's rows
    changed.refresh_from_db()
    assert (changed.percent_complete, changed.spend, changed.forecast_on) == (
        60,
        Decimal("1250.50"),
        dt.date(2026, 5, 31),
    )
    saved = ActionUpdate.objects.get(update=update, action=changed)
    assert (saved.progress, saved.delay) == ("Procurement done", "Vendor capacity")
    assert ActionUpdate.objects.get(update=update, action=actions[4]).status == "complete"
    # Every one of Jo's eleven rows is now reported for the quarter, the unchanged ones too
    # (A-01 already had its entry, which stays as it was).
    reported = ActionUpdate.objects.filter(update=update)
    assert sorted(reported.values_list("action__reference", flat=True)) == [
        f"A-{n:02d}" for n in range(1, 22, 2)
    ]
    assert reported.get(action=actions[0]).progress == "Started =SUM(A1)"


def test_row_errors_name_row_and_column_and_save_nothing(
    editor, organisation, update, actions, django_capture_on_commit_callbacks
) -> None:
    header, records, _ = _workbook(editor, organisation, update, owner="Jo")
    records[0].update(percent_complete="140")
    records[1].update(forecast_on="2026-06-30")  # after the due date, with no delay
    records[2].update(reference="NOPE-1")
    records[3].update(status="finished")
    run = _upload(
        editor, organisation, update, _as_xlsx(header, records), django_capture_on_commit_callbacks
    )
    assert run.status == ImportStatus.FAILED
    found = {(p["row"], p["column"], p["message"]) for p in run.problems}
    assert (2, "percent_complete", services.PERCENT_RANGE.format(reference="A-01")) in found
    assert (3, "delay", services.DELAY_NEEDED.format(reference="A-03")) in found
    assert (
        4,
        "reference",
        importing.NOT_IN_UPDATE.format(programme="Transformation", quarter="2025/26 Q2"),
    ) in found
    assert any(row == 5 and column == "status" for row, column, _ in found)
    assert ActionUpdate.objects.count() == 1


def test_a_closed_update_takes_no_upload(
    editor, organisation, update, actions, django_capture_on_commit_callbacks
) -> None:
    _, _, data = _workbook(editor, organisation, update)
    file = io.BytesIO(data)
    file.name = "update.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(url(organisation, "update_import", update_id=update.pk), {"file": file})
    run = ImportRun.objects.latest("pk")
    services.quarterly_update_close(update=update, by=None, today=TODAY)
    page = editor.get(url(organisation, "update_import", update_id=update.pk))
    assert page["Location"] == url(organisation, "update_detail", update_id=update.pk)
    # A run checked before the close cannot be saved after it.
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(
            reverse("kit:import_confirm", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
        )
    run.refresh_from_db()
    assert run.status != ImportStatus.DONE
    assert ActionUpdate.objects.count() == 1


def test_an_import_of_another_programme_cannot_reach_its_update(organisation) -> None:
    other = open_update(make_programme(OrganisationFactory(slug="elsewhere"), "Theirs"))
    run = ImportRun(organisation=organisation, options={"update_id": other.pk})
    assert importing._update_of(run) is None
