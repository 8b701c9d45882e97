"""Register tables: filtered, sorted, paged on the server, and downloadable.

A module declares its table once, at import time::

    POSTS = Table(
        thing="post",
        things="posts",
        columns=[
            TableColumn("title", "Post", sort="title", cell=post_link),
            TableColumn("grade", "Grade", sort="grade"),
            TableColumn("cost", "Cost", sort=F("cost"), numeric=True, money=True),
        ],
        filters=[
            SearchFilter("q", "Search", fields=["title"], exact=["post_id", "grade"]),
            ChoiceFilter("grade", "Grade", field="grade", choices=grade_choices, multiple=True),
            BooleanFilter("vacant", "Vacant", field="vacant"),
        ],
        default_sort="title",
    )

and a view answers with :func:`table_page`::

    table = POSTS.bind(request, selectors.post_list(...), context={"snapshot": snapshot})
    return table_page(request, table, "structure/post_list.html", {...}, what="posts")

The request's query string is the whole state of the table, so a filtered,
sorted page can be bookmarked and shared: each filter reads its own
parameters, ``sort=<column>&order=asc|desc`` orders the rows and ``page=N``
picks the page. A value that cannot be read is dropped (and, for a filter, shown
as that filter's error): a register never answers 500 to a hand-edited URL.

Filtering and ordering are applied to the QuerySet, so the database does the
work; only the rows of the page are fetched. ``download=xlsx`` or
``download=csv`` answers every filtered row, in the same order.

A table's source need not be a QuerySet: anything with ``order_by(*terms)``,
``count()`` and slicing serves (the audit list pages through a union of history
tables), with each filter given an ``apply`` function that knows the source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Expression, F, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.tenancy import OrgRequest
from goldenthread.formats.money import pounds
from goldenthread.formats.writing import Cell, Sheet

from .columns import Columns
from .exports import csv_response, export_rows, workbook_response
from .pickers import SMALL_SET, search_url

__all__ = [
    "BAD_DATE",
    "BAD_NUMBER",
    "DATES_OUT_OF_ORDER",
    "NOT_A_CHOICE",
    "NUMBERS_OUT_OF_ORDER",
    "Band",
    "BandFilter",
    "BooleanFilter",
    "BoundTable",
    "ChoiceFilter",
    "DateRangeFilter",
    "Filter",
    "RangeFilter",
    "SearchFilter",
    "Table",
    "TableColumn",
    "TreeFilter",
    "page_links",
    "record_link",
    "table_page",
]

NOT_A_CHOICE = "Choose {label} from the list"
BAD_NUMBER = "{label} must be a whole number"
NUMBERS_OUT_OF_ORDER = "{label}: the first number must not be more than the second"
BAD_DATE = "{label} must be a real date, such as 27/3/2026"
DATES_OUT_OF_ORDER = "{label}: the first date must not be after the second"

#: The formats "Download these rows" offers.
DOWNLOAD_FORMATS = ("xlsx", "csv")
#: Rows fetched at a time when a download writes every filtered row.
DOWNLOAD_CHUNK = 2000
#: Parameters the table itself reads; a filter's key must not be one of them.
RESERVED = frozenset({"sort", "order", "page", "download"})


# --- columns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TableColumn:
    """One column of a register table.

    ``value(row)`` is the cell's plain value, written to downloads (a number,
    a date, Decimal money or text); by default the row's attribute ``key``.
    ``cell(row, table)`` is what the page shows, when that differs (a link, a
    tag): text is escaped, :func:`django.utils.html.format_html` output is not.
    ``sort`` is the ORM ordering that sorts by this column (a field name or an
    expression), or ``None`` when the column cannot be sorted. An expression
    sorts empty values last in both directions, on every database.
    """

    key: str
    label: str
    value: Callable[[Any], Any] | None = None
    cell: Callable[[Any, BoundTable], Any] | None = None
    sort: str | Expression | F | None = None
    numeric: bool = False
    #: Pounds: a money cell in downloads.
    money: bool = False
    #: Whether the column is in "Download these rows".
    download: bool = True
    #: Whether the page shows the column (``False``: in downloads only).
    show: bool = True

    def plain(self, row: Any, table: BoundTable) -> Any:
        """The value downloads hold: ``value(row)``, the attribute, or the cell's text."""
        if self.value is not None:
            return self.value(row)
        if self.cell is not None and not hasattr(row, self.key):
            return strip_tags(str(self.cell(row, table)))
        return getattr(row, self.key)

    def html(self, row: Any, table: BoundTable) -> SafeString:
        shown = self.cell(row, table) if self.cell is not None else self.plain(row, table)
        if self.money and (shown is None or isinstance(shown, Decimal)):
            # Money looks the same on every page, and unknown money is never £0.
            return conditional_escape(pounds(shown))
        if shown is None:
            return SafeString("")
        if isinstance(shown, bool):
            shown = "Yes" if shown else "No"
        elif isinstance(shown, float):
            shown = f"{shown:,.2f}".rstrip("0").rstrip(".")
        elif isinstance(shown, int):
            shown = f"{shown:,}"
        elif isinstance(shown, dt.datetime):
            local = timezone.localtime(shown) if timezone.is_aware(shown) else shown
            shown = date_format(local, "DATETIME_FORMAT")
        elif isinstance(shown, dt.date):
            shown = date_format(shown)
        return conditional_escape(shown)


