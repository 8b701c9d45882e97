"""`goldenthread structure ...`: the structure engine from the command line.

``analyse`` reads one structure and reports its spans, layers and costs;
``diff`` compares two. Both fail with exit status 2 and list every problem
when the input is inconsistent, unless ``--lenient`` asks for the documented
repairs. The engine's modules are imported inside the commands so the
``goldenthread`` command itself starts fast.
"""

from __future__ import annotations

import json
import math
import sys
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from goldenthread.analysis.wording import counted
from goldenthread.formats.money import NO_AMOUNT

if TYPE_CHECKING:
    from goldenthread.analysis.diff import StructureDiff
    from goldenthread.analysis.rules import DesignRules
    from goldenthread.analysis.structure import StructureSummary
    from goldenthread.formats.posts import BuildResult

app = typer.Typer(
    help="Analyse and compare organisation structures (organogram, LGA, any table).",
    no_args_is_help=True,
)

EXIT_BAD_INPUT = 2


class Fmt(StrEnum):
    """Input formats."""

    organogram = "organogram"
    lga = "lga"
    table = "table"


FormatOption = Annotated[
    Fmt | None,
    typer.Option("--format", help="Input format; detected from the header when omitted."),
]
MappingOption = Annotated[
    Path | None,
    typer.Option("--mapping", help="TOML column mapping for --format table.", exists=True),
]
RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="TOML design rules (target spans, max layers, ...).", exists=True),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON object instead.")]
LenientOption = Annotated[
    bool,
    typer.Option("--lenient", help="Apply the documented repairs and report them as warnings."),
]


