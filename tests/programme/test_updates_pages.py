"""The quarterly update's pages, read through CSS selectors, with their queries pinned."""

# The shared fixtures are imported by name, so pytest finds them; a test's argument
# of the same name is that fixture, not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

import pytest

from goldenthread.analysis.quarters import FinancialQuarter
from goldenthread.programme.models import Action, ActionUpdate, QuarterlyUpdate
from goldenthread.programme.updates import forms, services, views
from goldenthread.programme.updates.selectors import NO_OWNER
from tests.factories import OrganisationFactory
from tests.html import error_links, error_summary, hrefs, select, text
from tests.programme.factories import make_action, make_programme
from tests.programme.updates_support import (  # noqa: F401  (fixtures and helpers)
    TODAY,
    editor,
    entry,
    entry_post,
    open_update,
    organisation,
    programme,
    update,
    url,
    viewer,
)

pytestmark = pytest.mark.django_db

#: An owner named as people type them: apostrophes, ampersands, slashes, markup.
ODD_OWNER = "Siân O'Neil & <Head> of Waste/Recycling?#1"


@pytest.fixture
def many(programme, update):
    """24 actions of one owner, 6 of another, 2 with no owner; 5 of the first updated."""
    actions = [make_action(programme, owner="Jo Bloggs", budget=Decimal("1000")) for _ in range(24)]
    actions += [make_action(programme, owner=ODD_OWNER) for _ in range(6)]
    actions += [make_action(programme, owner="") for _ in range(2)]
    earlier = open_update(programme, FinancialQuarter(2025, 1))
    services.action_updates_record(
        update=earlier,
        entries=[entry(action, progress="Started on the designs") for action in actions],
        by=None,
    )
    services.action_updates_record(
        update=update, entries=[entry(action) for action in actions[:5]], by=None
    )
    return actions


def test_the_list_shows_each_quarter_and_offers_to_open_one(
    editor, organisation, programme, update
) -> None:
    response = editor.get(url(organisation, "update_list", programme_id=programme.pk))
    assert select(response, ".gt-updates tbody td:first-child") == ["2025/26 Q2"]
    assert hrefs(response, ".gt-updates tbody a") == [
        url(organisation, "update_detail", update_id=update.pk)
    ]
    assert hrefs(response, "a.govuk-button") == [
        url(organisation, "update_open", programme_id=programme.pk)
    ]


def test_an_editor_opens_an_update_and_a_taken_quarter_is_refused(
    editor, organisation, programme
) -> None:
    address = url(organisation, "update_open", programme_id=programme.pk)
    response = editor.post(address, {"quarter": "2024/25 Q4"})
    update = QuarterlyUpdate.objects.get()
    assert response["Location"] == url(organisation, "update_detail", update_id=update.pk)
    assert update.quarter == 20244
    refused = editor.post(address, {"quarter": "2024-25 Q4"})
    assert error_summary(refused) == [services.QUARTER_TAKEN.format(quarter="2024/25 Q4")]
    unread = editor.post(address, {"quarter": "next spring"})
    assert error_summary(unread) == [forms.QUARTER_NOT_READ]


def test_the_round_lists_each_owner_with_fixed_queries(
    editor, organisation, update, many, django_assert_num_queries
) -> None:
    # session, user, membership, the shell's organisations; the update; the owners'
    # counts; the previous update; the actions' history at the window's start and end;
    # the two quarters' entries; the RAG records; benefits realised (none, so no profiles);
    # the risks' reviews
    with django_assert_num_queries(14):
        response = editor.get(url(organisation, "update_detail", update_id=update.pk))
    assert select(response, ".gt-owners tbody td:first-child") == ["Jo Bloggs", ODD_OWNER, NO_OWNER]
    assert select(response, ".gt-owners tbody td:nth-child(3)") == ["5", "0", "0"]
    assert text(response, ".gt-update-progress") == "5 of 32 actions updated."
    links = hrefs(response, ".gt-owners tbody a")
    base = url(organisation, "update_owner", update_id=update.pk)
    assert links[1] == base + "?" + urlencode({"owner": ODD_OWNER})
    assert links[2] == base + "?owner="


def test_the_owners_page_lists_all_their_actions_with_fixed_queries(
    editor, organisation, update, many, django_assert_num_queries
) -> None:
    address = url(organisation, "update_owner", update_id=update.pk)
    # session, user, membership, the shell's organisations; the update; the owner's
    # actions; their entries this quarter; the previous update and their entries there
    with django_assert_num_queries(9):
        response = editor.get(address, {"owner": "Jo Bloggs"})
    assert text(response, "h1") == "Jo Bloggs"
    assert len(select(response, ".gt-action-entry")) == 24
    first = many[0]
    assert select(response, f"#action-{first.pk} > legend") == [f"{first.reference}: {first.title}"]
    assert len(select(response, f"#id_a{first.pk}_forecast_on_day")) == 1
    assert select(response, f"#action-{first.pk} .gt-before") == [
        "At the 2025/26 Q1 update: Started on the designs"
    ]


def test_an_owner_with_odd_characters_reaches_their_page(
    editor, organisation, update, many
) -> None:
    response = editor.get(
        url(organisation, "update_owner", update_id=update.pk), {"owner": ODD_OWNER}
    )
    assert text(response, "h1") == ODD_OWNER
    assert len(select(response, ".gt-action-entry")) == 6
    nobody = editor.get(url(organisation, "update_owner", update_id=update.pk))
    assert text(nobody, "h1") == NO_OWNER
    assert len(select(nobody, ".gt-action-entry")) == 2


