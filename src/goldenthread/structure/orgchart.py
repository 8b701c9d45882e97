"""The org chart: the open part of a snapshot's reporting lines, a few levels at a time.

A chart starts at the top of the snapshot, at one post, or at the top posts
of a unit, and holds the posts :data:`LEVELS` levels below them. Opening a box
asks the server for the next levels below that post only, so the page never
holds more than what is open, however many posts the snapshot has: each
level is one query, which reads at most :data:`REPORTS_SHOWN` reports of each
manager through the snapshot's manager index, and a response holds at most
:data:`BOXES` boxes.

Each post's layer and span are read as stored with it (ADR 0008), so the
chart needs none of the engine's figures in memory. Junior staff are no
boxes: they are the counts on the line of the post they report to.

The boxes are rendered here (:func:`boxes_html`), each text escaped by
``format_html``: a chart of 150 boxes through the template language took
several times as long, most of it in looking up variables.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from goldenthread.accounts.models import Organisation
from goldenthread.core.models import Unit
from goldenthread.formats.money import pounds

from .models import Post, Snapshot
from .selectors import post_register, unit_subtree_ids

#: Levels below a box that one opening shows.
LEVELS = 2
#: Reports of one manager shown in the chart; the rest are a count and a link.
REPORTS_SHOWN = 30
#: Top posts of a snapshot or unit shown at once.
TOP_SHOWN = 30
#: Boxes one response holds at most: a second level is opened only while it fits.
BOXES = 150

#: A layer not yet known.
NOT_KNOWN = "–"
#: The fields of a post a box shows.
BOX_FIELDS = (
    "pk",
    "position",
    "manager_position",
    "post_id",
    "title",
    "grade",
    "fte",
    "cost",
    "vacant",
    "junior_fte",
    "junior_cost",
    "junior_unknown_cost",
    "layer",
    "span",
)


@dataclass
class Box:
    """One post in the chart, with the reports that are open below it."""

    pk: int
    position: int
    manager_position: int | None
    post_id: str
    title: str
    grade: str
    fte: float
    cost: Decimal | None
    vacant: bool
    junior_fte: float
    junior_cost: Decimal
    junior_unknown_cost: int
    layer: int | None
    span: int | None
    #: The reports shown below it; ``None`` until its reports are opened.
    reports: list[Box] | None = None

    @property
    def reports_count(self) -> int:
        return self.span or 0

    @property
    def hidden_reports(self) -> int:
        """Reports left out of an open box (over :data:`REPORTS_SHOWN`)."""
        if self.reports is None:
            return 0
        return max(self.reports_count - len(self.reports), 0)

    @property
    def has_junior_staff(self) -> bool:
        return self.junior_fte > 0

    # The box's texts, made here once: a chart of 150 boxes renders quickly
    # when its template only places text.

    @property
    def title_text(self) -> str:
        return self.title or "Untitled post"

    @property
    def fte_text(self) -> str:
        return _number(self.fte, 2)

    @property
    def cost_text(self) -> str:
        return pounds(self.cost) + (" (not known)" if self.cost is None else "")

    @property
    def layer_text(self) -> str:
        return NOT_KNOWN if self.layer is None else str(self.layer)

    @property
    def span_text(self) -> str:
        return str(self.reports_count)

    @property
    def reports_text(self) -> str:
        """ "4 direct reports"."""
        count = self.reports_count
        return f"{count} direct report{'' if count == 1 else 's'}"

    @property
    def junior_text(self) -> str:
        """The junior staff below the post: "12.5 FTE, £310,000"."""
        return f"{_number(self.junior_fte, 1)} FTE, {pounds(self.junior_cost)}"


@dataclass
class Chart:
    """The posts a chart starts from, each with what is open below it."""

    tops: list[Box]
    #: Top posts left out (over :data:`TOP_SHOWN`).
    hidden_tops: int = 0
    #: The manager of a chart that starts at one post.
    manager: Box | None = None
    boxes: int = field(default=0)


def _number(value: float, places: int) -> str:
    """``value`` to at most ``places`` decimals, without trailing zeros: 1, 0.5, 11,016.5."""
    text = f"{value:,.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text


def _box(row: dict[str, Any]) -> Box:
    return Box(**row)


def _box_of(post: Post) -> Box:
    """The box of a post already read (its layer and span as stored when it was read)."""
    return Box(**{name: getattr(post, name) for name in BOX_FIELDS})


def _posts(snapshot: Snapshot, organisation: Organisation) -> QuerySet[Post]:
    return post_register(organisation=organisation, snapshot=snapshot)


def _reports_of(
    posts: QuerySet[Post], managers: Collection[int], limit: int = REPORTS_SHOWN
) -> list[dict[str, Any]]:
    """The first ``limit`` reports of each of ``managers`` (by position), in one query."""
    ranked = posts.filter(manager_position__in=list(managers)).annotate(
        rank=Window(RowNumber(), partition_by=F("manager_position"), order_by=F("position").asc())
    )
    return list(ranked.filter(rank__lte=limit).order_by("position").values(*BOX_FIELDS))


def _open(posts: QuerySet[Post], tops: Sequence[Box], levels: int = LEVELS) -> int:
    """Open ``levels`` levels below ``tops`` within :data:`BOXES`; return the boxes shown.

    A level is opened for a box only when all its shown reports fit, so an
    open box always shows all that it can; a box that did not fit stays
    closed, with its count of reports and a way to open it.
    """
    shown = len(tops)
    level = [box for box in tops if box.reports_count > 0]
    for _ in range(levels):
        if not level:
            break
        rows = _reports_of(posts, [box.position for box in level])
        by_manager: dict[int, list[Box]] = {}
        for row in rows:
            by_manager.setdefault(row["manager_position"], []).append(_box(row))
        following: list[Box] = []
        for box in level:
            reports = by_manager.get(box.position, [])
            if shown + len(reports) > BOXES:
                continue
            box.reports = reports
            shown += len(reports)
            following.extend(report for report in reports if report.reports_count > 0)
        level = following
    return shown


def chart_top(*, organisation: Organisation, snapshot: Snapshot) -> Chart:
    """The top posts of ``snapshot`` (reporting to no one) and the levels below them."""
    posts = _posts(snapshot, organisation)
    return _chart(posts, posts.filter(manager_position__isnull=True))


def chart_post(*, organisation: Organisation, snapshot: Snapshot, post: Post) -> Chart:
    """``post``, the levels below it, and its manager to go up to.

    ``post`` is read after the snapshot's layers and spans are stored.
    """
    posts = _posts(snapshot, organisation)
    top = _box_of(post)
    chart = Chart(tops=[top], boxes=_open(posts, [top]))
    if post.manager_position is not None:
        manager = posts.filter(position=post.manager_position).values(*BOX_FIELDS).first()
        chart.manager = _box(manager) if manager else None
    return chart


def chart_unit(*, organisation: Organisation, snapshot: Snapshot, unit: Unit) -> Chart:
    """The top posts of ``unit`` (and the units inside it), and the levels below them.

    A top post of a unit is one whose manager is not in the unit: the head of
    a service reports to a director elsewhere in the directorate.
    """
    posts = _posts(snapshot, organisation)
    inside = posts.filter(unit_id__in=unit_subtree_ids(organisation=organisation, unit=unit))
    # NOT EXISTS, which the database runs as an anti-join: a post with no
    # manager, or whose manager is outside the unit, heads it.
    heads = inside.filter(~Exists(inside.filter(position=OuterRef("manager_position"))))
    return _chart(posts, heads)


def chart_reports(*, organisation: Organisation, snapshot: Snapshot, post: Post) -> Box:
    """``post`` with the levels below it open: what opening its box adds to a chart."""
    posts = _posts(snapshot, organisation)
    box = _box_of(post)
    _open(posts, [box])
    return box


def _chart(posts: QuerySet[Post], heads: QuerySet[Post]) -> Chart:
    """The first :data:`TOP_SHOWN` of ``heads`` and the levels below them.

    The count of all the heads comes with the first rows, in the same query.
    """
    rows = list(
        heads.annotate(heads=Window(Count("pk")))
        .order_by("position")
        .values(*BOX_FIELDS, "heads")[:TOP_SHOWN]
    )
    total = rows[0].pop("heads") if rows else 0
    for row in rows[1:]:
        del row["heads"]
    tops = [_box(row) for row in rows]
    return Chart(tops=tops, hidden_tops=total - len(tops), boxes=_open(posts, tops))


#: A post's primary key in a reversed address, replaced by each box's own.
_SENTINEL = 987654321


@dataclass(frozen=True)
class Links:
    """The addresses a box links to, made once per page: ``(head, tail)`` around the post's key."""

    post: tuple[str, str]
    chart: tuple[str, str]
    reports: tuple[str, str]

    @classmethod
    def of(cls, org_slug: str, snapshot: Snapshot) -> Links:
        def around(name: str) -> tuple[str, str]:
            kwargs = {"org_slug": org_slug, "snapshot_id": snapshot.pk, "post_pk": _SENTINEL}
            head, _, tail = reverse(f"structure:{name}", kwargs=kwargs).rpartition(f"/{_SENTINEL}/")
            return f"{head}/", f"/{tail}"

        return cls(
            post=around("post_detail"),
            chart=around("org_chart_post"),
            reports=around("org_chart_reports"),
        )

    @staticmethod
    def to(pair: tuple[str, str], pk: int) -> str:
        return f"{pair[0]}{pk}{pair[1]}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def box_html(box: Box, links: Links) -> SafeString:
    """One box as a list item, with the boxes open below it inside."""
    title = box.title_text
    post_url = Links.to(links.post, box.pk)
    parts = [
        format_html(
            '<li class="gt-orgchart__item" id="chart-post-{}" data-gt-orgchart-box '
            'data-title="{}" data-post-id="{}" data-grade="{}" data-fte="{}" data-cost="{}" '
            'data-layer="{}" data-span="{}"{}{} data-reports-url="{}">',
            box.pk,
            title,
            box.post_id,
            box.grade,
            box.fte_text,
            box.cost_text,
            box.layer_text,
            box.span_text,
            mark_safe(" data-vacant") if box.vacant else "",
            format_html(
                ' data-junior="{}" data-junior-fte="{}" data-junior-cost="{}"',
                box.junior_text,
                _number(box.junior_fte, 1),
                pounds(box.junior_cost),
            )
            if box.has_junior_staff
            else "",
            Links.to(links.reports, box.pk),
        ),
        format_html(
            '<div class="gt-orgchart__card"><p class="govuk-body govuk-!-margin-bottom-1">'
            '<a class="govuk-link govuk-!-font-weight-bold gt-orgchart__title" href="{}">{}</a> '
            '<span class="gt-orgchart__id">({})</span>{}</p>',
            post_url,
            title,
            box.post_id,
            mark_safe(
                ' <strong class="govuk-tag govuk-tag--yellow gt-orgchart__vacant">Vacant</strong>'
            )
            if box.vacant
            else "",
        ),
        format_html(
            '<p class="govuk-body-s govuk-!-margin-bottom-1 gt-orgchart__facts">'
            "Grade {} · {} FTE · {} · layer {} · {}</p>",
            box.grade or "not given",
            box.fte_text,
            box.cost_text,
            box.layer_text,
            box.reports_text,
        ),
    ]
    if box.has_junior_staff:
        unknown = (
            f" ({box.junior_unknown_cost} without a known cost)" if box.junior_unknown_cost else ""
        )
        parts.append(
            format_html(
                '<p class="govuk-body-s govuk-!-margin-bottom-1 gt-orgchart__junior">'
                "Junior staff below this post: {}{}</p>",
                box.junior_text,
                unknown,
            )
        )
    if box.reports_count and box.reports is None:
        parts.append(
            format_html(
                '<p class="govuk-body-s govuk-!-margin-bottom-0">'
                '<a class="govuk-link gt-orgchart__open" href="{}">Show the {}'
                '<span class="govuk-visually-hidden"> of {}</span></a></p>',
                Links.to(links.chart, box.pk),
                box.reports_text,
                title,
            )
        )
    parts.append(mark_safe("</div>"))
    if box.reports:
        parts.append(
            format_html(
                '<ul class="gt-orgchart__list" id="chart-reports-{}">{}</ul>',
                box.pk,
                boxes_html(box.reports, links),
            )
        )
    if box.hidden_reports:
        parts.append(
            format_html(
                '<p class="govuk-body-s gt-orgchart__more" data-gt-more="{}">And {}: '
                '<a class="govuk-link" href="{}">see every direct report of {}</a></p>',
                box.hidden_reports,
                _plural(box.hidden_reports, "more direct report"),
                post_url,
                title,
            )
        )
    parts.append(mark_safe("</li>"))
    return mark_safe("".join(parts))


def boxes_html(boxes: Sequence[Box], links: Links) -> SafeString:
    """The list items of ``boxes``."""
    return mark_safe("".join(box_html(box, links) for box in boxes))