def finite(value: Any) -> Any:
    """``value`` with every float that is not finite (NaN, infinity) as ``None``.

    JSON has no NaN or Infinity; Python's ``json`` would write them, and a
    strict parser refuses the whole document.

    >>> finite({"mean": float("nan"), "spans": [1.5, float("inf")], "n": 3})
    {'mean': None, 'spans': [1.5, None], 'n': 3}
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value


def dumps(value: Any) -> str:
    """The JSON the commands print: indented, Unicode kept, never NaN or Infinity."""
    return json.dumps(finite(value), indent=2, ensure_ascii=False, allow_nan=False)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def money(value: Decimal | None, *, signed: bool = False) -> str:
    """Money in a report: pounds and pence, a minus sign before the pound sign.

    With ``signed`` a rise has a plus sign, for a column of changes.

    >>> money(Decimal("-657498.5")), money(Decimal("30000")), money(None)
    ('−£657,498.50', '£30,000.00', '–')
    >>> money(Decimal("1200"), signed=True), money(Decimal("0.00"), signed=True)
    ('+£1,200.00', '£0.00')
    """
    if value is None:
        return NO_AMOUNT
    sign = "−" if value < 0 else "+" if signed and value > 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def _fail(problems: list[Any], warnings: list[Any], as_json: bool) -> typer.Exit:
    if as_json:
        typer.echo(
            dumps(
                {
                    "problems": [p.as_dict() for p in problems],
                    "warnings": [w.as_dict() for w in warnings],
                }
            )
        )
    count = len(problems)
    typer.echo(f"{count} problem{'s' if count != 1 else ''} in the input:", err=True)
    for p in problems:
        typer.echo(f"  {p}", err=True)
    typer.echo("Fix them, or use --lenient to apply the documented repairs.", err=True)
    return typer.Exit(EXIT_BAD_INPUT)


#: Cells read at most from a file given on the command line: a person's own file on
#: their own machine, so room for the engine's million posts with dozens of columns
#: (an upload is held to the site's far lower limit on cells).
LOCAL_MAX_CELLS = 50_000_000


def _load(
    path: Path,
    junior: Path | None,
    fmt: Fmt | None,
    mapping: Path | None,
    lenient: bool,
    as_json: bool,
) -> BuildResult:
    from goldenthread.formats.detect import read_posts
    from goldenthread.formats.errors import SettingsFileError, StructureImportError
    from goldenthread.formats.posts import build_structure
    from goldenthread.formats.reading import FormatError
    from goldenthread.formats.sources import ReadLimits
    from goldenthread.formats.table import load_mapping

    try:
        column_map = load_mapping(mapping) if mapping is not None else None
        table = read_posts(
            path,
            junior,
            fmt=None if fmt is None else fmt.value,
            mapping=column_map,
            limits=ReadLimits(max_cells=LOCAL_MAX_CELLS),
        )
        return build_structure(table, lenient=lenient)
    except FormatError as exc:
        raise _fail(list(exc.problems), [], as_json) from exc
    except StructureImportError as exc:
        raise _fail(list(exc.problems), list(exc.warnings), as_json) from exc
    except SettingsFileError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from exc
    except ValueError as exc:
        typer.echo(f"{path}: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from exc


def _rules(path: Path | None) -> DesignRules:
    from goldenthread.analysis.rules import DEFAULT_RULES
    from goldenthread.formats.detect import load_rules
    from goldenthread.formats.errors import SettingsFileError

    if path is None:
        return DEFAULT_RULES
    try:
        return load_rules(path)
    except SettingsFileError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from exc


def _group_json(groups: Any) -> list[dict[str, Any]]:
    return [
        {
            "name": g.name,
            "posts": g.posts,
            "managers": g.managers,
            "vacant": g.vacant,
            "fte": g.fte,
            "cost": _money(g.cost),
            "unknown_cost_posts": g.unknown_cost_posts,
            "junior_fte": g.junior_fte,
            "junior_cost": _money(g.junior_cost),
            "junior_unknown_cost_rows": g.junior_unknown_cost_rows,
        }
        for g in groups
    ]


def summary_json(
    summary: StructureSummary, result: BuildResult, rules: DesignRules
) -> dict[str, Any]:
    """The JSON object printed by ``analyse --json``."""
    s = summary
    return {
        "source": result.structure.source,
        "posts": s.posts,
        "roots": s.roots,
        "layers": s.layers,
        "posts_by_layer": list(s.posts_by_layer),
        "fte_by_layer": list(s.fte_by_layer),
        "cost_by_layer": [_money(c) for c in s.cost_by_layer],
        "junior_fte_by_layer": list(s.junior_fte_by_layer),
        "junior_cost_by_layer": [_money(c) for c in s.junior_cost_by_layer],
        "fte": s.fte,
        "senior_fte": s.senior_fte,
        "junior_fte": s.junior_fte,
        "junior_posts": s.junior_posts,
        "managers": s.managers,
        "non_managers": s.non_managers,
        "manager_ratio": s.manager_ratio,
        "span_min": s.spans.minimum,
        "span_median": s.spans.median,
        "span_mean": s.spans.mean,
        "span_max": s.spans.maximum,
        "span_histogram": {str(k): v for k, v in s.spans.histogram},
        "rules": {
            "target_span_min": rules.target_span_min,
            "target_span_max": rules.target_span_max,
            "narrow_span_max": rules.narrow_span_max,
            "max_layers": rules.max_layers,
        },
        "narrow_spans": s.narrow_spans,
        "below_target_spans": s.below_target_spans,
        "within_target_spans": s.within_target_spans,
        "wide_spans": s.wide_spans,
        "posts_beyond_max_layers": s.posts_beyond_max_layers,
        "single_report_posts": s.single_report_posts,
        "single_report_chains": s.single_report_chains,
        "longest_single_report_chain": s.longest_single_report_chain,
        "total_cost": _money(s.total_cost),
        "posts_cost": _money(s.posts_cost),
        "junior_cost": _money(s.junior_cost),
        "unknown_cost_posts": s.unknown_cost_posts,
        "junior_unknown_cost_rows": s.junior_unknown_cost_rows,
        "management_cost": _money(s.management_cost),
        "management_cost_share": s.management_cost_share,
        "vacant": s.vacant,
        "agency": s.agency,
        "not_in_post_rows": s.not_in_post_rows,
        "job_shares": result.job_shares,
        "rows_read": result.rows_read,
        "matched_by": result.matched_by,
        "by_unit": _group_json(s.by_unit),
        "by_grade": _group_json(s.by_grade),
        "breaches": list(s.breaches),
        "warnings": [w.as_dict() for w in result.warnings],
    }


def _report(summary: StructureSummary, result: BuildResult, rules: DesignRules) -> str:
    s = summary
    lines = [f"Structure: {result.structure.source}"]
    lines.append(
        f"  {counted(s.posts, 'post')} from {counted(result.rows_read, 'row')} "
        f"({counted(result.job_shares, 'job share')}, "
        f"{counted(s.not_in_post_rows, 'not-in-post row')} apart)"
    )
    lines.append(f"  {counted(s.roots, 'top post')}, {counted(s.layers, 'layer')}")
    lines.append(
        "  Posts by layer: " + ", ".join(f"{i + 1}: {v:,}" for i, v in enumerate(s.posts_by_layer))
    )
    lines.append(
        "  FTE of posts by layer: "
        + ", ".join(f"{i + 1}: {v:,.2f}" for i, v in enumerate(s.fte_by_layer))
    )
    lines.append(
        f"  FTE {s.fte:,.2f} (posts {s.senior_fte:,.2f}, junior staff {s.junior_fte:,.2f})"
    )
    if s.junior_fte:
        lines.append(
            f"  Junior staff: {s.junior_fte:,.2f} FTE reporting to "
            f"{counted(s.junior_posts, 'post')}, "
            "counted in the layer below the post they report to (FTE, not posts): "
            + ", ".join(f"{i + 1}: {v:,.2f}" for i, v in enumerate(s.junior_fte_by_layer) if v)
        )
    lines.append("")
    lines.append(
        f"Spans (managers only): {counted(s.managers, 'manager')}, min {s.spans.minimum}, "
        f"median {s.spans.median:g}, mean {s.spans.mean:.2f}, max {s.spans.maximum}"
    )
    lines.append("  Histogram: " + ", ".join(f"{k}: {v}" for k, v in s.spans.histogram))
    lines.append(
        f"  Against target {rules.target_span_min}-{rules.target_span_max}: "
        f"{s.below_target_spans} below ({s.narrow_spans} narrow, 1-{rules.narrow_span_max}), "
        f"{s.within_target_spans} within, {s.wide_spans} wide"
    )
    lines.append(
        f"  Single-report chains: {s.single_report_chains} "
        f"(longest {s.longest_single_report_chain}); "
        f"{counted(s.single_report_posts, 'manager')} with one report"
    )
    ratio = "n/a" if s.manager_ratio is None else f"1 : {s.manager_ratio:.2f}"
    lines.append(f"  Managers to non-managers: {ratio}")
    lines.append("")
    share = "n/a" if s.management_cost_share is None else f"{s.management_cost_share:.1%}"
    if s.junior_fte or s.junior_unknown_cost_rows:
        lines.append(
            f"Cost: {money(s.total_cost)} known (posts {money(s.posts_cost)}, junior staff "
            f"{money(s.junior_cost)}); {counted(s.unknown_cost_posts, 'post')} and "
            f"{counted(s.junior_unknown_cost_rows, 'junior row')} with unknown cost"
        )
    else:
        lines.append(
            f"Cost: {money(s.total_cost)} known; "
            f"{counted(s.unknown_cost_posts, 'post')} with unknown cost"
        )
    lines.append(f"  Management cost {money(s.management_cost)} ({share} of known cost)")
    lines.append(f"  Vacant {s.vacant}, agency {s.agency}")
    lines.append("")
    lines.append("By unit:")
    for g in s.by_unit[:25]:
        posts = counted(g.posts, "post")
        line = f"  {g.name[:50]:50} {posts:>13} {g.fte:11,.2f} FTE  {money(g.cost)}"
        if g.junior_fte:
            line += f"; junior staff {g.junior_fte:,.2f} FTE  {money(g.junior_cost)}"
        lines.append(line)
    if len(s.by_unit) > 25:
        lines.append(f"  ... and {counted(len(s.by_unit) - 25, 'more unit')} (see --json)")
    if s.breaches:
        lines.append("")
        lines.append("Design rules not met:")
        lines += [f"  - {b}" for b in s.breaches]
    lines += _warning_lines(result, "")
    return "\n".join(lines)


def _warning_lines(result: BuildResult, of: str) -> list[str]:
    """The repairs made and notes found reading one structure (the first 50)."""
    warnings = result.warnings
    if not warnings:
        return []
    count = len(warnings)
    lines = ["", f"{count} warning{'s' if count != 1 else ''}{' for ' + of if of else ''}:"]
    lines += [f"  {w}" for w in warnings[:50]]
    if count > 50:
        lines.append("  ... (see --json for all)")
    return lines


@app.command()
def analyse(
    senior: Annotated[
        Path,
        typer.Argument(help="Posts file (organogram senior file, LGA file or table).", exists=True),
    ],
    junior: Annotated[
        Path | None, typer.Argument(help="Organogram junior file.", exists=True)
    ] = None,
    fmt: FormatOption = None,
    mapping: MappingOption = None,
    rules: RulesOption = None,
    as_json: JsonOption = False,
    per_post: Annotated[
        Path | None,
        typer.Option("--per-post", help="Write one CSV row per post to this file."),
    ] = None,
    lenient: LenientOption = False,
) -> None:
    """Spans, layers, roll-ups and management cost of one structure."""
    from goldenthread.analysis.structure import post_metrics, summarise

    design = _rules(rules)
    result = _load(senior, junior, fmt, mapping, lenient, as_json)
    metrics = post_metrics(result.structure)
    summary = summarise(result.structure, design, metrics)
    if per_post is not None:
        _write_per_post(per_post, result, metrics)
    if as_json:
        typer.echo(dumps(summary_json(summary, result, design)))
    else:
        typer.echo(_report(summary, result, design))


def _write_per_post(path: Path, result: BuildResult, metrics: Any) -> None:
    import numpy as np
    import polars as pl

    from goldenthread.analysis.rules import pence
    from goldenthread.formats.writing import write_csv

    s = result.structure
    par = s.parent
    has = par >= 0
    ids = s.post_id.to_numpy()
    manager = np.full(len(s), None, dtype=object)
    manager[has] = ids[par[has]]
    # Money to the penny, as the engine adds it: each column adds up to its totals.
    cost = metrics.cost
    frame = pl.DataFrame(
        {
            "post_id": s.post_id,
            "reports_to": pl.Series(manager.tolist(), dtype=pl.String),
            "layer": metrics.layer,
            "span": metrics.span,
            "reports_below": metrics.reports_below,
            "fte": np.round(metrics.fte, 4),
            "cost": pl.Series(np.round(cost, 2)).fill_nan(None),
            "fte_below": np.round(metrics.fte_below, 4),
            "cost_below": np.round(metrics.cost_below, 2),
            "unknown_cost_below": metrics.unknown_cost_below,
            "junior_fte": np.round(s.junior_fte, 4),
            "junior_cost": np.round(pence(s.junior_cost) / 100, 2),
            "junior_fte_below": np.round(metrics.junior_fte_below, 4),
            "junior_cost_below": np.round(metrics.junior_cost_below, 2),
            "junior_unknown_cost_below": metrics.junior_unknown_cost_below,
            "title": s.title,
            "grade": s.grade,
            "unit": s.unit,
        }
    )
    # Through the one writer, so a formula-looking title is written inert.
    path.write_bytes(write_csv(frame.columns, frame.iter_rows()))


def diff_json(d: StructureDiff) -> dict[str, Any]:
    """The JSON object printed by ``diff --json``."""

    def unit(u: Any) -> dict[str, Any]:
        return {
            "unit": u.unit,
            "posts_before": u.posts_before,
            "posts_after": u.posts_after,
            "posts_change": u.posts_change,
            "fte_before": u.fte_before,
            "fte_after": u.fte_after,
            "fte_change": u.fte_change,
            "cost_before": _money(u.cost_before),
            "cost_after": _money(u.cost_after),
            "cost_change": _money(u.cost_change),
            "unknown_cost_before": u.unknown_cost_before,
            "unknown_cost_after": u.unknown_cost_after,
            "junior_fte_before": u.junior_fte_before,
            "junior_fte_after": u.junior_fte_after,
            "junior_fte_change": u.junior_fte_change,
            "junior_cost_before": _money(u.junior_cost_before),
            "junior_cost_after": _money(u.junior_cost_after),
            "junior_cost_change": _money(u.junior_cost_change),
        }

    def refs(items: Any) -> list[dict[str, Any]]:
        return [
            {
                "post_id": r.post_id,
                "title": r.title,
                "unit": r.unit,
                "cost": _money(r.cost),
                "junior_fte": r.junior_fte,
                "junior_cost": _money(r.junior_cost),
            }
            for r in items
        ]

    def changes(items: Any) -> list[dict[str, Any]]:
        return [
            {"post_id": c.post_id, "title": c.title, "before": c.before, "after": c.after}
            for c in items
        ]

    return {
        "matched_by": d.matched_by,
        "added": refs(d.added),
        "removed": refs(d.removed),
        "moved": changes(d.moved),
        "retitled": changes(d.retitled),
        "regraded": changes(d.regraded),
        "fte_changed": changes(d.fte_changed),
        "cost_changed": changes(d.cost_changed),
        "junior_changed": [
            {
                "post_id": c.post_id,
                "title": c.title,
                "unit": c.unit,
                "fte_before": c.fte_before,
                "fte_after": c.fte_after,
                "cost_before": _money(c.cost_before),
                "cost_after": _money(c.cost_after),
            }
            for c in d.junior_changed
        ],
        "total": unit(d.total),
        "by_unit": [unit(u) for u in d.by_unit],
        "staffing_saving": _money(d.staffing_saving),
        "posts_saving": _money(d.posts_saving),
        "junior_saving": _money(d.junior_saving),
        "junior_compared": d.junior_compared,
        "redundancies": d.redundancies,
        "redundancy_cost": _money(d.redundancy_cost),
        # How the estimate was made: "flat" (or "bands"); null when it is withheld.
        "redundancy_basis": None if d.redundancy is None else d.redundancy.basis,
        "cost_per_redundancy": None if d.redundancy is None else _money(d.redundancy.flat),
        "redundancy_by_grade": []
        if d.redundancy is None
        else [
            {
                "grade": g.grade,
                "posts": g.posts,
                "cost_each": _money(g.cost_each),
                "banded": g.banded,
            }
            for g in d.redundancy.by_grade
        ],
        "net_saving_first_year": _money(d.net_saving_first_year),
        "paired": d.paired,
        "pairing_unreliable": d.pairing_unreliable or None,
        "redundancy_withheld": d.redundancy_withheld or None,
    }


def _diff_report(d: StructureDiff, old: Path, new: Path) -> str:
    from goldenthread.analysis.diff import BY_TITLE
    from goldenthread.analysis.redundancy import BASIS_FLAT

    lines = [f"Changes from {old} to {new} (posts matched by {d.matched_by})"]
    lines.append(
        f"  {counted(len(d.added), 'post')} added, {len(d.removed)} removed, "
        f"{len(d.moved)} moved to a new manager, {len(d.retitled)} retitled, "
        f"{len(d.regraded)} regraded, {len(d.fte_changed)} with changed FTE, "
        f"{len(d.cost_changed)} with changed cost"
    )
    lines.append("")
    header = (
        f"  {'Unit':44} {'Before':>7} {'After':>7} {'Change':>7} "
        f"{'FTE change':>11} {'Cost change':>18}"
    )
    lines.append(header)
    for u in (*d.by_unit, d.total):
        lines.append(
            f"  {u.unit[:44]:44} {u.posts_before:7,} {u.posts_after:7,} {u.posts_change:+7,} "
            f"{u.fte_change:+11,.2f} {money(u.cost_change, signed=True):>18}"
        )
    lines.append("")
    t = d.total
    if t.junior_fte_before or t.junior_fte_after:
        lines.append(
            f"Junior staff (FTE, not posts): {t.junior_fte_before:,.2f} FTE before, "
            f"{t.junior_fte_after:,.2f} after ({t.junior_fte_change:+,.2f}); known cost "
            f"{money(t.junior_cost_before)} before, {money(t.junior_cost_after)} after; "
            f"{counted(len(d.junior_changed), 'post')} whose junior staff changed"
        )
    if d.junior_compared:
        lines.append(
            f"Staffing saving (known costs): {money(d.staffing_saving)} "
            f"(posts {money(d.posts_saving)}, junior staff {money(d.junior_saving)})"
        )
    elif t.junior_fte_before or t.junior_fte_after:
        lines.append(
            f"Staffing saving (known costs of posts only, as only one structure has junior "
            f"staff): {money(d.staffing_saving)}"
        )
    else:
        lines.append(f"Staffing saving (known costs): {money(d.staffing_saving)}")
    if d.redundancy is None or d.net_saving_first_year is None:
        lines.append(f"Redundancy estimate: {d.redundancy_withheld}")
        lines.append("Net saving in the first year: not estimated")
    else:
        removed = counted(d.redundancy.posts, "filled post")
        if d.redundancy.basis == BASIS_FLAT:
            lines.append(
                f"Redundancy estimate: {removed} removed × {money(d.redundancy.flat)}, "
                f"the flat cost per redundancy = {money(d.redundancy_cost)}"
            )
        else:
            lines.append(
                f"Redundancy estimate: {removed} removed, each at its grade's cost "
                f"({counted(d.redundancy.unbanded, 'post')} with no band at the flat "
                f"{money(d.redundancy.flat)}) = {money(d.redundancy_cost)}"
            )
        lines.append(f"Net saving in the first year: {money(d.net_saving_first_year)}")
    if d.pairing_unreliable:
        warning = [f"  Warning: {d.pairing_unreliable}"]
        if d.matched_by != BY_TITLE:
            warning.append(f"  {PAIR_BY_TITLE_HINT}")
        lines[1:1] = warning
    return "\n".join(lines)


class PairBy(StrEnum):
    """How ``diff`` pairs the posts of the two structures."""

    by_id = "id"
    by_title = "title"


PAIR_BY_TITLE_HINT = (
    "If the two files gave their posts IDs separately, compare them with --pair-by title."
)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The structure before.", exists=True)],
    new: Annotated[Path, typer.Argument(help="The structure after.", exists=True)],
    fmt: FormatOption = None,
    mapping: MappingOption = None,
    rules: RulesOption = None,
    as_json: JsonOption = False,
    lenient: LenientOption = False,
    pair_by: Annotated[
        PairBy,
        typer.Option(
            "--pair-by",
            help="Pair posts by post ID (id, the default) or by title and unit (title).",
        ),
    ] = PairBy.by_id,
    old_junior: Annotated[
        Path | None,
        typer.Option(
            "--old-junior", help="Organogram junior file of the old structure.", exists=True
        ),
    ] = None,
    new_junior: Annotated[
        Path | None,
        typer.Option(
            "--new-junior", help="Organogram junior file of the new structure.", exists=True
        ),
    ] = None,
) -> None:
    """What changed between two structures, per unit, and the saving."""
    from goldenthread.analysis.diff import diff_structures, pairing

    design = _rules(rules)
    before = _load(old, old_junior, fmt, mapping, lenient, as_json)
    after = _load(new, new_junior, fmt, mapping, lenient, as_json)
    matched_by = pairing(before.matched_by, after.matched_by, by_title=pair_by == PairBy.by_title)
    result = diff_structures(before.structure, after.structure, rules=design, matched_by=matched_by)
    sides = {"before": before, "after": after}
    if as_json:
        data = diff_json(result)
        data["warnings"] = [
            {"structure": side, **w.as_dict()}
            for side, built in sides.items()
            for w in built.warnings
        ]
        typer.echo(dumps(data))
    else:
        lines = [_diff_report(result, old, new)]
        for (side, built), path in zip(sides.items(), (old, new), strict=True):
            lines += _warning_lines(built, f"the structure {side} ({path})")
        typer.echo("\n".join(lines))
    sys.stdout.flush()
