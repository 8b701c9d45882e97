"""Any HR establishment export (CSV or XLSX) read through a column mapping.

A mapping names, for each neutral column, the column of the export that holds
it. It can be written as a TOML file::

    [columns]
    post_id = "Position Number"
    reports_to = "Reports To Position"
    title = "Position Title"
    grade = "Grade"
    unit = ["Directorate", "Service", "Team"]   # joined into a unit path
    fte = "FTE"
    cost = "Budgeted Cost"        # or pay_band = "Salary Band"
    vacant = "Vacant?"
    agency = "Agency"
    junior_fte = "Junior FTE"     # junior staff below the post (FTE), as
    junior_cost = "Junior Cost"   # an organogram's junior file gives them

    [options]
    top_markers = ["XX", "TOP"]   # reports-to values meaning "no manager"
    sheet = "Establishment"       # XLSX sheet (default: the first)

Only ``post_id`` and ``reports_to`` are required. Without a mapping the
columns are looked for under their neutral names (``post_id``,
``reports_to``, ``title``, ``grade``, ``unit``, ``fte``, ``cost``,
``pay_band``, ``vacant``, ``agency``, ``junior_fte``, ``junior_cost``,
``junior_unknown_cost``), ignoring case and punctuation.

The junior columns carry what an organogram's junior file says of each post:
the FTE of the junior staff reporting to it, their known cost, and how many
of their rows had no known pay. A workbook exported by goldenthread holds
them, so a structure with junior staff reads back as it was.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from goldenthread.formats.errors import (
    BLANK_FTE,
    Finding,
    FormatWarning,
    Problem,
    SettingsFileError,
)
from goldenthread.formats.posts import JUNIOR_SCHEMA, POST_SCHEMA, PostTable
from goldenthread.formats.reading import (
    ROW_COLUMN,
    find_column,
    pay_band_findings,
    read_frame,
    read_number_column,
)
from goldenthread.formats.sources import DEFAULT_LIMITS, ReadLimits
from goldenthread.formats.values import (
    JUNIOR_COST,
    JUNIOR_FTE,
    PAY,
    POST_FTE,
    ROW_COUNT,
    TOP_MARKERS,
    clean_text,
    parse_reports_to,
)

#: The fields a column mapping may name, in the order a person would fill them in.
MAPPING_FIELDS = (
    "post_id",
    "reports_to",
    "title",
    "grade",
    "unit",
    "fte",
    "cost",
    "pay_band",
    "vacant",
    "agency",
    "junior_fte",
    "junior_cost",
    "junior_unknown_cost",
)

__all__ = [
    "MAPPING_FIELDS",
    "TRUE_FLAGS",
    "ColumnMapping",
    "load_mapping",
    "read_table",
    "read_toml",
]

TRUE_FLAGS = frozenset({"Y", "YES", "TRUE", "1", "X", "VACANT", "AGENCY"})
"""Values of a flag column that mean "yes" (case-insensitive)."""


@dataclass(frozen=True)
class ColumnMapping:
    """Which export column holds each neutral column.

    Examples
    --------
    >>> m = ColumnMapping.from_dict(
    ...     {"columns": {"post_id": "Position", "reports_to": "Manager Position",
    ...                  "unit": ["Directorate", "Service"]},
    ...      "options": {"top_markers": ["XX", "CEO"]}})
    >>> m.unit, m.top_markers
    (('Directorate', 'Service'), ('XX', 'CEO'))
    """

    post_id: str = "post_id"
    reports_to: str = "reports_to"
    title: str | None = "title"
    grade: str | None = "grade"
    unit: tuple[str, ...] = ("unit",)
    fte: str | None = "fte"
    cost: str | None = "cost"
    pay_band: str | None = "pay_band"
    vacant: str | None = "vacant"
    agency: str | None = "agency"
    junior_fte: str | None = "junior_fte"
    junior_cost: str | None = "junior_cost"
    junior_unknown_cost: str | None = "junior_unknown_cost"
    top_markers: tuple[str, ...] = tuple(sorted(TOP_MARKERS))
    sheet: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, object], file: str = "the mapping") -> ColumnMapping:
        """A mapping from parsed TOML (``[columns]`` and ``[options]`` tables).

        Raises
        ------
        SettingsFileError
            Naming ``file`` and the key, if a key is unknown or its value is
            not text (a list of text for ``unit`` and ``top_markers``).

        Examples
        --------
        >>> ColumnMapping.from_dict({"columns": {"post_id": 7}}, "map.toml")
        Traceback (most recent call last):
        ...
        goldenthread.formats.errors.SettingsFileError: map.toml, key 'columns.post_id': \