# --- filters ---------------------------------------------------------------------------

Choices = Sequence[tuple[Any, str]]
ChoicesFrom = Choices | Callable[["BoundTable"], Iterable[tuple[Any, str]]]


@dataclass
class Filter:
    """A filter reads its parameters, narrows the rows and names what it kept.

    Subclasses define :meth:`read` (the parameters → a value, or a problem) and
    :meth:`narrow`; ``apply`` replaces :meth:`narrow` for a source that is not
    a QuerySet, or for a filter that is not on one field.
    """

    key: str
    label: str
    field: str = ""
    apply: Callable[[Any, Any], Any] | None = None
    #: Which of ``kit/filters/*.html`` shows the filter's inputs; set by each kind.
    template = ""

    def __post_init__(self) -> None:
        if self.key in RESERVED:
            raise ValueError(f"the filter key {self.key!r} is reserved")

    @property
    def params(self) -> tuple[str, ...]:
        """The query-string parameters this filter reads."""
        return (self.key,)

    def read(self, query: QueryDict, table: BoundTable) -> tuple[Any, str]:
        """``(value, problem)``: ``value`` is ``None`` when the filter is not in use."""
        raise NotImplementedError

    def narrow(self, rows: Any, value: Any) -> Any:
        raise NotImplementedError

    def filter(self, rows: Any, value: Any) -> Any:
        if self.apply is not None:
            return self.apply(rows, value)
        return self.narrow(rows, value)

    def tags(self, value: Any, table: BoundTable) -> list[tuple[str, str]]:
        """``(text, href)`` of each selected value, the href removing only it."""
        return [(self.describe(value, table), table.url_without(*self.params))]

    def describe(self, value: Any, table: BoundTable) -> str:
        return str(value)

    def inputs(self, query: QueryDict, table: BoundTable) -> dict[str, Any]:
        """What the filter panel shows for this filter."""
        return {"value": query.get(self.key, "")}


def _choices(choices: ChoicesFrom, table: BoundTable) -> list[tuple[str, str]]:
    found = choices(table) if callable(choices) else choices
    return [(str(value), str(label)) for value, label in found]


@dataclass
class ChoiceFilter(Filter):
    """One value (a select), or several (checkboxes), from a list of choices."""

    choices: ChoicesFrom = ()
    multiple: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        self.template = "checkboxes" if self.multiple else "select"

    def options(self, table: BoundTable) -> list[tuple[str, str]]:
        options: list[tuple[str, str]] = table.memo(
            ("choices", self.key), lambda: _choices(self.choices, table)
        )
        return options

    def read(self, query: QueryDict, table: BoundTable) -> tuple[Any, str]:
        given = [v for v in query.getlist(self.key) if v != ""]
        if not given:
            return None, ""
        labels = dict(self.options(table))
        known = [v for v in dict.fromkeys(given) if v in labels]
        problem = (
            "" if len(known) == len(set(given)) else NOT_A_CHOICE.format(label=self.label.lower())
        )
        if not known:
            return None, problem
        return (known if self.multiple else known[0]), problem

    def narrow(self, rows: Any, value: Any) -> Any:
        if self.multiple:
            return rows.filter(**{f"{self.field}__in": value})
        return rows.filter(**{self.field: value})

    def tags(self, value: Any, table: BoundTable) -> list[tuple[str, str]]:
        labels = dict(self.options(table))
        if not self.multiple:
            return [(labels[value], table.url_without(self.key))]
        return [(labels[v], table.url_without_value(self.key, v)) for v in value]

    def inputs(self, query: QueryDict, table: BoundTable) -> dict[str, Any]:
        chosen = set(query.getlist(self.key))
        return {
            "options": [
                {"value": v, "label": label, "checked": v in chosen}
                for v, label in self.options(table)
            ]
        }