def test_saving_the_page_records_every_action(editor, organisation, programme, update) -> None:
    first = make_action(programme, owner="Jo", due_on=dt.date(2025, 12, 31))
    second = make_action(programme, owner="Jo", due_on=dt.date(2025, 12, 31))
    posted = {
        **entry_post(
            first,
            progress="Designs agreed",
            status="in_progress",
            percent_complete="45",
            spend="£1,250.50",
            forecast_on="15/1/2026",
            delay="Supplier late",
        ),
        **entry_post(second, status="complete", percent_complete="100"),
    }
    address = url(organisation, "update_owner", update_id=update.pk) + "?owner=Jo"
    response = editor.post(address, posted)
    assert response["Location"] == url(organisation, "update_detail", update_id=update.pk)
    first.refresh_from_db()
    assert (first.percent_complete, first.spend, first.forecast_on) == (
        45,
        Decimal("1250.50"),
        dt.date(2026, 1, 15),
    )
    entries = {e.action_id: e for e in ActionUpdate.objects.filter(update=update)}
    assert entries[first.pk].progress == "Designs agreed"
    assert entries[second.pk].status == "complete"


def test_errors_are_named_per_action_and_field_and_nothing_is_saved(
    editor, organisation, programme, update
) -> None:
    first = make_action(programme, owner="Jo", reference="A-1", due_on=dt.date(2025, 9, 30))
    second = make_action(programme, owner="Jo", reference="A-2")
    posted = {
        **entry_post(first, forecast_on="31/10/2025", percent_complete="30"),
        **entry_post(second, percent_complete="150", spend="lots", forecast_on="31/2/2026"),
    }
    response = editor.post(
        url(organisation, "update_owner", update_id=update.pk) + "?owner=Jo", posted
    )
    assert response.status_code == 200
    assert error_summary(response) == [
        services.DELAY_NEEDED.format(reference="A-1"),
        forms.PERCENT_WHOLE.format(reference="A-2"),
        "A-2: the forecast completion date must be a real date",
        forms.SPEND_NOT_READ.format(reference="A-2"),
    ]
    assert list(error_links(response)) == [
        f"#id_a{first.pk}_delay",
        f"#id_a{second.pk}_percent_complete",
        f"#id_a{second.pk}_forecast_on_day",
        f"#id_a{second.pk}_spend",
    ]
    first.refresh_from_db()
    assert first.percent_complete == 0
    assert not ActionUpdate.objects.exists()


def test_a_closed_update_is_read_only(editor, organisation, programme, update) -> None:
    action = make_action(programme, owner="Jo")
    services.action_updates_record(
        update=update,
        entries=[
            entry(
                action,
                progress="Done it",
                status="in_progress",
                percent_complete=40,
                forecast_on=dt.date(2026, 2, 1),
                spend=Decimal("300.00"),
            )
        ],
        by=None,
    )
    services.quarterly_update_close(update=update, by=None, today=TODAY)
    # The action moves on after the quarter closed; the quarter shows what was recorded.
    Action.objects.filter(pk=action.pk).update(
        status="complete", percent_complete=100, forecast_on=None, spend=Decimal("900.00")
    )
    address = url(organisation, "update_owner", update_id=update.pk) + "?owner=Jo"
    response = editor.get(address)
    assert text(response, ".gt-closed") == views.CLOSED_NOTE
    assert select(response, "form.gt-owner-update") == []
    assert select(response, ".gt-owner-entries tbody td")[1:6] == [
        "Done it",
        "In progress",
        "40%",
        "1 February 2026",
        "£300",
    ]
    editor.post(address, entry_post(action, progress="Changed"))
    assert ActionUpdate.objects.get().progress == "Done it"
    detail = editor.get(url(organisation, "update_detail", update_id=update.pk))
    assert text(detail, ".gt-update-status") == "Closed"
    assert select(detail, "a.govuk-button--warning") == []
    close = editor.get(url(organisation, "update_close", update_id=update.pk))
    assert services.ALREADY_CLOSED.format(quarter="2025/26 Q2") in text(close)


def test_closing_asks_first(editor, organisation, programme, update) -> None:
    make_action(programme, owner="Jo")
    address = url(organisation, "update_close", update_id=update.pk)
    page = editor.get(address)
    assert "1 action has no entry for this quarter." in text(page)
    response = editor.post(address)
    assert response["Location"] == url(organisation, "update_detail", update_id=update.pk)
    update.refresh_from_db()
    assert update.status == "closed"


def test_a_viewer_reads_but_cannot_save(viewer, organisation, programme, update) -> None:
    action = make_action(programme, owner="Jo")
    address = url(organisation, "update_owner", update_id=update.pk) + "?owner=Jo"
    assert select(viewer.get(address), "form.gt-owner-update") == []
    assert viewer.post(address, entry_post(action)).status_code == 403
    assert (
        viewer.get(url(organisation, "update_open", programme_id=update.programme_id)).status_code
        == 403
    )


def test_another_organisations_updates_are_not_found(editor, organisation) -> None:
    other = make_programme(OrganisationFactory(slug="elsewhere"), "Theirs")
    theirs = open_update(other)
    for name, kwargs in [
        ("update_list", {"programme_id": other.pk}),
        ("update_open", {"programme_id": other.pk}),
        ("update_detail", {"update_id": theirs.pk}),
        ("update_close", {"update_id": theirs.pk}),
        ("update_owner", {"update_id": theirs.pk}),
        ("update_workbook", {"update_id": theirs.pk}),
        ("update_import", {"update_id": theirs.pk}),
    ]:
        assert editor.get(url(organisation, name, **kwargs)).status_code == 404, name
        assert editor.post(url(organisation, name, **kwargs)).status_code in {404, 405}, name