the value is not a column name (found 7; expected the name of a column, in quotes)
        """
        columns = data.get("columns", {})
        options = data.get("options", {})
        for key, table in (("columns", columns), ("options", options)):
            if not isinstance(table, Mapping):
                raise SettingsFileError(
                    file,
                    f"{key} is not a table",
                    key=key,
                    value=table,
                    expected=f"a [{key}] table",
                )
        assert isinstance(columns, Mapping) and isinstance(options, Mapping)
        for table_name, table, known in (
            ("columns", columns, MAPPING_FIELDS),
            ("options", options, ("top_markers", "sheet")),
        ):
            for key in table:
                if key not in known:
                    raise SettingsFileError(
                        file,
                        f"unknown key in [{table_name}]",
                        key=f"{table_name}.{key}",
                        expected="one of " + ", ".join(known),
                    )
        kwargs: dict[str, object] = {}
        for key, value in columns.items():
            many = key == "unit"
            kwargs[key] = _names(file, f"columns.{key}", value, many=many)
        if "top_markers" in options:
            kwargs["top_markers"] = _names(
                file, "options.top_markers", options["top_markers"], many=True
            )
        if "sheet" in options:
            kwargs["sheet"] = _names(file, "options.sheet", options["sheet"], many=False)
        return cls(**kwargs)  # type: ignore[arg-type]


def _names(file: str, key: str, value: object, *, many: bool) -> str | tuple[str, ...]:
    """A mapping value: text, or (``many``) text or a list of text."""
    if isinstance(value, str):
        return (value,) if many else value
    if many and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    expected = "the name of a column, in quotes"
    if many:
        expected += ', or a list of them such as ["Directorate", "Service"]'
    raise SettingsFileError(
        file, "the value is not a column name", key=key, value=value, expected=expected
    )


_TOML_PLACE = re.compile(
    r"^(?P<reason>.*?)\s*\(at line (?P<line>[0-9]+), column (?P<column>[0-9]+)\)$"
)


def read_toml(path: str | Path) -> dict[str, object]:
    """A TOML settings file (a mapping or design rules) as a dictionary.

    Raises
    ------
    SettingsFileError
        Naming the file, and the line where the TOML is not valid.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "map.toml"
    ...     _ = path.write_text("post_id = [unclosed\\n")
    ...     read_toml(path)
    Traceback (most recent call last):
    ...
    goldenthread.formats.errors.SettingsFileError: .../map.toml, line 1: the file is not \