@dataclass
class TreeFilter(ChoiceFilter):
    """A node of a tree (a unit) and every node below it.

    ``nodes(table)`` gives ``(pk, parent_pk, name)`` for every node, in one
    query; the filter offers each by its full path ("People / Adult social
    care"), so two units of the same name are told apart, and keeps the rows
    whose ``field`` is the chosen node or any node below it.
    """

    nodes: Callable[[BoundTable], Iterable[tuple[int, int | None, str]]] | None = None
    #: The picker source (kit/pickers.py) that searches the nodes: above
    #: :data:`~goldenthread.kit.pickers.SMALL_SET` nodes the filter is a search
    #: box on it instead of a select, so the page does not grow with the tree.
    picker: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.choices = self._paths
        self.template = "select"

    def inputs(self, query: QueryDict, table: BoundTable) -> dict[str, Any]:
        paths, _children = self.tree(table)
        if not self.picker or len(paths) <= SMALL_SET:
            return super().inputs(query, table)
        value = table.values.get(self.key)
        chosen = str(value[0]) if value is not None else ""
        return {
            "template": "kit/filters/picker.html",
            "url": search_url(table.organisation, self.picker),
            "value": chosen or query.get(self.key, ""),
            "chosen_label": paths.get(int(chosen), "") if chosen else "",
        }

    def tree(self, table: BoundTable) -> tuple[dict[int, str], dict[int | None, list[int]]]:
        def build() -> tuple[dict[int, str], dict[int | None, list[int]]]:
            assert self.nodes is not None
            names: dict[int, tuple[str, int | None]] = {}
            children: dict[int | None, list[int]] = {}
            for pk, parent, name in self.nodes(table):
                names[pk] = (name, parent)
                children.setdefault(parent, []).append(pk)
            return {pk: _path(pk, names) for pk in names}, children

        return table.memo(("tree", self.key), build)  # type: ignore[no-any-return]

    def _paths(self, table: BoundTable) -> list[tuple[int, str]]:
        paths, _children = self.tree(table)
        return sorted(paths.items(), key=lambda item: item[1].lower())

    def below(self, table: BoundTable, pk: int) -> list[int]:
        """``pk`` and every node below it."""
        _paths, children = self.tree(table)
        found, stack = [pk], list(children.get(pk, []))
        seen = {pk}
        while stack:
            node = stack.pop()
            if node in seen:  # a cycle must not hang the page
                continue
            seen.add(node)
            found.append(node)
            stack.extend(children.get(node, []))
        return found

    def read(self, query: QueryDict, table: BoundTable) -> tuple[Any, str]:
        value, problem = super().read(query, table)
        if value is None and problem:
            # A path or name typed into the search box without JavaScript.
            typed = query.get(self.key, "").strip().lower()
            paths, _children = self.tree(table)
            found = [pk for pk, path in paths.items() if typed in (path.lower(), _leaf(path))]
            if len(found) == 1:
                value, problem = str(found[0]), ""
        if value is None:
            return None, problem
        return (value, self.below(table, int(value))), problem

    def narrow(self, rows: Any, value: Any) -> Any:
        return rows.filter(**{f"{self.field}__in": value[1]})

    def tags(self, value: Any, table: BoundTable) -> list[tuple[str, str]]:
        label = dict(self.options(table))[value[0]]
        return [(f"{label} and the units inside", table.url_without(self.key))]


