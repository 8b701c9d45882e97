"""The neutral table of posts every format produces, and its validation.

:class:`PostTable` holds the rows of a structure as read, with fixed column
names, whatever the file looked like. :func:`build_structure` checks the
reporting lines, applies the rules below and returns an
:class:`~goldenthread.analysis.structure.Structure`.

Rules (the user guide explains each with examples):

* A row whose ID is ``0`` is a person paid but not in post: it is counted
  apart and is not a post.
* A row that repeats an earlier row exactly is counted once (a warning says
  so).
* Rows sharing an ID and a manager are one post, a job share: FTE and cost
  are summed (the cost is unknown if any part is).
* Rows sharing an ID with *different* managers are a problem. With
  ``lenient`` the later rows become new posts ``ID~2``, ``ID~3`` ...; posts
  reporting to the ID report to its first row.
* A reports-to naming no post in the file, a self-report and a reporting
  cycle are problems. With ``lenient`` the post becomes a top post (for a
  cycle, the first post of the cycle in file order).
* A value that is not a number, or outside its column's range, is a problem;
  with ``lenient`` a pay or cost is taken as unknown (an FTE is never
  guessed). A reader's problem that has a repair carries it
  (:attr:`~goldenthread.formats.errors.Finding.repair`).
* Junior rows add FTE and cost to the senior post they report to; they are
  never posts and never change spans.

In strict mode (the default) every problem is collected before failing, and
:class:`~goldenthread.formats.errors.StructureImportError` lists them all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import polars as pl

from goldenthread.analysis.hierarchy import find_cycles
from goldenthread.analysis.structure import Structure
from goldenthread.formats.errors import (
    CYCLE,
    DUPLICATE_CONFLICT,
    EXACT_DUPLICATE,
    JOB_SHARE,
    MISSING_ID,
    REPAIRED_CYCLE,
    REPAIRED_DUPLICATE,
    REPAIRED_MISSING_ID,
    REPAIRED_SELF_REPORT,
    REPAIRED_UNKNOWN_MANAGER,
    REPAIRED_UNKNOWN_SENIOR,
    SELF_REPORT,
    UNKNOWN_MANAGER,
    UNKNOWN_SENIOR,
    Finding,
    FormatWarning,
    Problem,
    StructureImportError,
)
from goldenthread.formats.values import parse_reports_to

__all__ = [
    "JUNIOR_SCHEMA",
    "NOT_IN_POST_ID",
    "POST_SCHEMA",
    "BuildResult",
    "PostTable",
    "build_structure",
    "index_of",
]

NOT_IN_POST_ID = "0"
_INDEX_BITS = 40

POST_SCHEMA: dict[str, type[pl.DataType] | pl.DataType] = {
    "row": pl.Int64,
    "post_id": pl.String,
    "reports_to": pl.String,
    "title": pl.String,
    "grade": pl.String,
    "unit": pl.String,
    "fte": pl.Float64,
    "cost": pl.Float64,
    "vacant": pl.Boolean,
    "agency": pl.Boolean,
    "match_key": pl.String,
    "record": pl.String,
}
"""Columns of :attr:`PostTable.posts`. ``reports_to`` is null for a top post;
``cost`` is null when unknown; ``record`` (optional) is the whole source row,
used to recognise exact repeats; ``match_key`` pairs posts in a diff."""

JUNIOR_SCHEMA: dict[str, type[pl.DataType] | pl.DataType] = {
    "row": pl.Int64,
    "reports_to": pl.String,
    "fte": pl.Float64,
    "cost": pl.Float64,
}
"""Columns of :attr:`PostTable.junior`: FTE and cost attached to a post."""

DEFAULT_COLUMNS = {
    "post_id": "post_id",
    "reports_to": "reports_to",
    "title": "title",
    "grade": "grade",
    "unit": "unit",
    "fte": "fte",
    "cost": "cost",
}


@dataclass(frozen=True)
class PostTable:
    """Rows of posts as read from a file or given by a program.

    Attributes
    ----------
    source : str
        The file name or a label, used in findings.
    posts : polars.DataFrame
        One row per input row, with the columns of :data:`POST_SCHEMA`.
    junior : polars.DataFrame or None
        Junior staff rows (:data:`JUNIOR_SCHEMA`), if any.
    junior_source : str
        The junior file name.
    findings : tuple of Finding
        Problems and warnings found while reading.
    columns : Mapping[str, str]
        For each neutral column, the name of the column in the source, so
        findings can name what the user sees.
    matched_by : str
        How posts are paired in a diff: ``"post ID"``, or e.g.
        ``"title, directorate and service"`` for files without IDs.
    reports_to_parsed : bool
        Whether ``reports_to`` already went through
        :func:`~goldenthread.formats.values.parse_reports_to` with the
        standard top markers included, so building need not parse it again.
    """

    source: str
    posts: pl.DataFrame
    junior: pl.DataFrame | None = None
    junior_source: str = ""
    findings: tuple[Finding, ...] = ()
    columns: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_COLUMNS))
    matched_by: str = "post ID"
    reports_to_parsed: bool = False

    @classmethod
    def from_lists(
        cls,
        post_id: Sequence[str | None],
        reports_to: Sequence[str | None],
        *,
        title: Sequence[str | None] | None = None,
        grade: Sequence[str | None] | None = None,
        unit: Sequence[str | None] | None = None,
        fte: Sequence[float | None] | None = None,
        cost: Sequence[float | None] | None = None,
        vacant: Sequence[bool] | None = None,
        agency: Sequence[bool] | None = None,
        source: str = "posts",
    ) -> PostTable:
        """A table from plain lists, one entry per post (``None`` for a top post).

        FTE defaults to 1; an unknown cost is ``None``. Rows are numbered
        from 1.

        Examples
        --------
        >>> table = PostTable.from_lists(
        ...     ["CX1", "DIR2", "DIR3"], [None, "CX1", "CX1"],
        ...     title=["Chief Executive", "Director of Adults", "Director of Place"],
        ...     cost=[187_500.0, 135_000.0, None],
        ... )
        >>> result = build_structure(table)
        >>> result.structure.parent.tolist()
        [-1, 0, 0]
        """
        n = len(post_id)

        def text(values: Sequence[str | None] | None) -> list[str | None]:
            return [None] * n if values is None else list(values)

        frame = pl.DataFrame(
            {
                "row": list(range(1, n + 1)),
                "post_id": list(post_id),
                "reports_to": list(reports_to),
                "title": text(title),
                "grade": text(grade),
                "unit": text(unit),
                "fte": [1.0] * n if fte is None else list(fte),
                "cost": [None] * n if cost is None else list(cost),
                "vacant": [False] * n if vacant is None else list(vacant),
                "agency": [False] * n if agency is None else list(agency),
                "match_key": list(post_id),
                "record": [None] * n,
            },
            schema=POST_SCHEMA,
        )
        return cls(source=source, posts=frame)


@dataclass(frozen=True)
class BuildResult:
    """A validated structure and the warnings met on the way.

    Attributes
    ----------
    structure : Structure
        The posts, ready for :mod:`goldenthread.analysis`.
    warnings : tuple of FormatWarning
        Repairs made (lenient mode) and notes such as job shares.
    rows_read : int
        Rows in the posts file (not counting the header).
    job_shares : int
        Posts made of more than one row.
    matched_by : str
        How posts of this structure should be paired in a diff.
    """

    structure: Structure
    warnings: tuple[FormatWarning, ...]
    rows_read: int
    job_shares: int
    matched_by: str


class _Findings:
    def __init__(self, table: PostTable, lenient: bool) -> None:
        self.table = table
        self.lenient = lenient
        self.problems: list[Problem] = []
        self.warnings: list[FormatWarning] = []

    def col(self, name: str) -> str:
        return self.table.columns.get(name, name)

    def fault(
        self,
        code: str,
        strict_message: str,
        repaired_message: str,
        row: int | None,
        column: str | None,
        value: str | None,
        expected: str | None,
        file: str | None = None,
    ) -> None:
        where = file if file is not None else self.table.source
        if self.lenient:
            self.warnings.append(
                FormatWarning(code, repaired_message, where, row, column, value, expected)
            )
        else:
            self.problems.append(Problem(code, strict_message, where, row, column, value, expected))

    def note(self, code: str, message: str, row: int | None, column: str | None = None) -> None:
        self.warnings.append(FormatWarning(code, message, self.table.source, row, column))


def _read_findings(table: PostTable, f: _Findings) -> None:
    for item in table.findings:
        if isinstance(item, Problem):
            if f.lenient and item.repair is not None:
                f.warnings.append(
                    FormatWarning(
                        item.code,
                        item.repair,
                        item.file,
                        item.row,
                        item.column,
                        item.value,
                        item.expected,
                    )
                )
            else:
                f.problems.append(item)
        elif isinstance(item, FormatWarning):
            f.warnings.append(item)


def _missing_ids(df: pl.DataFrame, f: _Findings) -> pl.DataFrame:
    missing = df.filter(pl.col("post_id").is_null())
    if missing.height == 0:
        return df
    for row in missing["row"].to_list():
        new_id = f"row-{row}"
        f.fault(
            "missing-id",
            MISSING_ID,
            REPAIRED_MISSING_ID.format(post_id=new_id),
            row,
            f.col("post_id"),
            "",
            "a post ID",
        )
    return df.with_columns(
        pl.when(pl.col("post_id").is_null())
        .then(pl.format("row-{}", pl.col("row")))
        .otherwise(pl.col("post_id"))
        .alias("post_id")
    )


def _exact_duplicates(df: pl.DataFrame, f: _Findings) -> pl.DataFrame:
    if df["record"].null_count() == df.height or not df["post_id"].is_duplicated().any():
        return df
    first = pl.col("row").first().over(["post_id", "record"])
    marked = df.with_columns(first.alias("_first"))
    repeats = marked.filter(pl.col("record").is_not_null() & (pl.col("row") != pl.col("_first")))
    for row, first_row in repeats.select("row", "_first").iter_rows():
        f.note("exact-duplicate", EXACT_DUPLICATE.format(first=first_row), row)
    return marked.filter(pl.col("record").is_null() | (pl.col("row") == pl.col("_first"))).drop(
        "_first"
    )


def _conflicting_duplicates(df: pl.DataFrame, f: _Findings) -> pl.DataFrame:
    """Rename later rows of an ID used with different managers to ``ID~k``."""
    dup = df.filter(pl.col("post_id").is_duplicated())
    if dup.height == 0:
        return df
    manager = pl.col("reports_to").fill_null("\x00top")
    groups = (
        dup.with_columns(manager.alias("_mgr"))
        .group_by("post_id", maintain_order=True)
        .agg(pl.col("row"), pl.col("_mgr"), pl.col("reports_to"))
        .filter(pl.col("_mgr").list.n_unique() > 1)
    )
    renames: dict[int, str] = {}
    for post_id, rows, mgrs, shown in groups.iter_rows():
        order: list[str] = []
        for m in mgrs:
            if m not in order:
                order.append(m)
        managers = ", ".join("top" if s is None else str(s) for s in dict.fromkeys(shown))
        row_list = ", ".join(str(r) for r in rows)
        strict = DUPLICATE_CONFLICT.format(
            post_id=post_id, count=len(rows), rows=row_list, managers=managers
        )
        for row, m in zip(rows, mgrs, strict=True):
            k = order.index(m)
            if k == 0:
                continue
            new_id = f"{post_id}~{k + 1}"
            renames[row] = new_id
            if f.lenient:
                f.fault(
                    "duplicate-id",
                    strict,
                    REPAIRED_DUPLICATE.format(post_id=post_id, new_id=new_id),
                    row,
                    f.col("post_id"),
                    str(post_id),
                    "an ID used by one post only",
                )
        if not f.lenient:
            f.fault(
                "duplicate-id",
                strict,
                strict,
                int(rows[0]),
                f.col("post_id"),
                str(post_id),
                "an ID used by one post only",
            )
    rename = pl.DataFrame(
        {"row": list(renames), "_new": list(renames.values())},
        schema={"row": pl.Int64, "_new": pl.String},
    )
    return (
        df.join(rename, on="row", how="left", maintain_order="left")
        .with_columns(pl.coalesce("_new", "post_id").alias("post_id"))
        .drop("_new")
    )


def _job_shares(df: pl.DataFrame, f: _Findings) -> tuple[pl.DataFrame, int]:
    dup_mask = df["post_id"].is_duplicated()
    if not dup_mask.any():
        return df, 0
    single = df.filter(~dup_mask)
    merged = (
        df.filter(dup_mask)
        .group_by("post_id", maintain_order=True)
        .agg(
            pl.col("row").first(),
            pl.col("row").alias("_rows"),
            pl.col("reports_to").first(),
            pl.col("title").first(),
            pl.col("grade").first(),
            pl.col("unit").first(),
            pl.col("fte").sum(),
            pl.when(pl.col("cost").null_count() == 0).then(pl.col("cost").sum()).alias("cost"),
            pl.col("vacant").all(),
            pl.col("agency").any(),
            pl.col("match_key").first(),
            pl.col("record").first(),
        )
    )
    for post_id, rows, fte in merged.select("post_id", "_rows", "fte").iter_rows():
        f.note(
            "job-share",
            JOB_SHARE.format(
                post_id=post_id,
                count=len(rows),
                rows=", ".join(str(r) for r in rows),
                fte=f"{fte:g}",
            ),
            int(rows[0]),
            f.col("post_id"),
        )
    out = pl.concat([single, merged.drop("_rows").select(single.columns)]).sort("row")
    return out, merged.height


def _has_repeats(ids: pl.Series) -> bool:
    """Whether any ID occurs twice (hashes first: sorting 64-bit hashes is fast)."""
    hashed = np.sort(ids.hash(seed=7).to_numpy())
    if not (hashed[1:] == hashed[:-1]).any():
        return False
    return bool(ids.is_duplicated().any())


def index_of(ids: pl.Series, lookup: pl.Series) -> npt.NDArray[np.int64]:
    """Position in ``ids`` (unique, no nulls) of each value of ``lookup``; -1 if absent.

    Matches 64-bit hashes by sorting both sides and merging them with a
    binary search, then checks the strings, falling back to a hash join if
    two different IDs share a hash.

    Examples
    --------
    >>> index_of(pl.Series(["CX", "D1", "D2"]), pl.Series(["D2", None, "ZZ", "CX"])).tolist()
    [2, -1, -1, 0]
    """
    # A column read in parallel comes in many chunks; gathers across chunks
    # are several times slower.
    ids = ids.rechunk()
    lookup = lookup.rechunk()
    n, m = ids.len(), lookup.len()
    if n == 0:
        return np.full(m, -1, dtype=np.int64)
    bits = max(n, m).bit_length()
    if bits <= _INDEX_BITS:
        # Each side is sorted with one plain sort: the low bits of the hash
        # make room for the position, so no argsort is needed. The hashes
        # compared are the high 64 - bits bits.
        low = np.uint64((1 << bits) - 1)
        key = ids.hash(seed=7).to_numpy() & ~low
        key |= np.arange(n, dtype=np.uint64)
        key.sort()
        order = (key & low).astype(np.int64)
        key &= ~low
        needle = lookup.hash(seed=7).to_numpy() & ~low
        needle |= np.arange(m, dtype=np.uint64)
        needle.sort()
        where = (needle & low).astype(np.int64)
        needle &= ~low
        pos = np.minimum(np.searchsorted(key, needle), n - 1)
        found = key[pos] == needle
        out = np.empty(m, dtype=np.int64)
        out[where] = np.where(found, order[pos], -1)
        out[lookup.is_null().to_numpy()] = -1
        hit = out >= 0
        same = (ids.gather(np.maximum(out, 0)) == lookup).fill_null(False).to_numpy()
        if not (hit & ~same).any() and not (key[1:] == key[:-1]).any():
            return out
    index = pl.DataFrame({"_key": ids, "_i": np.arange(n, dtype=np.int64)})
    joined = pl.DataFrame({"_key": lookup}).join(
        index, on="_key", how="left", maintain_order="left"
    )
    return joined["_i"].fill_null(-1).to_numpy().astype(np.int64, copy=True)


def _resolve(df: pl.DataFrame, f: _Findings) -> np.ndarray:
    n = df.height
    parent = index_of(df["post_id"], df["reports_to"])
    missing = pl.Series(parent < 0) & df["reports_to"].is_not_null()
    unknown = df.filter(missing)
    for row, post_id, manager in unknown.select("row", "post_id", "reports_to").iter_rows():
        f.fault(
            "unknown-manager",
            UNKNOWN_MANAGER.format(post_id=post_id, manager=manager),
            REPAIRED_UNKNOWN_MANAGER.format(post_id=post_id, manager=manager),
            row,
            f.col("reports_to"),
            manager,
            "the ID of a post in the file, or XX for a top post",
        )
    own = np.arange(n, dtype=np.int64)
    selfish = np.flatnonzero(parent == own)
    rows = df["row"].to_numpy()
    ids = df["post_id"]
    for i in selfish.tolist():
        f.fault(
            "self-report",
            SELF_REPORT.format(post_id=ids[i]),
            REPAIRED_SELF_REPORT.format(post_id=ids[i]),
            int(rows[i]),
            f.col("reports_to"),
            str(ids[i]),
            "the ID of another post, or XX for a top post",
        )
    parent[selfish] = -1
    for cycle in find_cycles(parent):
        path = " → ".join(f"{ids[i]} (row {rows[i]})" for i in cycle) + f" → {ids[cycle[0]]}"
        head = cycle[0]
        f.fault(
            "cycle",
            CYCLE.format(count=len(cycle), path=path),
            REPAIRED_CYCLE.format(path=path, post_id=ids[head]),
            int(rows[head]),
            f.col("reports_to"),
            str(df["reports_to"][head]),
            "a reporting line that ends at a top post",
        )
        parent[head] = -1
    return parent


def _junior(
    table: PostTable, df: pl.DataFrame, f: _Findings
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = df.height
    zero = np.zeros(n, dtype=np.float64)
    if table.junior is None or table.junior.height == 0:
        return zero, zero.copy(), np.zeros(n, dtype=np.int64)
    grouped = table.junior.group_by("reports_to", maintain_order=True).agg(
        pl.col("row").first(),
        pl.col("fte").fill_null(0.0).sum(),
        pl.col("cost").fill_null(0.0).sum().alias("known"),
        pl.col("cost").is_null().sum().alias("unknown"),
    )
    index = pl.DataFrame({"reports_to": df["post_id"], "_i": np.arange(n, dtype=np.int64)})
    joined = grouped.join(index, on="reports_to", how="left", maintain_order="left")
    for row, manager, fte in (
        joined.filter(pl.col("_i").is_null()).select("row", "reports_to", "fte").iter_rows()
    ):
        f.fault(
            "unknown-senior",
            UNKNOWN_SENIOR.format(manager=manager),
            REPAIRED_UNKNOWN_SENIOR.format(manager=manager, fte=f"{fte:g}"),
            row,
            f.col("junior_reports_to"),
            str(manager),
            "the ID of a senior post",
            file=table.junior_source or table.source,
        )
    ok = joined.filter(pl.col("_i").is_not_null())
    idx = ok["_i"].to_numpy()
    fte = zero.copy()
    cost = zero.copy()
    unknown = np.zeros(n, dtype=np.int64)
    fte[idx] = ok["fte"].to_numpy()
    cost[idx] = ok["known"].to_numpy()
    unknown[idx] = ok["unknown"].to_numpy()
    return fte, cost, unknown


def build_structure(table: PostTable, *, lenient: bool = False) -> BuildResult:
    """Validate a table of posts and build the structure.

    Parameters
    ----------
    table : PostTable
        Rows as read.
    lenient : bool, optional
        Apply the documented repairs instead of failing; each repair is
        reported as a warning.

    Returns
    -------
    BuildResult

    Raises
    ------
    StructureImportError
        In strict mode, when any problem is found; it lists them all.

    Examples
    --------
    Two posts name each other as manager:

    >>> table = PostTable.from_lists(["A1", "B2", "C3"], ["XX", "C3", "B2"])
    >>> build_structure(table)
    Traceback (most recent call last):
    ...
    goldenthread.formats.errors.StructureImportError: 1 problem in the input:
      posts, row 2, column 'reports_to': reporting cycle of 2 posts: B2 (row 2) → C3 (row 3) → B2 \
