"""Export, import, compare: no change and £0, for generated structures and every export.

A structure is generated as a snapshot stores it (money in pence, with or
without real post IDs, with or without junior staff), written by each export
of :mod:`goldenthread.structure.exports`, read back the way an upload is
(layout detected, an exported workbook mapped by its own column names),
stored again, and compared with the original the way the comparison page
compares two snapshots.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goldenthread.analysis.diff import StructureDiff, diff_structures, pairing
from goldenthread.analysis.rules import DEFAULT_RULES
from goldenthread.analysis.structure import Structure, post_metrics, summarise
from goldenthread.formats.lga import MATCHED_BY_TITLE, match_key
from goldenthread.formats.posts import build_structure
from goldenthread.formats.values import TOP_MARKERS, clean_text
from goldenthread.structure import exports
from goldenthread.structure.engine import (
    detect,
    header,
    pounds_or_none,
    read_upload,
    structure_from_rows,
)
from goldenthread.structure.selectors import Figures

PENCE = Decimal("0.01")
TEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.'\"&()=+-@£é"
ID_TEXT = "0123456789ABCDEFGHJKLMNPQRSTUVWZ-"


def _kept(text: str) -> bool:
    """Text a reader keeps as it is: trimmed, and not a token meaning blank."""
    return text == text.strip() and clean_text(pl.Series([text])).to_list() == [text]


words = st.text(TEXT, min_size=1, max_size=18).filter(_kept)
maybe_words = st.one_of(st.just(""), words)
unit_part = st.text(TEXT.replace(" ", ""), min_size=1, max_size=12).filter(_kept)
post_ids = st.text(ID_TEXT, min_size=1, max_size=9).filter(
    lambda t: _kept(t) and t != "0" and t.upper() not in TOP_MARKERS
)


@st.composite
def stored_rows(draw) -> tuple[list[tuple[object, ...]], str]:
    """A snapshot's posts as stored (ENGINE_COLUMNS), and how its posts pair."""
    n = draw(st.integers(1, 20))
    with_ids = draw(st.booleans())
    if with_ids:
        ids = draw(st.lists(post_ids, min_size=n, max_size=n, unique=True))
    else:
        ids = [f"row-{i + 2}" for i in range(n)]
    with_junior = draw(st.booleans())
    rows = []
    for i in range(n):
        parent = -1 if i == 0 else draw(st.integers(-1, i - 1))
        title, grade = draw(maybe_words), draw(maybe_words)
        unit = " / ".join(draw(st.lists(unit_part, max_size=3)))
        fte = draw(st.integers(1, 150)) / 100
        pence = draw(st.one_of(st.none(), st.integers(1, 999_000_000)))
        cost = None if pence is None else Decimal(pence) * PENCE
        junior_fte, junior_cost, unknown = 0.0, Decimal("0.00"), 0
        if with_junior and draw(st.booleans()):
            junior_fte = draw(st.integers(0, 5_000_000)) / 100
            unknown = draw(st.integers(0, 3))
            if junior_fte > 0 and draw(st.booleans()):
                # At most £1,000,000 a head, so each payscale written is in range.
                most = min(10_000_000_000, max(1, int(junior_fte * 100_000_000)))
                junior_cost = Decimal(draw(st.integers(1, most))) * PENCE
            elif junior_fte > 0:
                unknown = max(unknown, 1)  # staff with no known pay
        parts = unit.split(" / ")
        key = match_key(title, parts[0], " / ".join(parts[1:]) or None)
        rows.append(
            (
                i,
                None if parent < 0 else parent,
                ids[i],
                title,
                grade,
                unit,
                fte,
                cost,
                junior_fte,
                junior_cost,
                unknown,
                draw(st.booleans()),
                draw(st.booleans()),
                key,
            )
        )
    return rows, "post ID" if with_ids else MATCHED_BY_TITLE


def _figures(structure: Structure) -> Figures:
    metrics = post_metrics(structure)
    return Figures(
        structure=structure,
        positions=np.arange(len(structure)),
        metrics=metrics,
        summary=summarise(structure, DEFAULT_RULES, metrics=metrics),
        rules=DEFAULT_RULES,
    )