def _leaf(path: str) -> str:
    return path.rsplit(" / ", 1)[-1].lower()


def _path(pk: int, names: dict[int, tuple[str, int | None]]) -> str:
    parts: list[str] = []
    cursor: int | None = pk
    seen: set[int] = set()
    while cursor is not None and cursor in names and cursor not in seen:
        seen.add(cursor)
        name, cursor = names[cursor]
        parts.append(name)
    return " / ".join(reversed(parts))


@dataclass
class SearchFilter(Filter):
    """Words anywhere in some fields (``fields``) or the whole of others (``exact``)."""

    fields: Sequence[str] = ()
    exact: Sequence[str] = ()
    hint: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.template = "search"

    def read(self, query: QueryDict, table: BoundTable) -> tuple[Any, str]:
        text = " ".join(query.get(self.key, "").split())[:200]
        return (text or None), ""

    def narrow(self, rows: Any, value: Any) -> Any:
        found = Q()
        for name in self.fields:
            found |= Q(**{f"{name}__icontains": value})
        for name in self.exact:
            found |= Q(**{f"{name}__iexact": value})
        return rows.filter(found)

    def describe(self, value: Any, table: BoundTable) -> str:
        return f"\u201c{value}\u201d"

    def inputs(self, query: QueryDict, table: BoundTable) -> dict[str, Any]:
        return {"value": " ".join(query.get(self.key, "").split())[:200], "hint": self.hint}


@dataclass
class BooleanFilter(Filter):
    """Yes or no. ``yes`` narrows to the rows that are; by default ``field=True``."""

    yes: Q | None = None
    yes_label: str = "Yes"
    no_label: str = "No"

    def __post_init__(self) -> None:
        super().__post_init__()
        self.template = "radios"

    def read(self, query: QueryDict, table: BoundTable) -> tuple[Any, str]:
        given = query.get(self.key, "")
        if given in ("", "any"):
            return None, ""
        if given not in ("yes", "no"):
            return None, NOT_A_CHOICE.format(label=self.label.lower())
        return given == "yes", ""

    def narrow(self, rows: Any, value: Any) -> Any:
        condition = self.yes if self.yes is not None else Q(**{self.field: True})
        return rows.filter(condition) if value else rows.exclude(condition)

    def describe(self, value: Any, table: BoundTable) -> str:
        return self.yes_label if value else self.no_label

    def inputs(self, query: QueryDict, table: BoundTable) -> dict[str, Any]:
        chosen = query.get(self.key, "")
        return {
            "options": [
                {"value": "", "label": "Any", "checked": chosen not in ("yes", "no")},
                {"value": "yes", "label": self.yes_label, "checked": chosen == "yes"},
                {"value": "no", "label": self.no_label, "checked": chosen == "no"},
            ]
        }


_WHOLE = re.compile(r"-?\d{1,9}")