(found 'C3'; expected a reporting line that ends at a top post)
    >>> result = build_structure(table, lenient=True)
    >>> result.structure.parent.tolist(), result.warnings[0].code
    ([-1, -1, 1], 'cycle')
    """
    f = _Findings(table, lenient)
    _read_findings(table, f)
    df = table.posts.select(list(POST_SCHEMA)).cast(POST_SCHEMA)  # type: ignore[arg-type]
    reports_to = df["reports_to"] if table.reports_to_parsed else parse_reports_to(df["reports_to"])
    df = df.with_columns(pl.col("post_id").str.strip_chars()).with_columns(
        pl.when(pl.col("post_id") == "").then(None).otherwise(pl.col("post_id")).alias("post_id"),
        reports_to.alias("reports_to"),
        pl.col("fte").fill_null(1.0),
        pl.col("vacant").fill_null(False),
        pl.col("agency").fill_null(False),
    )
    rows_read = df.height
    not_in_post = df.filter(pl.col("post_id") == NOT_IN_POST_ID)
    df = df.filter((pl.col("post_id") != NOT_IN_POST_ID) | pl.col("post_id").is_null())
    df = _missing_ids(df, f)
    job_shares = 0
    if _has_repeats(df["post_id"]):
        df = _exact_duplicates(df, f)
        df = _conflicting_duplicates(df, f)
        df, job_shares = _job_shares(df, f)
    parent = _resolve(df, f)
    junior_fte, junior_cost, junior_unknown = _junior(table, df, f)
    if f.problems:
        problems = sorted(f.problems, key=lambda p: (p.file, p.row or 0))
        raise StructureImportError(tuple(problems), tuple(f.warnings))
    structure = Structure(
        post_id=df["post_id"],
        parent=parent,
        title=df["title"].fill_null(""),
        grade=df["grade"].fill_null(""),
        unit=df["unit"].fill_null(""),
        fte=df["fte"].to_numpy().astype(np.float64, copy=True),
        cost=df["cost"].fill_null(np.nan).to_numpy().astype(np.float64, copy=True),
        junior_fte=junior_fte,
        junior_cost=junior_cost,
        junior_unknown_cost=junior_unknown,
        vacant=df["vacant"].to_numpy().astype(np.bool_, copy=True),
        agency=df["agency"].to_numpy().astype(np.bool_, copy=True),
        not_in_post_rows=not_in_post.height,
        not_in_post_fte=float(not_in_post["fte"].sum()),
        source=table.source,
        match_key=df["match_key"].fill_null(df["post_id"]),
    )
    return BuildResult(
        structure=structure,
        warnings=tuple(f.warnings),
        rows_read=rows_read,
        job_shares=job_shares,
        matched_by=table.matched_by,
    )
