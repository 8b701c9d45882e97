"""The audit history register: all of it, paged, filtered by kind of record, user and date."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from goldenthread.accounts.models import Role
from goldenthread.audit import tables as audit_tables
from goldenthread.audit.selectors import ChangeQuery, audited_models
from goldenthread.core.models import Unit
from goldenthread.kit import tables as kit
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member
from tests.html import attribute, column, page, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Havant Borough Council", slug="havant")


@pytest.fixture
def admin(client, organisation):
    user = member(organisation, Role.ADMIN, username="boss", full_name="Bea Boss")
    client.login(username="boss", password=PASSWORD)
    return user


@pytest.fixture
def history(organisation, admin):
    """24 units created; the first three by the admin on 1 March 2026."""
    units = [UnitFactory(organisation=organisation, name=f"Unit {n:02d}") for n in range(24)]
    march = timezone.make_aware(dt.datetime(2026, 3, 1, 10, 0))
    historical = Unit.history.model
    for n, record in enumerate(
        historical.objects.filter(name__in=["Unit 00", "Unit 01", "Unit 02"]).order_by("name")
    ):
        historical.objects.filter(pk=record.pk).update(
            history_date=march + dt.timedelta(minutes=n), history_user=admin
        )
    return units


def _url(organisation) -> str:
    return reverse("audit:change_list", kwargs={"org_slug": organisation.slug})


def test_the_history_has_no_cap_and_pages_through_everything(
    client, organisation, admin, monkeypatch
) -> None:
    for n in range(205):
        UnitFactory(organisation=organisation, name=f"Many {n:03d}")
    everything = ChangeQuery(organisation=organisation, role=Role.ADMIN).count()
    assert everything >= 207  # the units, the organisation, the membership
    html = page(client.get(_url(organisation)))
    assert text(html, ".gt-result-count") == f"{everything:,} changes"
    last = (everything + 49) // 50
    final = page(client.get(_url(organisation), {"page": last}))
    assert len(final.select("table tbody tr")) == everything - 50 * (last - 1)
    # The oldest change: the organisation was created.
    assert column(final, 4)[-1] == "Havant Borough Council – history"


def test_the_page_runs_a_fixed_number_of_queries(
    client, organisation, history, django_assert_num_queries
) -> None:
    url = _url(organisation)
    # session, user, membership, the shell's organisations, the members (for the
    # "changed by" filter), count, page, one query per kind of record
    kinds = len(audited_models())
    with django_assert_num_queries(7 + kinds):
        response = client.get(url)
    assert len(page(response).select("table tbody tr")) == 26
    with django_assert_num_queries(7 + 1):
        response = client.get(url, {"kind": "core.unit"})
    assert text(page(response), ".gt-result-count") == "24 changes"


def test_filters_by_kind_user_and_date(client, organisation, admin, history) -> None:
    url = _url(organisation)
    html = page(
        client.get(
            url, {"kind": ["core.unit", "accounts.membership"], "sort": "when", "order": "asc"}
        )
    )
    # The three changes dated 1 March 2026 come first, then the admin joined.
    assert column(html, 3)[:5] == [*["Created unit"] * 3, "Created membership", "Created unit"]
    assert text(html, ".gt-result-count") == "25 changes"
    mine = page(client.get(url, {"user": admin.pk, "kind": "core.unit"}))
    assert column(mine, 4) == [f"Unit {n:02d} – history" for n in (2, 1, 0)]
    assert set(column(mine, 2)) == {"Bea Boss (boss)"}
    march = page(client.get(url, {"when-from": "1/3/2026", "when-to": "2026-03-01"}))
    assert column(march, 4) == [f"Unit {n:02d} – history" for n in (2, 1, 0)]
    assert texts(march, ".moj-filter__tag") == ["Remove this filter 1 March 2026 to 1 March 2026"]
    after = page(client.get(url, {"when-from": "2/3/2026", "kind": "core.unit"}))
    assert text(after, ".gt-result-count") == "21 changes"


def test_download_gives_every_filtered_change(client, organisation, history, monkeypatch) -> None:
    monkeypatch.setattr(
        audit_tables, "CHANGES", dataclasses.replace(audit_tables.CHANGES, page_size=5)
    )
    response = client.get(_url(organisation), {"kind": "core.unit", "download": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["When", "Who", "What", "Record"]
    assert len(rows) == 25
    assert [r[3] for r in rows[-3:]] == ["Unit 02", "Unit 01", "Unit 00"]  # oldest last


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"when-from": "31/2/2026"}, kit.BAD_DATE.format(label="Date")),
        (
            {"when-from": "2/3/2026", "when-to": "1/3/2026"},
            kit.DATES_OUT_OF_ORDER.format(label="Date"),
        ),
        ({"user": "abc"}, kit.NOT_A_CHOICE.format(label="changed by")),
        ({"kind": "auth.user"}, kit.NOT_A_CHOICE.format(label="record type")),
    ],
)
def test_bad_filters_are_named_and_ignored(client, organisation, history, query, problem) -> None:
    response = client.get(_url(organisation), query)
    assert response.status_code == 200
    html = page(response)
    assert texts(html, ".govuk-error-summary__list li") == [
        f"{problem} (this filter is not applied)"
    ]
    assert text(html, ".gt-result-count") == "26 changes"
    assert text(html, "title").startswith("Error: Audit history")


@pytest.mark.parametrize(
    "query", [{"page": "0"}, {"page": "many"}, {"sort": "who"}, {"order": "x"}]
)
def test_bad_paging_and_sorting_never_fail(client, organisation, history, query) -> None:
    assert client.get(_url(organisation), query).status_code == 200


def test_the_date_filter_is_two_moj_date_pickers_reading_what_they_write(
    client, organisation, history
) -> None:
    url = _url(organisation)
    # As the picker writes a date, and as typed with leading zeros.
    html = page(client.get(url, {"when-from": "1/3/2026", "when-to": "01/03/2026"}))
    assert text(html, ".gt-result-count") == "3 changes"
    pickers = "#filter-when .moj-datepicker[data-module=moj-date-picker]"
    assert len(html.select(pickers)) == 2
    inputs = f"{pickers} input.govuk-input.moj-js-datepicker-input[type=text]"
    assert attribute(html, inputs, "name") == ["when-from", "when-to"]
    # What was typed is shown back as typed; the picker reads both forms.
    assert attribute(html, inputs, "value") == ["1/3/2026", "01/03/2026"]
    assert texts(html, f"{pickers} label") == ["From", "To"]
    # A date that is not real is refused with its reason, never read as a near one.
    refused = page(client.get(url, {"when-to": "31/02/2026"}))
    assert texts(refused, "#filter-when .govuk-error-message") == [
        "Error: " + kit.BAD_DATE.format(label="Date")
    ]
    assert text(refused, ".gt-result-count") == "26 changes"