@dataclass
class RangeFilter(Filter):
    """A whole number from ``<key>-from`` to ``<key>-to``, either end open."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.template = "range"

    @property
    def params(self) -> tuple[str, ...]:
        return (f"{self.key}-from", f"{self.key}-to")

    def _end(self, query: QueryDict, name: str) -> tuple[int | None, bool]:
        given = query.get(name, "").strip().replace(",", "")
        if not given:
            return None, True
        if not _WHOLE.fullmatch(given):
            return None, False
        return int(given), True

    def read(self, query: QueryDict, table: BoundTable) -> tuple[Any, str]:
        low, low_ok = self._end(query, self.params[0])
        high, high_ok = self._end(query, self.params[1])
        if not (low_ok and high_ok):
            return None, BAD_NUMBER.format(label=self.label)
        if low is None and high is None:
            return None, ""
        if low is not None and high is not None and low > high:
            return None, NUMBERS_OUT_OF_ORDER.format(label=self.label)
        return (low, high), ""

    def narrow(self, rows: Any, value: Any) -> Any:
        low, high = value
        if low is not None:
            rows = rows.filter(**{f"{self.field}__gte": low})
        if high is not None:
            rows = rows.filter(**{f"{self.field}__lte": high})
        return rows

    def describe(self, value: Any, table: BoundTable) -> str:
        low, high = value
        if high is None:
            return f"{low:,} or more"
        if low is None:
            return f"{high:,} or fewer"
        return f"{low:,} to {high:,}"

    def inputs(self, query: QueryDict, table: BoundTable) -> dict[str, Any]:
        return {"low": query.get(self.params[0], ""), "high": query.get(self.params[1], "")}


@dataclass(frozen=True)
class Band:
    """A named band of whole numbers, ``high`` ``None`` for no top."""

    value: str
    label: str
    low: int
    high: int | None


@dataclass
class BandFilter(ChoiceFilter):
    """One or more bands of a number: spans of 0, 1–2, 3–5, 6–10, 11 or more."""

    bands: Sequence[Band] = ()

    def __post_init__(self) -> None:
        self.choices = [(band.value, band.label) for band in self.bands]
        self.multiple = True
        super().__post_init__()

    def narrow(self, rows: Any, value: Any) -> Any:
        wanted = Q()
        for band in self.bands:
            if band.value in value:
                inside = Q(**{f"{self.field}__gte": band.low})
                if band.high is not None:
                    inside &= Q(**{f"{self.field}__lte": band.high})
                wanted |= inside
        return rows.filter(wanted)


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def read_date(text: str) -> dt.date | None:
    """A date written 27/3/2026 or 2026-03-27; ``None`` if it is not a real date.

    >>> read_date("27/3/2026"), read_date("2026-03-27"), read_date("31/2/2026")
    (datetime.date(2026, 3, 27), datetime.date(2026, 3, 27), None)
    """
    text = text.strip()
    try:
        if found := _DAY_MONTH_YEAR.fullmatch(text):
            day, month, year = (int(part) for part in found.groups())
            return dt.date(year, month, day)
        if found := _ISO.fullmatch(text):
            year, month, day = (int(part) for part in found.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


@dataclass
class DateRangeFilter(Filter):
    """From ``<key>-from`` to ``<key>-to``, both days included, either end open.

    On a date-and-time field the range runs from the start of the first day to
    the end of the last, so an index on the field still serves it.
    """

    with_time: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        self.template = "dates"

    @property
    def params(self) -> tuple[str, ...]:
        return (f"{self.key}-from", f"{self.key}-to")

    def read(self, query: QueryDict, table: BoundTable) -> tuple[Any, str]:
        ends = []
        for name in self.params:
            given = query.get(name, "").strip()
            day = read_date(given) if given else None
            if given and day is None:
                return None, BAD_DATE.format(label=self.label)
            ends.append(day)
        start, end = ends
        if start is None and end is None:
            return None, ""
        if start is not None and end is not None and start > end:
            return None, DATES_OUT_OF_ORDER.format(label=self.label)
        return (start, end), ""

    def bounds(self, value: Any) -> tuple[Any, Any]:
        """The range as ``(first, after)``: ``first <= x < after``, either ``None``."""
        start, end = value
        after = end + dt.timedelta(days=1) if end is not None else None
        if not self.with_time:
            return start, after
        from django.utils import timezone

        def moment(day: dt.date | None) -> dt.datetime | None:
            if day is None:
                return None
            return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

        return moment(start), moment(after)

    def narrow(self, rows: Any, value: Any) -> Any:
        first, after = self.bounds(value)
        if first is not None:
            rows = rows.filter(**{f"{self.field}__gte": first})
        if after is not None:
            rows = rows.filter(**{f"{self.field}__lt": after})
        return rows

    def describe(self, value: Any, table: BoundTable) -> str:
        start, end = value

        def day(d: dt.date) -> str:
            return f"{d.day} {d:%B %Y}"

        if end is None:
            return f"From {day(start)}"
        if start is None:
            return f"Up to {day(end)}"
        return f"{day(start)} to {day(end)}"

    def inputs(self, query: QueryDict, table: BoundTable) -> dict[str, Any]:
        return {"low": query.get(self.params[0], ""), "high": query.get(self.params[1], "")}


# --- the table -------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A register's table, declared once: its columns, filters, sort and page size."""

    thing: str
    things: str
    columns: Sequence[TableColumn]
    filters: Sequence[Filter] = ()
    #: The column key the rows are sorted by when the URL names none.
    default_sort: str = ""
    default_order: str = "asc"
    #: Ordering when the default column is not enough, or when there is none.
    default_ordering: Sequence[str] = ()
    #: Always last in the ordering, so paging is stable among equal values.
    tiebreak: str = "pk"
    page_size: int = 50
    #: Label of the table's landmark and caption ("Posts").
    caption: str = ""
    #: ``prepare(rows, table)`` is given each batch of rows (a page, or a chunk
    #: of a download) before they are shown, to fetch what the cells need for
    #: all of them in one query rather than one per row.
    prepare: Callable[[list[Any], BoundTable], None] | None = None
    #: The register's declared columns (:mod:`.columns`), when it has an
    #: import: "Download these rows" then writes them in that layout, typed,
    #: so the file can be changed and imported again as it is.
    export: Columns | None = None
    #: ``row_class(row)``: classes added to a row's ``<tr>`` (an action from
    #: another plan is shown greyed, for one), or ``""``.
    row_class: Callable[[Any], str] | None = None

    def __post_init__(self) -> None:
        keys = [column.key for column in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"column keys repeat: {keys}")
        params = [p for f in self.filters for p in f.params]
        if len(set(params)) != len(params):
            raise ValueError(f"filter parameters repeat: {params}")
        if self.default_sort and self.column(self.default_sort) is None:
            raise ValueError(f"no column {self.default_sort!r} to sort by")

    def column(self, key: str) -> TableColumn | None:
        for column in self.columns:
            if column.key == key:
                return column
        return None

    def bind(
        self, request: OrgRequest, rows: Any, *, context: dict[str, Any] | None = None
    ) -> BoundTable:
        """The table for this request: its filters read, its rows filtered and sorted."""
        return BoundTable(self, request, rows, dict(context or {}))


