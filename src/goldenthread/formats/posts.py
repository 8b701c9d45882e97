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
  ``lenient`` one of them keeps the ID and the posts reporting to the ID
  report to it: the first that is not itself below those posts, then has
  the most senior grade, then the highest pay, then comes first in the
  file. The others become new posts ``ID~2``, ``ID~3`` ...
* A reference that matches no post ID as written but matches exactly one
  once leading zeros are ignored (``178009`` for ``00178009``) is a
  problem; with ``lenient`` it is matched to that post.
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

import re
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
    DUPLICATE_REPORTS,
    EXACT_DUPLICATE,
    JOB_SHARE,
    LEADING_ZEROS,
    MISSING_ID,
    REPAIRED_CYCLE,
    REPAIRED_DUPLICATE,
    REPAIRED_DUPLICATE_ATTACHED,
    REPAIRED_LEADING_ZEROS,
    REPAIRED_MISSING_ID,
    REPAIRED_SELF_REPORT,
    REPAIRED_UNKNOWN_MANAGER,
    REPAIRED_UNKNOWN_SENIOR,
    SELF_REPORT,
    UNKNOWN_MANAGER,
    UNKNOWN_SENIOR,
    ZERO_TWINS,
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
    "grade_rank",
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


_DIGITS = r"^[0-9]+$"


def _unpadded(ids: pl.Expr) -> pl.Expr:
    """An all-digit ID without its leading zeros (``"0"`` for zeros only); null otherwise."""
    bare = ids.str.strip_chars_start("0")
    return (
        pl.when(ids.str.contains(_DIGITS))
        .then(pl.when(bare == "").then(pl.lit("0")).otherwise(bare))
        .otherwise(None)
    )


def _zero_matches(df: pl.DataFrame) -> pl.DataFrame:
    """For each all-digit ID without leading zeros, the one post ID it stands for.

    A key is left out when two different post IDs share it (``012`` and
    ``12``), or when its one ID is used by rows with different managers: a
    reference to it could mean either post.
    """
    return (
        df.select(
            _unpadded(pl.col("post_id")).alias("_key"),
            "post_id",
            pl.col("reports_to").fill_null("\x00top").alias("_mgr"),
        )
        .drop_nulls("_key")
        .group_by("_key")
        .agg(
            pl.col("post_id").first().alias("_target"),
            pl.col("post_id").n_unique().alias("_ids"),
            pl.col("_mgr").n_unique().alias("_mgrs"),
        )
        .filter((pl.col("_ids") == 1) & (pl.col("_mgrs") == 1))
        .select("_key", "_target")
    )


def _absent(refs: pl.Series, ids: pl.Series) -> npt.NDArray[np.bool_]:
    """Which references certainly match no ID: their hash is no ID's hash.

    A reference sharing its hash with a different ID counts as present, so it
    is left to the usual check as a reference to no post.
    """
    known = np.sort(ids.hash(seed=7).to_numpy())
    if known.size == 0:
        return refs.is_not_null().to_numpy()
    # Searching in order (sorted needles walk the sorted keys once) tells
    # cheaply whether every reference is present, as it usually is.
    given = refs.drop_nulls().hash(seed=7).to_numpy()
    ordered = np.sort(given)
    at = np.minimum(np.searchsorted(known, ordered), known.size - 1)
    if (known[at] == ordered).all():
        return np.zeros(refs.len(), dtype=np.bool_)
    needle = refs.hash(seed=7).to_numpy()
    at = np.minimum(np.searchsorted(known, needle), known.size - 1)
    absent: npt.NDArray[np.bool_] = (known[at] != needle) & refs.is_not_null().to_numpy()
    return absent


