"""The thin layer between stored posts and the pure structure engine.

The engine's readers take paths; an upload arrives as bytes, so the bytes are
written under their own file name in a private temporary folder (the name
then appears in every problem the engine reports). Stored posts become the
engine's :class:`~goldenthread.analysis.structure.Structure` here, and the
organisation's design rules become :class:`~goldenthread.analysis.rules.DesignRules`.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import numpy as np
import polars as pl

from goldenthread.accounts.models import Organisation
from goldenthread.analysis.rules import DesignRules, in_pounds, pence
from goldenthread.analysis.structure import Structure
from goldenthread.formats.detect import Format, detect_format, header_names, read_posts
from goldenthread.formats.posts import PostTable
from goldenthread.formats.table import MAPPING_FIELDS, ColumnMapping
from goldenthread.kit.limits import read_limits

from .models import DesignRuleSet, RedundancyBand


def safe_name(filename: str, fallback: str = "upload.csv") -> str:
    name = Path(filename.replace("\\", "/")).name.strip()
    return name if name and name not in {".", ".."} else fallback


@contextmanager
def files_on_disk(
    filename: str, data: bytes, junior_filename: str = "", junior_data: bytes | None = None
) -> Iterator[tuple[Path, Path | None]]:
    """The upload (and its junior file) as files the readers can open."""
    with tempfile.TemporaryDirectory(prefix="goldenthread-") as folder:
        senior = Path(folder) / safe_name(filename)
        senior.write_bytes(data)
        junior = None
        if junior_data:
            junior_dir = Path(folder) / "junior"
            junior_dir.mkdir()
            junior = junior_dir / safe_name(junior_filename, "junior.csv")
            junior.write_bytes(junior_data)
        yield senior, junior


def detect(filename: str, data: bytes) -> Format:
    """The file's layout. A council transparency file that carries post IDs
    (as this application's export does) has both ``Level`` and ``JobTitle``:
    it is read as the council layout, not as an organogram."""
    limits = read_limits()
    with files_on_disk(filename, data) as (path, _):
        found = detect_format(path, limits=limits)
        if found == "organogram":
            names = {
                name.strip().lower().replace(" ", "") for name in header_names(path, limits=limits)
            }
            if {"level", "jobtitle"} <= names:
                return "lga"
        return found


def header(filename: str, data: bytes, sheet: str | None = None) -> list[str]:
    """The column names of an upload, for the mapping step (never the reader's row number)."""
    from goldenthread.formats.reading import ROW_COLUMN, read_frame

    with files_on_disk(filename, data) as (path, _):
        columns = read_frame(path, sheet=sheet, limits=read_limits()).columns
        return [name for name in columns if name != ROW_COLUMN]


def mapping_from_columns(columns: dict[str, object]) -> ColumnMapping:
    """A column mapping from the stored form: a field left out is not read."""
    given: dict[str, object] = {key: None for key in MAPPING_FIELDS if key != "unit"}
    given["unit"] = ()
    for key, value in columns.items():
        if key == "unit":
            given["unit"] = tuple(str(v) for v in value) if isinstance(value, list) else ()
        elif key in given and value:
            given[key] = str(value)
    return ColumnMapping(**given)  # type: ignore[arg-type]


def read_upload(
    *,
    fmt: Format,
    filename: str,
    data: bytes,
    junior_filename: str = "",
    junior_data: bytes | None = None,
    mapping: dict[str, object] | None = None,
) -> PostTable:
    with files_on_disk(filename, data, junior_filename, junior_data) as (senior, junior):
        return read_posts(
            senior,
            junior,
            fmt=fmt,
            mapping=mapping_from_columns(mapping) if fmt == "table" and mapping else None,
            limits=read_limits(),
        )


def rules_for(organisation: Organisation) -> DesignRules:
    cost = Decimal(organisation.redundancy_cost_per_post)
    bands = tuple(
        RedundancyBand.objects.filter(organisation=organisation)
        .order_by("grade")
        .values_list("grade", "cost")
    )  # engine sits below selectors: the same read as selectors.redundancy_band_list
    saved = DesignRuleSet.objects.filter(organisation=organisation).first()
    if saved is None:
        return DesignRules(cost_per_redundancy=cost, redundancy_bands=bands)
    return DesignRules(
        redundancy_bands=bands,
        target_span_min=saved.target_span_min,
        target_span_max=saved.target_span_max,
        narrow_span_max=saved.narrow_span_max,
        max_layers=saved.max_layers,
        cost_per_redundancy=cost,
    )


#: The post columns the engine needs, in the order :func:`structure_from_rows` reads them.
ENGINE_COLUMNS = (
    "position",
    "manager_position",
    "post_id",
    "title",
    "grade",
    "unit_path",
    "fte",
    "cost",
    "junior_fte",
    "junior_cost",
    "junior_unknown_cost",
    "vacant",
    "agency",
    "match_key",
)


def structure_from_rows(
    rows: list[tuple[object, ...]], *, source: str = "", matched_by: str = "post ID"
) -> tuple[Structure, np.ndarray]:
    """The engine's structure from stored rows (ordered by position).

    Returns the structure and the position of each of its posts.
    """
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in ENGINE_COLUMNS]
    col = dict(zip(ENGINE_COLUMNS, columns, strict=True))
    positions = np.asarray(col["position"], dtype=np.int64)
    managers = np.asarray([-1 if m is None else m for m in col["manager_position"]], dtype=np.int64)
    parent = np.full(len(positions), -1, dtype=np.int64)
    has = managers >= 0
    if has.any():
        parent[has] = np.searchsorted(positions, managers[has])
    cost = np.asarray(
        [np.nan if c is None else float(c) for c in col["cost"]],
        dtype=np.float64,
    )
    structure = Structure.from_lists(
        [str(p) for p in col["post_id"]],
        parent,
        title=list(col["title"]),
        grade=list(col["grade"]),
        unit=list(col["unit_path"]),
        fte=np.asarray(col["fte"], dtype=np.float64),
        cost=cost,
        junior_fte=np.asarray(col["junior_fte"], dtype=np.float64),
        junior_cost=np.asarray([float(c) for c in col["junior_cost"]], dtype=np.float64),
        vacant=np.asarray(col["vacant"], dtype=bool),
        agency=np.asarray(col["agency"], dtype=bool),
        source=source,
    )
    extra: dict[str, object] = {
        "junior_unknown_cost": np.asarray(col["junior_unknown_cost"], dtype=np.int64)
    }
    if matched_by != "post ID":
        extra["match_key"] = pl.Series("match_key", [str(k) for k in col["match_key"]])
    return dataclasses.replace(structure, **extra), positions  # type: ignore[arg-type]


def pounds_or_none(value: float) -> Decimal | None:
    """An engine amount as stored and shown: to the penny by the engine's own rule, or None."""
    if value is None or np.isnan(value):
        return None
    return in_pounds(pence([value])[0])