class BoundTable:
    """A :class:`Table` for one request; what the templates and downloads read."""

    def __init__(
        self, table: Table, request: OrgRequest, rows: Any, context: dict[str, Any]
    ) -> None:
        self.table = table
        self.request = request
        self.organisation: Organisation = request.organisation
        self.context = context
        self.base = rows
        self.query = request.GET
        self._memo: dict[Any, Any] = {}
        self.values: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        for item in table.filters:
            value, problem = item.read(self.query, self)
            if problem:
                self.errors[item.key] = problem
            if value is not None:
                self.values[item.key] = value
        self.sort, self.order = self._sorting()
        self.rows = self._ordered(self._filtered(rows))
        self._page: Page[Any] | None = None

    # --- state read from the request ---

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per request (choices, trees)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def _sorting(self) -> tuple[str, str]:
        table = self.table
        wanted = self.query.get("sort", "")
        column = table.column(wanted)
        if column is None or column.sort is None:
            wanted = table.default_sort
        order = self.query.get("order", "")
        if order not in ("asc", "desc"):
            order = table.default_order if wanted == table.default_sort else "asc"
        return wanted, order

    def _filtered(self, rows: Any) -> Any:
        for item in self.table.filters:
            if item.key in self.values:
                rows = item.filter(rows, self.values[item.key])
        return rows

    def _ordered(self, rows: Any) -> Any:
        descending = self.order == "desc"
        terms: list[Any] = []
        column = self.table.column(self.sort) if self.sort else None
        if column is not None and column.sort is not None:
            terms.append(_term(column.sort, descending))
        if not terms or self.sort == self.table.default_sort:
            terms.extend(_term(key, descending) for key in self.table.default_ordering)
        if self.table.tiebreak:
            terms.append(_term(self.table.tiebreak, descending))
        return rows.order_by(*terms)

    # --- what the page shows ---

    @property
    def page(self) -> Page[Any]:
        if self._page is None:
            paginator = Paginator(self.rows, self.table.page_size)
            page = paginator.get_page(self.query.get("page"))
            page.object_list = self._prepared(list(page.object_list))
            self._page = page
        return self._page

    def _prepared(self, rows: list[Any]) -> list[Any]:
        if self.table.prepare is not None and rows:
            self.table.prepare(rows, self)
        return rows

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def result_count(self) -> str:
        """ "1,234 posts"."""
        n = self.count
        return f"{n:,} {self.table.thing if n == 1 else self.table.things}"

    @property
    def body(self) -> list[list[tuple[SafeString, bool]]]:
        """The page's rows: each cell's HTML and whether it is numeric."""
        body: list[list[tuple[SafeString, bool]]] = self.memo(
            "body",
            lambda: [
                [(column.html(row, self), column.numeric) for column in self.shown]
                for row in self.page.object_list
            ],
        )
        return body

    @property
    def row_classes(self) -> list[tuple[str, list[tuple[SafeString, bool]]]]:
        """The page's rows as :attr:`body` gives them, each with its ``<tr>``'s extra classes."""
        rows = self.page.object_list
        classes = [self.table.row_class(row) if self.table.row_class else "" for row in rows]
        return list(zip(classes, self.body, strict=True))

    @property
    def shown(self) -> list[TableColumn]:
        return [column for column in self.table.columns if column.show]

    @property
    def head(self) -> list[dict[str, Any]]:
        headers = []
        for column in self.shown:
            header: dict[str, Any] = {"label": column.label, "numeric": column.numeric}
            if column.sort is not None:
                current = column.key == self.sort
                ascending = self.order == "asc"
                header["aria_sort"] = (
                    ("ascending" if ascending else "descending") if current else "none"
                )
                next_order = "desc" if current and ascending else "asc"
                header["href"] = self.url_with(sort=column.key, order=next_order, page=None)
                header["next"] = "descending" if next_order == "desc" else "ascending"
            headers.append(header)
        return headers

    @property
    def panel(self) -> list[dict[str, Any]]:
        """Each filter as the panel shows it: its kind, inputs and any problem."""
        return [
            {
                "key": item.key,
                "label": item.label,
                "template": f"kit/filters/{item.template}.html",
                "params": item.params,
                "error": self.errors.get(item.key, ""),
                **item.inputs(self.query, self),
            }
            for item in self.table.filters
        ]

    @property
    def selected(self) -> list[dict[str, Any]]:
        """The filters in use, each with tags that remove one value."""
        return [
            {"label": item.label, "tags": item.tags(self.values[item.key], self)}
            for item in self.table.filters
            if item.key in self.values
        ]

    @property
    def clear_url(self) -> str:
        return self.url_without(*(p for item in self.table.filters for p in item.params))

    @property
    def hidden(self) -> list[tuple[str, str]]:
        """Parameters the filter form carries over unchanged: the sort."""
        kept = []
        for name in ("sort", "order"):
            if name in self.query:
                kept.append((name, self.query[name]))
        return kept

    def pagination(self) -> dict[str, Any]:
        """The GOV.UK pagination component's items: numbers with ellipses between."""
        return page_links(self.page, lambda number: self.url_with(page=number))

    def downloads(self) -> list[tuple[str, str]]:
        return [
            (fmt.upper() if fmt == "csv" else "Excel", self.url_with(download=fmt, page=None))
            for fmt in DOWNLOAD_FORMATS
        ]

    # --- URLs that keep the other parameters ---

    def url_with(self, **changes: Any) -> str:
        query = self.query.copy()
        query.pop("download", None)
        for name, value in changes.items():
            query.pop(name, None)
            if value is not None:
                query[name] = str(value)
        return _href(query)

    def url_without(self, *names: str) -> str:
        query = self.query.copy()
        for name in (*names, "page", "download"):
            query.pop(name, None)
        return _href(query)

    def url_without_value(self, name: str, value: str) -> str:
        query = self.query.copy()
        for gone in ("page", "download"):
            query.pop(gone, None)
        query.setlist(name, [v for v in query.getlist(name) if v != value])
        return _href(query)

    def url(self, name: str, **kwargs: Any) -> str:
        """``reverse(name)`` inside this request's organisation, for cells that link."""
        slug = self.organisation.slug
        return reverse(name, kwargs={"org_slug": slug, **kwargs} if slug else kwargs)

    # --- downloads ---

    @property
    def download_format(self) -> str:
        fmt = self.query.get("download", "")
        return fmt if fmt in DOWNLOAD_FORMATS else ""

    def every_row(self) -> Iterator[Any]:
        """Every filtered row in order, fetched a chunk at a time."""
        iterate = getattr(self.rows, "iterator", None)
        if iterate is not None:
            batch: list[Any] = []
            for row in iterate(chunk_size=DOWNLOAD_CHUNK):
                batch.append(row)
                if len(batch) == DOWNLOAD_CHUNK:
                    yield from self._prepared(batch)
                    batch = []
            yield from self._prepared(batch)
            return
        start = 0
        while True:
            chunk = list(self.rows[start : start + DOWNLOAD_CHUNK])
            yield from self._prepared(chunk)
            if len(chunk) < DOWNLOAD_CHUNK:
                return
            start += DOWNLOAD_CHUNK

    def download(self, *, what: str, as_of: dt.date | None = None) -> HttpResponse:
        """Every filtered row, in order, as the file ``download=`` asks for.

        The file is named for ``as_of`` (a snapshot's date), or for today: a
        register's rows are as they stand when they are downloaded.
        """
        if as_of is None:
            as_of = timezone.localdate()
        declared = self.table.export
        if declared is not None:
            header: list[str] = list(declared.names)
            rows: Iterable[Sequence[Any]] = export_rows(declared, self.every_row())
            money: frozenset[int] = frozenset()
        else:
            columns = [column for column in self.table.columns if column.download]
            header = [column.label for column in columns]
            rows = ([column.plain(row, self) for column in columns] for row in self.every_row())
            money = frozenset(i for i, column in enumerate(columns) if column.money)
        if self.download_format == "csv":
            return csv_response(self.request, header=header, rows=rows, what=what, as_of=as_of)
        # The About sheet says which filters and order chose these rows.
        notes: list[tuple[str, Cell]] = [
            (f"Filter: {chosen['label']}", "; ".join(tag for tag, _href in chosen["tags"]))
            for chosen in self.selected
        ]
        notes.append(("Rows", f"{self.count:,}"))
        sheet = Sheet(what[:1].upper() + what[1:], header, rows, money)
        return workbook_response(self.request, sheets=[sheet], what=what, as_of=as_of, notes=notes)