def _rematch(refs: pl.Series, ids: pl.Series, matches: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """References matching no ID as written, matched once leading zeros are ignored.

    Returns the references with those replaced by the post ID they match,
    and a mask of the replaced ones.
    """
    frame = pl.DataFrame({"_ref": refs, "_fails": _absent(refs, ids)}).with_columns(
        _unpadded(pl.col("_ref")).alias("_key")
    )
    joined = frame.join(matches, on="_key", how="left", maintain_order="left")
    fixed = joined["_fails"] & joined["_target"].is_not_null()
    out = joined.select(
        pl.when(fixed).then(pl.col("_target")).otherwise(pl.col("_ref")).alias(refs.name)
    )
    return out.to_series(), fixed


@dataclass(frozen=True)
class _References:
    """A column of references to posts, as findings name it."""

    what: str
    column: str
    file: str | None = None


def _leading_zeros(
    df: pl.DataFrame, refs: pl.Series, rows: pl.Series, f: _Findings, where: _References
) -> pl.Series:
    """``refs`` with references that only lost or gained leading zeros matched (a finding says so).

    Nothing changes unless some reference matches no post ID as written and
    matches exactly one once leading zeros are ignored.
    """
    if not _absent(refs, df["post_id"]).any():
        return refs
    repaired, fixed = _rematch(refs, df["post_id"], _zero_matches(df))
    count = int(fixed.sum())
    if count == 0:
        return refs
    first = int(fixed.arg_max() or 0)
    detail = {
        "count": count,
        "what": where.what,
        "row": rows[first],
        "value": refs[first],
        "post_id": repaired[first],
    }
    f.fault(
        "leading-zeros",
        LEADING_ZEROS.format(**detail),
        REPAIRED_LEADING_ZEROS.format(**detail),
        int(rows[first]),
        where.column,
        str(refs[first]),
        "an ID written as in the post ID column",
        file=where.file,
    )
    _zero_twins(df, repaired, rows, f, where)
    return repaired


def _zero_twins(
    df: pl.DataFrame, refs: pl.Series, rows: pl.Series, f: _Findings, where: _References
) -> None:
    """Warn of references that match as written a post with a twin once zeros are ignored."""
    keys = pl.DataFrame({"_key": df["post_id"]}).select(_unpadded(pl.col("_key"))).to_series()
    twins = (
        pl.DataFrame({"_key": keys, "post_id": df["post_id"]})
        .drop_nulls("_key")
        .group_by("_key")
        .agg(pl.col("post_id").n_unique().alias("_ids"))
        .filter(pl.col("_ids") > 1)["_key"]
    )
    if twins.len() == 0:
        return
    ref_keys = pl.DataFrame({"_key": refs}).select(_unpadded(pl.col("_key"))).to_series()
    suspect = pl.Series(
        refs.is_not_null().to_numpy()
        & ~_absent(refs, df["post_id"])
        & ref_keys.is_in(twins.implode()).fill_null(False).to_numpy()
    )
    count = int(suspect.sum())
    if count == 0:
        return
    first = int(suspect.arg_max() or 0)
    f.warnings.append(
        FormatWarning(
            "leading-zeros-twin",
            ZERO_TWINS.format(count=count, what=where.what, row=rows[first], value=refs[first]),
            where.file if where.file is not None else f.table.source,
            int(rows[first]),
            where.column,
            str(refs[first]),
            "an ID written as in the post ID column",
        )
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


_SCS_GRADE = re.compile(r"(?:SCS|SCS PAY BAND|PAY BAND|PB) ?-? ?([1-4])(A?)")
_OF_GRADE = re.compile(r"OF ?-? ?([1-9]|10)")
_TOP_GRADES = {"PERMANENT SECRETARY", "PERM SEC"}


def grade_rank(grade: str | None) -> float | None:
    """How senior a civil-service grade is, or ``None`` when it is not recognised.

    The senior civil service pay bands rank SCS4 (permanent secretary) above
    SCS3, SCS2, SCS1A and SCS1 (band 1A sits between 1 and 2 in job
    evaluation scores); military ranks OF-6 to OF-9 rank with SCS1 to SCS4,
    the equivalence the Ministry of Defence publishes. Plain numbers are not
    ranked: a civil-service Grade 6 outranks a Grade 7, while a council's
    grade 10 outranks its grade 5.

    Examples
    --------
    >>> [grade_rank(g) for g in ["SCS4", "scs 1a", "SCS1", "OF-7", "Grade 7", "7", None]]
    [4.0, 1.5, 1.0, 2.0, None, None, None]
    """
    text = " ".join((grade or "").upper().split())
    if text in _TOP_GRADES:
        return 4.0
    if m := _SCS_GRADE.fullmatch(text):
        return int(m[1]) + (0.5 if m[2] else 0.0)
    if m := _OF_GRADE.fullmatch(text):
        return int(m[1]) - 5.0
    return None


@dataclass
class _Claim:
    """The rows of one ID that share one manager: one post of a conflicting ID."""

    rows: list[int]
    position: int
    manager: str | None
    title: str
    grade: str
    cost: float | None

    def describe(self) -> str:
        label = " ".join(part for part in (self.grade, _short(self.title)) if part)
        where = "a top post" if self.manager is None else f"reports to {self.manager}"
        detail = f"{label}; {where}" if label else where
        return f"{_rows_text(self.rows)} ({detail})"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _rows_text(rows: Sequence[int]) -> str:
    if len(rows) == 1:
        return f"row {rows[0]}"
    return "rows " + ", ".join(str(r) for r in rows[:-1]) + f" and {rows[-1]}"


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _top_of(start: int, parent: np.ndarray) -> int:
    """The last post reached going up from ``start`` (stops on a loop)."""
    seen: set[int] = set()
    i = start
    while parent[i] >= 0 and i not in seen:
        seen.add(i)
        i = int(parent[i])
    return i


def _choose_claim(
    post_id: str, claims: list[_Claim], parent: np.ndarray, reports_to: pl.Series
) -> tuple[_Claim, str]:
    """The claim the reports to ``post_id`` attach to, and why.

    In order: a claim that is not itself below those reports (attaching
    them to it would close a loop), then the most senior recognised grade,
    then the higher known pay, then the first in the file.
    """
    reasons: list[str] = []
    below = [c for c in claims if reports_to[_top_of(c.position, parent)] == post_id]
    left = [c for c in claims if c not in below]
    if below and left:
        verb = "is" if len(below) == 1 and len(below[0].rows) == 1 else "are"
        reasons.append(
            f"{_join([_rows_text(c.rows) for c in below])} {verb} itself below those posts, "
            "so attaching them there would make a reporting cycle"
        )
    else:
        left = list(claims)
    ranks = [grade_rank(c.grade) for c in left]
    if len(left) > 1 and None not in ranks and len(set(ranks)) > 1:
        best = max(r for r in ranks if r is not None)
        left = [c for c, r in zip(left, ranks, strict=True) if r == best]
        reasons.append(f"{left[0].grade} is the most senior grade of the rows")
    pays = [c.cost for c in left]
    if len(left) > 1 and None not in pays and len(set(pays)) > 1:
        top_pay = max(p for p in pays if p is not None)
        left = [c for c, p in zip(left, pays, strict=True) if p == top_pay]
        reasons.append(f"its pay (£{top_pay:,.2f}) is the highest of the rows")
    if len(left) > 1:
        reasons.append("nothing else tells the rows apart, so the first in the file was taken")
    return left[0], "; ".join(reasons)


def _conflicting_duplicates(df: pl.DataFrame, f: _Findings) -> pl.DataFrame:
    """Give each ID used with different managers to one row; rename the others ``ID~k``.

    The rows sharing an ID and a manager are one post (a job share). Of the
    posts sharing an ID, the one the ID's reports attach to keeps the ID
    (see :func:`_choose_claim`); the others become ``ID~2``, ``ID~3``, ... in
    file order.
    """
    dup = df.with_row_index("_pos").filter(pl.col("post_id").is_duplicated())
    if dup.height == 0:
        return df
    manager = pl.col("reports_to").fill_null("\x00top")
    groups = (
        dup.with_columns(manager.alias("_mgr"))
        .group_by("post_id", maintain_order=True)
        .agg("row", "_pos", "_mgr", "reports_to", "title", "grade", "cost")
        .filter(pl.col("_mgr").list.n_unique() > 1)
    )
    if groups.height == 0:
        return df
    conflicted = groups["post_id"]
    # Each post's manager, with the conflicting IDs left unresolved: going up
    # from a row then stops where a line reaches one of them.
    is_conflicted = pl.col("post_id").is_in(conflicted.implode())
    unique_ids = df.select(
        pl.when(is_conflicted)
        .then(pl.format("{}\x00{}", "post_id", "row"))
        .otherwise("post_id")
        .alias("reports_to"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_parent"),
    ).unique("reports_to", keep="first", maintain_order=True)
    parent = (
        df.select("reports_to")
        .join(unique_ids, on="reports_to", how="left", maintain_order="left")["_parent"]
        .fill_null(-1)
        .to_numpy()
    )
    reports = dict(
        df.filter(pl.col("reports_to").is_in(conflicted.implode()))
        .group_by("reports_to")
        .len()
        .iter_rows()
    )
    renames: dict[int, str] = {}
    for post_id, rows, positions, mgrs, shown, titles, grades, costs in groups.iter_rows():
        claims: dict[str, _Claim] = {}
        for row, pos, mgr, boss, title, grade, cost in zip(
            rows, positions, mgrs, shown, titles, grades, costs, strict=True
        ):
            if mgr in claims:
                claims[mgr].rows.append(row)
            else:
                claims[mgr] = _Claim([row], pos, boss, title or "", grade or "", cost)
        ordered = list(claims.values())
        count = reports.get(post_id, 0)
        if count:
            kept, reason = _choose_claim(post_id, ordered, parent, df["reports_to"])
        else:
            kept, reason = ordered[0], ""
        described = _join([c.describe() for c in ordered])
        renamed: list[str] = []
        for k, claim in enumerate((c for c in ordered if c is not kept), start=2):
            new_id = f"{post_id}~{k}"
            renames.update(dict.fromkeys(claim.rows, new_id))
            renamed.append(f"{_rows_text(claim.rows)} became post {new_id}")
        strict = DUPLICATE_CONFLICT.format(post_id=post_id, count=len(rows), rows=described)
        if count:
            reporting = "1 post reports to" if count == 1 else f"{count} posts report to"
            strict += DUPLICATE_REPORTS.format(reporting=reporting, post_id=post_id)
        common = {"post_id": post_id, "count": len(rows), "rows": described}
        repaired = (
            REPAIRED_DUPLICATE_ATTACHED.format(
                **common,
                renamed=_join(renamed),
                attached=(
                    f"the post that reports to {post_id} was attached"
                    if count == 1
                    else f"the {count} posts that report to {post_id} were attached"
                ),
                row=kept.rows[0],
                reason=reason,
            )
            if count
            else REPAIRED_DUPLICATE.format(**common, renamed=_join(renamed))
        )
        f.fault(
            "duplicate-id",
            strict,
            repaired,
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


def _junior_references(table: PostTable, df: pl.DataFrame, f: _Findings) -> pl.DataFrame | None:
    """The junior rows, their references matched to senior posts despite lost leading zeros."""
    junior = table.junior
    if junior is None or junior.height == 0:
        return None
    return junior.with_columns(
        _leading_zeros(
            df,
            junior["reports_to"],
            junior["row"],
            f,
            _References(
                "junior staff references to a senior post",
                f.col("junior_reports_to"),
                table.junior_source or table.source,
            ),
        )
    )


def _junior(
    table: PostTable, junior: pl.DataFrame | None, df: pl.DataFrame, f: _Findings
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = df.height
    zero = np.zeros(n, dtype=np.float64)
    if junior is None:
        return zero, zero.copy(), np.zeros(n, dtype=np.int64)
    grouped = junior.group_by("reports_to", maintain_order=True).agg(
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
    df = df.with_columns(
        _leading_zeros(
            df,
            df["reports_to"],
            df["row"],
            f,
            _References("reports-to values", f.col("reports_to")),
        )
    )
    junior = _junior_references(table, df, f)
    job_shares = 0
    if _has_repeats(df["post_id"]):
        df = _exact_duplicates(df, f)
        df = _conflicting_duplicates(df, f)
        df, job_shares = _job_shares(df, f)
    parent = _resolve(df, f)
    junior_fte, junior_cost, junior_unknown = _junior(table, junior, df, f)
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
