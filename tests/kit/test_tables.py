"""The register table kit on its own: declarations, URLs, paging, sorting, filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db.models import F
from django.template.loader import render_to_string
from django.test import RequestFactory

from goldenthread.core.models import Unit
from goldenthread.kit.tables import (
    NOT_A_CHOICE,
    NUMBERS_OUT_OF_ORDER,
    BooleanFilter,
    ChoiceFilter,
    RangeFilter,
    SearchFilter,
    Table,
    TableColumn,
    TreeFilter,
    read_date,
)
from tests.factories import OrganisationFactory, UnitFactory
from tests.html import attribute, select, select_one


def _nodes(table):
    return Unit.objects.filter(organisation=table.organisation).values_list(
        "pk", "parent_id", "name"
    )


TABLE = Table(
    thing="unit",
    things="units",
    columns=[
        TableColumn("name", "Name", sort="name"),
        TableColumn("code", "Code", sort=F("code")),
        TableColumn("kind", "Kind"),
    ],
    filters=[
        SearchFilter("q", "Search", fields=["name"]),
        ChoiceFilter("kind", "Kind", field="kind", choices=[("team", "Team")], multiple=True),
        TreeFilter("inside", "Inside", field="pk", nodes=_nodes),
        RangeFilter("id", "Number", field="pk"),
        BooleanFilter("top", "Top", field="parent__isnull"),
    ],
    default_sort="name",
    page_size=3,
)


def _bind(organisation, query: str = "", table: Table = TABLE):
    request = RequestFactory().get("/units/" + (f"?{query}" if query else ""))
    request.organisation = organisation
    return table.bind(request, Unit.objects.filter(organisation=organisation))


def test_a_declaration_with_repeated_or_reserved_names_is_refused() -> None:
    with pytest.raises(ValueError, match="repeat"):
        Table("x", "xs", [TableColumn("a", "A"), TableColumn("a", "B")])
    with pytest.raises(ValueError, match="no column"):
        Table("x", "xs", [TableColumn("a", "A")], default_sort="b")
    with pytest.raises(ValueError, match="reserved"):
        SearchFilter("page", "Page")


@pytest.mark.django_db
def test_sort_links_keep_the_filters_and_go_back_to_page_one() -> None:
    organisation = OrganisationFactory()
    table = _bind(organisation, "q=a&kind=team&page=2&sort=name&order=asc")
    name, code, kind = table.head
    assert name["aria_sort"] == "ascending"
    assert name["href"] == "?q=a&kind=team&sort=name&order=desc"
    assert code["aria_sort"] == "none"
    assert code["href"] == "?q=a&kind=team&sort=code&order=asc"
    assert "href" not in kind and "aria_sort" not in kind  # not sortable
    assert table.hidden == [("sort", "name"), ("order", "asc")]
    assert table.url_with(download="csv", page=None) == (
        "?q=a&kind=team&sort=name&order=asc&download=csv"
    )


@pytest.mark.django_db
def test_ordering_is_in_the_database_with_a_stable_tiebreak() -> None:
    organisation = OrganisationFactory()
    table = _bind(organisation, "sort=code&order=desc")
    assert str(table.rows.query).count("ORDER BY") == 1
    order = table.rows.query.order_by
    assert order[0].descending and order[0].nulls_last
    assert order[1] == "-pk"
    unsortable = _bind(organisation, "sort=kind&order=sideways")
    assert (unsortable.sort, unsortable.order) == ("name", "asc")


@pytest.mark.django_db
def test_pages_show_the_first_last_and_neighbours_with_ellipses() -> None:
    organisation = OrganisationFactory()
    for n in range(20):
        UnitFactory(organisation=organisation, name=f"Unit {n:02d}")
    pagination = _bind(organisation, "page=4").pagination()
    shown = [item.get("number", "…") for item in pagination["items"]]
    assert shown == [1, "…", 3, 4, 5, "…", 7]
    assert pagination["previous"] == "?page=3"
    assert pagination["next"] == "?page=5"
    assert (pagination["first"], pagination["last"]) == (10, 12)
    assert _bind(organisation).result_count == "20 units"


@pytest.mark.django_db
def test_unreadable_filters_are_named_and_left_out() -> None:
    organisation = OrganisationFactory()
    UnitFactory(organisation=organisation, name="Only")
    table = _bind(organisation, "kind=castle&id-from=9&id-to=2&top=perhaps&inside=x")
    assert table.errors == {
        "kind": NOT_A_CHOICE.format(label="kind"),
        "id": NUMBERS_OUT_OF_ORDER.format(label="Number"),
        "top": NOT_A_CHOICE.format(label="top"),
        "inside": NOT_A_CHOICE.format(label="inside"),
    }
    assert table.values == {}
    assert table.count == 1


@pytest.mark.django_db
def test_a_tree_filter_keeps_every_node_below_even_with_a_cycle_in_the_data() -> None:
    organisation = OrganisationFactory()
    top = UnitFactory(organisation=organisation, name="Top")
    middle = UnitFactory(organisation=organisation, name="Middle", parent=top)
    bottom = UnitFactory(organisation=organisation, name="Bottom", parent=middle)
    UnitFactory(organisation=organisation, name="Elsewhere")
    table = _bind(organisation, f"inside={middle.pk}")
    assert sorted(u.name for u in table.rows) == ["Bottom", "Middle"]
    assert dict(table.table.filters[2].options(table))[str(bottom.pk)] == "Top / Middle / Bottom"
    # A parent loop (which the services refuse) must not hang the page.
    Unit.objects.filter(pk=top.pk).update(parent=bottom)
    looped = _bind(organisation, f"inside={top.pk}")
    assert sorted(u.name for u in looped.rows) == ["Bottom", "Middle", "Top"]


@pytest.mark.django_db
def test_links_drop_the_empty_values_a_submitted_filter_form_leaves() -> None:
    organisation = OrganisationFactory()
    table = _bind(organisation, "q=&kind=team&inside=&top=&id-from=&id-to=")
    assert table.url_with(sort="name", order="asc") == "?kind=team&sort=name&order=asc"
    assert table.clear_url == "?"


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        # As the MoJ date picker writes a date, as typed with leading zeros, and ISO 8601.
        ("31/3/2026", dt.date(2026, 3, 31)),
        ("31/03/2026", dt.date(2026, 3, 31)),
        ("2026-03-31", dt.date(2026, 3, 31)),
        (" 1/4/2025 ", dt.date(2025, 4, 1)),
        # Not a real date, or not read without a guess (which century, which order).
        ("31/02/2026", None),
        ("31/3/26", None),
        ("2026-02-30", None),
        ("3/31/2026", None),
        ("yesterday", None),
    ],
)
def test_a_date_filter_reads_what_the_date_picker_writes_and_never_guesses(typed, day) -> None:
    assert read_date(typed) == day


@pytest.mark.django_db
def test_download_these_rows_is_an_moj_button_menu_of_plain_links() -> None:
    organisation = OrganisationFactory()
    UnitFactory(organisation=organisation, name="Only", kind="team")
    html = render_to_string("kit/table.html", {"table": _bind(organisation, "kind=team")})
    menu = ".moj-action-bar .moj-button-menu.gt-downloads"
    assert attribute(html, menu, "data-module") == ["moj-button-menu"]
    assert attribute(html, menu, "data-button-text") == ["Download these rows"]
    # Without JavaScript, a secondary button (a link) for each format, of exactly these rows.
    items = f"{menu} > a.govuk-button.govuk-button--secondary.moj-button-menu__item[download]"
    assert select(html, items) == [
        "Download as Excel: the 1 unit",
        "Download as CSV: the 1 unit",
    ]
    assert attribute(html, items, "href") == [
        "?kind=team&download=xlsx",
        "?kind=team&download=csv",
    ]
    assert select_one(html, ".gt-result-count") == "1 unit"


def test_money_cells_show_pounds_and_unknown_money_as_a_dash() -> None:
    column = TableColumn("cost", "Cost", numeric=True, money=True)
    table: Any = None
    assert column.html(SimpleNamespace(cost=None), table) == "–"
    assert column.html(SimpleNamespace(cost=Decimal("30000.00")), table) == "£30,000"
    assert column.html(SimpleNamespace(cost=Decimal("-1234.5")), table) == "−£1,234.50"
