"""Posts written in bulk, and the units their paths name."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import connection

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor
from goldenthread.core import selectors as core_selectors
from goldenthread.core import services as core_services
from goldenthread.core.models import Unit, UnitKind
from goldenthread.structure import selectors
from goldenthread.structure.models import Post
from goldenthread.structure.selectors import UNIT_SEPARATOR

#: Posts are written, and progress reported, in batches of this many rows.
POST_BATCH = 5000

ProgressFn = Callable[[int], None]

#: The columns :func:`post_insert` writes, in order.
POST_COLUMNS = (
    "organisation_id",
    "snapshot_id",
    "position",
    "manager_position",
    "post_id",
    "title",
    "grade",
    "unit_id",
    "unit_path",
    "fte",
    "cost",
    "junior_fte",
    "junior_cost",
    "junior_unknown_cost",
    "vacant",
    "agency",
    "interim",
    "shared_service",
    "match_key",
    "source_row",
)


def _code_for(name: str, parent_code: str, taken: set[str]) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name)
    stem = "".join(w[0] for w in words).upper()[:6] if len(words) > 1 else name[:4].upper()
    stem = re.sub(r"[^A-Z0-9]", "", stem) or "U"
    base = f"{parent_code}-{stem}" if parent_code else stem
    base = base[:34]
    code, n = base, 1
    while code.lower() in taken:
        n += 1
        code = f"{base}{n}"
    taken.add(code.lower())
    return code


def units_for_paths(
    *, organisation: Organisation, paths: list[str], by: Actor = None
) -> dict[str, Unit]:
    """The unit of each path ("Directorate / Service / Team"), adding missing units.

    A path is matched by unit names, level by level, ignoring case; a unit that
    does not exist yet is added under its parent (directorate, service, then
    team), with a code made from its name, through the units' own bulk service.
    """
    by_key = selectors.units_by_path(organisation=organisation)
    taken = core_selectors.unit_codes(organisation=organisation)
    split, missing = selectors.units_missing(by_key, paths)
    new: dict[str, dict[str, str]] = {}
    for key, parts in missing.items():
        depth = len(parts) - 1
        parent_key = UNIT_SEPARATOR.join(p.lower() for p in parts[:depth])
        parent_code = ""
        if depth:
            parent_code = (
                by_key[parent_key].code if parent_key in by_key else new[parent_key]["code"]
            )
        kind = (UnitKind.DIRECTORATE, UnitKind.SERVICE)[depth] if depth < 2 else UnitKind.TEAM
        new[key] = {
            "code": _code_for(parts[depth], parent_code, taken),
            "name": parts[depth][:200],
            "kind": kind,
            "parent_code": parent_code,
        }
    if new:
        written = core_services.unit_bulk_upsert(
            organisation=organisation, rows=list(new.values()), by=by
        )
        for key, row in new.items():
            by_key[key] = written.units[row["code"].lower()]
    result: dict[str, Unit] = {}
    for path, parts in split.items():
        unit = by_key.get(UNIT_SEPARATOR.join(p.lower() for p in parts))
        if unit is not None:
            result[path] = unit
    return result


#: The engine's figures stored with each post for the registers (ADR 0008):
#: written with the posts of a new snapshot, copied with a scenario, and
#: otherwise kept up to date by :func:`post_figures_store`.
FIGURE_COLUMNS = ("layer", "span")


def post_insert(
    rows: list[tuple[Any, ...]],
    *,
    progress: ProgressFn | None = None,
    columns: tuple[str, ...] = POST_COLUMNS,
) -> None:
    """Write posts in bulk, one prepared statement per batch.

    Posts are written by the thousand when a snapshot is uploaded or copied;
    building a model instance for each row would cost most of the time, so the
    rows go to the database as plain tuples (ADR 0008).
    """
    quote = connection.ops.quote_name
    # Only fixed table and column names go into the statement; values are parameters.
    sql = "INSERT INTO {table} ({columns}) VALUES ({marks})".format(  # noqa: S608
        table=quote(Post._meta.db_table),
        columns=", ".join(quote(c) for c in columns),
        marks=", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), POST_BATCH):
            cursor.executemany(sql, rows[start : start + POST_BATCH])
            if progress is not None:
                progress(min(start + POST_BATCH, len(rows)))