def record_link(url_name: str, id_argument: str, text: str) -> Callable[[Any, BoundTable], Any]:
    """A cell linking to the row's own page: its ``text`` attribute, escaped.

    ``record_link("core:unit_detail", "unit_id", "name")`` links a unit's name
    to ``core:unit_detail`` with ``unit_id`` the row's id.
    """

    def cell(row: Any, table: BoundTable) -> Any:
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            table.url(url_name, **{id_argument: row.pk}),
            getattr(row, text),
        )

    return cell


def _term(key: str | Expression | F, descending: bool) -> Any:
    if isinstance(key, str):
        if key.startswith("-"):  # a key that runs the other way
            key, descending = key[1:], not descending
        return f"-{key}" if descending else key
    return key.desc(nulls_last=True) if descending else key.asc(nulls_last=True)


def page_links(page: Page[Any], href: Callable[[int], str]) -> dict[str, Any]:
    """The GOV.UK pagination component's items for ``page``: numbers with ellipses between.

    ``href(number)`` is the address of page ``number``. Empty when there is one page.
    """
    last = page.paginator.num_pages
    if last <= 1:
        return {}
    shown = sorted(
        {1, last, page.number - 1, page.number, page.number + 1} & set(range(1, last + 1))
    )
    items: list[dict[str, Any]] = []
    previous = 0
    for number in shown:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page.number})
        previous = number
    return {
        "items": items,
        "previous": href(page.number - 1) if page.has_previous() else "",
        "next": href(page.number + 1) if page.has_next() else "",
        "first": page.start_index(),
        "last": page.end_index(),
    }


def _href(query: QueryDict) -> str:
    """``?`` and the query, without the empty values a submitted filter form leaves."""
    query = query.copy()
    for name in list(query):
        kept = [value for value in query.getlist(name) if value != ""]
        if kept:
            query.setlist(name, kept)
        else:
            del query[name]
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def table_page(
    request: HttpRequest,
    table: BoundTable,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    what: str,
    as_of: dt.date | None = None,
) -> HttpResponse:
    """The register page, or its filtered rows as a file when the URL asks for one."""
    if table.download_format:
        return table.download(what=what, as_of=as_of)
    return render(request, template, {"table": table, **(context or {})})