def _stored(structure: Structure) -> list[tuple[object, ...]]:
    """The rows a snapshot made from ``structure`` stores (money to the penny)."""
    s = structure
    ids, titles = s.post_id.to_list(), s.title.to_list()
    grades, units = s.grade.to_list(), s.unit.to_list()
    keys = s.match_key.to_list() if s.match_key is not None else ids
    return [
        (
            i,
            int(s.parent[i]) if s.parent[i] >= 0 else None,
            ids[i],
            titles[i] or "",
            grades[i] or "",
            (units[i] or "").strip(),
            float(s.fte[i]),
            pounds_or_none(float(s.cost[i])),
            float(s.junior_fte[i]),
            pounds_or_none(float(s.junior_cost[i])) or Decimal(0),
            int(s.junior_unknown_cost[i]),
            bool(s.vacant[i]),
            bool(s.agency[i]),
            keys[i] or "",
        )
        for i in range(len(s))
    ]


def _upload(
    filename: str, data: bytes, junior: tuple[str, bytes] | None = None
) -> tuple[Structure, str]:
    """The file read as an upload is: its layout detected, an export mapped by its columns."""
    fmt = "organogram" if junior else detect(filename, data)
    mapping = exports.export_mapping(header(filename, data)) if fmt == "table" else None
    if fmt == "table":
        assert mapping is not None, "an exported workbook is recognised"
    table = read_upload(
        fmt=fmt,
        filename=filename,
        data=data,
        junior_filename=junior[0] if junior else "",
        junior_data=junior[1] if junior else None,
        mapping=mapping,
    )
    result = build_structure(table)
    return result.structure, result.matched_by


def round_trip(rows, matched_by: str, fmt: str) -> StructureDiff:
    original, _ = structure_from_rows(rows, matched_by=matched_by)
    figures = _figures(original)
    if fmt == "xlsx":
        read, read_by = _upload("export.xlsx", exports.snapshot_xlsx(figures, "Export"))
    elif fmt == "organogram":
        senior = exports.organogram_senior(figures)
        read, read_by = _upload(
            "senior.csv", senior, junior=("junior.csv", exports.organogram_junior(figures))
        )
    else:
        read, read_by = _upload("transparency.csv", exports.transparency(figures, tiers=None))
    again, _ = structure_from_rows(_stored(read), matched_by=read_by)
    assert again.post_id.to_list() != [] and sorted(again.post_id.to_list()) == sorted(
        original.post_id.to_list()
    )
    return diff_structures(original, again, matched_by=pairing(matched_by, read_by))


def assert_no_change(diff: StructureDiff, *, money: bool = True) -> None:
    changed = {
        "added": diff.added,
        "removed": diff.removed,
        "moved": diff.moved,
        "retitled": diff.retitled,
        "regraded": diff.regraded,
    }
    if money:
        changed |= {"fte_changed": diff.fte_changed, "cost_changed": diff.cost_changed}
    assert {kind: items[:3] for kind, items in changed.items() if items} == {}
    assert diff.redundancies == 0
    assert diff.redundancy_cost == Decimal(0)
    assert not diff.pairing_unreliable
    assert all(u.posts_change == 0 for u in diff.by_unit)
    if money:
        assert diff.staffing_saving == Decimal(0)
        assert diff.net_saving_first_year == Decimal(0)
        for u in (*diff.by_unit, diff.total):
            assert (u.cost_change, u.fte_change) == (0, 0), u
            assert u.unknown_cost_before == u.unknown_cost_after, u


ROUND_TRIP = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("fmt", ["xlsx", "organogram"])
@ROUND_TRIP
@given(generated=stored_rows())
def test_an_export_reads_back_with_no_change_to_the_penny(fmt, generated):
    rows, matched_by = generated
    assert_no_change(round_trip(rows, matched_by, fmt))


@ROUND_TRIP
@given(generated=stored_rows())
def test_the_transparency_file_reads_back_with_the_same_posts_and_lines(generated):
    """The Code's layout bands salaries of £50,000 and over and has no junior staff: the
    posts, their managers, titles, grades and units read back, and every cost under
    £50,000 to the penny."""
    rows, matched_by = generated
    # Junior staff are not in the Code's layout.
    rows = [(*row[:8], 0.0, Decimal("0.00"), 0, *row[11:]) for row in rows]
    diff = round_trip(rows, matched_by, "transparency")
    assert_no_change(diff, money=False)
    for change in diff.cost_changed:
        assert change.before == "unknown" or Decimal(change.before) >= Decimal(50000)


def test_a_workbook_is_recognised_by_the_export_columns_alone():
    columns = [c for c in exports.POST_HEADER if not c.startswith("junior_")]
    mapping = exports.export_mapping(columns)
    assert mapping is not None and "junior_fte" not in mapping
    assert mapping["unit"] == ["unit"]
    assert exports.export_mapping(["post_id", "reports_to", "title", "unit"]) is None