valid TOML: invalid value at column 12
    """
    name = str(path)
    try:
        with Path(path).open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as error:
        place = _TOML_PLACE.match(str(error))
        if place is None:
            raise SettingsFileError(name, f"the file is not valid TOML: {error}") from error
        reason = place["reason"][:1].lower() + place["reason"][1:]
        raise SettingsFileError(
            name,
            f"the file is not valid TOML: {reason} at column {place['column']}",
            line=int(place["line"]),
        ) from error
    except UnicodeDecodeError as error:
        raise SettingsFileError(name, "the file is not UTF-8 text") from error
    except OSError as error:
        raise SettingsFileError(
            name, f"the file cannot be read: {error.strerror or error}"
        ) from error


def load_mapping(path: str | Path) -> ColumnMapping:
    """Read a column mapping from a TOML file.

    Raises
    ------
    SettingsFileError
        Naming the mapping file (and the line or key) if it cannot be used.
    """
    return ColumnMapping.from_dict(read_toml(path), str(path))


def read_table(
    path: str | Path,
    mapping: ColumnMapping | None = None,
    *,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> PostTable:
    """Read an establishment export through a column mapping.

    Raises
    ------
    goldenthread.formats.reading.FormatError
        If the file cannot be read or a required column is missing.
    """
    m = mapping or ColumnMapping()
    source = str(path)
    read_findings: list[Finding] = []
    raw = read_frame(path, sheet=m.sheet, limits=limits, warnings=read_findings)
    n = raw.height

    def col(name: str | None, required: bool = False) -> str | None:
        if name is None:
            return None
        return find_column(raw, [name], source=source, required=required)

    c_id = col(m.post_id, True)
    c_to = col(m.reports_to, True)
    assert c_id is not None and c_to is not None
    c_title, c_grade = col(m.title), col(m.grade)
    c_units = [c for c in (col(u) for u in m.unit) if c is not None]
    c_fte, c_cost, c_band = col(m.fte), col(m.cost), col(m.pay_band)
    c_vacant, c_agency = col(m.vacant), col(m.agency)
    findings: list[Finding] = read_findings
    empty = pl.repeat(None, n, dtype=pl.String, eager=True)

    def text(c: str | None) -> pl.Series:
        return empty if c is None else clean_text(raw[c])

    def flag(c: str | None) -> pl.Series:
        if c is None:
            return pl.repeat(False, n, dtype=pl.Boolean, eager=True)
        return text(c).str.to_uppercase().is_in(list(TRUE_FLAGS)).fill_null(False)

    if c_fte is not None:
        fte, problems = read_number_column(raw, c_fte, POST_FTE, source=source)
        findings += problems
        for row in raw.filter(clean_text(raw[c_fte]).is_null())[ROW_COLUMN].to_list():
            findings.append(
                FormatWarning("blank-fte", BLANK_FTE.format(default=1), source, row, c_fte, "")
            )
        fte = fte.fill_null(1.0)
    else:
        fte = pl.repeat(1.0, n, dtype=pl.Float64, eager=True)
    cost = pl.repeat(None, n, dtype=pl.Float64, eager=True)
    if c_cost is not None:
        cost, problems = read_number_column(raw, c_cost, PAY, source=source)
        findings += problems
    if c_band is not None:
        mid, band_findings = pay_band_findings(raw, c_band, source=source)
        findings += band_findings
        cost = pl.DataFrame({"a": cost, "b": mid}).select(pl.coalesce("a", "b")).to_series()
    if c_units:
        unit = raw.select(
            pl.concat_str([clean_text(raw[c]) for c in c_units], separator=" / ", ignore_nulls=True)
        ).to_series()
    else:
        unit = empty
    post_id = raw[c_id].str.strip_chars()
    frame = pl.DataFrame(
        {
            "row": raw[ROW_COLUMN],
            "post_id": post_id,
            # The standard marker too, as building a structure applies it.
            "reports_to": parse_reports_to(raw[c_to], (*m.top_markers, *TOP_MARKERS)),
            "title": text(c_title),
            "grade": text(c_grade),
            "unit": unit,
            "fte": fte,
            "cost": cost,
            "vacant": flag(c_vacant),
            "agency": flag(c_agency),
            "match_key": post_id,
            "record": empty,
        },
        schema=POST_SCHEMA,
    )
    names = {"post_id": c_id, "reports_to": c_to}
    if c_fte is not None:
        names["fte"] = c_fte
    junior = None
    c_jfte, c_jcost = col(m.junior_fte), col(m.junior_cost)
    if c_jfte is not None:
        names["junior_reports_to"] = c_jfte
        junior = _junior(
            raw, post_id, c_jfte, c_jcost, col(m.junior_unknown_cost), findings, source
        )
    ordered = sorted(findings, key=lambda f: (f.row or 0, 0 if isinstance(f, Problem) else 1))
    return PostTable(
        source=source,
        posts=frame,
        junior=junior,
        junior_source=source if junior is not None else "",
        findings=tuple(ordered),
        columns=names,
        reports_to_parsed=True,
    )


def _junior(
    raw: pl.DataFrame,
    post_id: pl.Series,
    c_fte: str,
    c_cost: str | None,
    c_unknown: str | None,
    findings: list[Finding],
    source: str,
) -> pl.DataFrame:
    """Junior staff rows from a post's junior columns: its FTE and known cost, and a
    row without a cost for each junior row whose pay was not known."""
    fte, problems = read_number_column(raw, c_fte, JUNIOR_FTE, source=source)
    findings += problems
    fte = fte.fill_null(0.0)
    cost = pl.repeat(0.0, raw.height, dtype=pl.Float64, eager=True)
    if c_cost is not None:
        parsed, problems = read_number_column(raw, c_cost, JUNIOR_COST, source=source)
        findings += problems
        cost = parsed.fill_null(0.0)
    unknown = pl.repeat(0, raw.height, dtype=pl.Int64, eager=True)
    if c_unknown is not None:
        parsed, problems = read_number_column(raw, c_unknown, ROW_COUNT, source=source)
        findings += problems
        unknown = parsed.fill_null(0.0).cast(pl.Int64)
    posts = pl.DataFrame(
        {"row": raw[ROW_COLUMN], "reports_to": post_id, "fte": fte, "cost": cost, "n": unknown}
    )
    known = posts.filter((pl.col("fte") > 0) | (pl.col("cost") > 0)).select(
        "row", "reports_to", "fte", "cost"
    )
    # One row without a cost (and without FTE) for each junior row whose pay was not known.
    unknowns = (
        posts.filter(pl.col("n") > 0)
        .select("row", "reports_to", pl.int_ranges(0, "n").alias("_k"))
        .explode("_k")
        .select(
            "row", "reports_to", pl.lit(0.0).alias("fte"), pl.lit(None, pl.Float64).alias("cost")
        )
    )
    return pl.concat([known, unknowns]).sort("row", maintain_order=True).cast(JUNIOR_SCHEMA)  # type: ignore[arg-type]
