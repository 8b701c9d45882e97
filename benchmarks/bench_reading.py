"""Reading hostile and large uploads within limits; refreshes its section of docs/benchmarks.md.

Run from the repository root:

    .venv/bin/python benchmarks/bench_reading.py

Each file is generated here, written to a temporary folder, and read in a
fresh process so that its time (from the read's start to its end) and the
process's maximum resident set size belong to that read alone:

- a workbook whose only cells are A1 and XFD1048576 (refused: columns);
- a zip-bomb workbook of 3,000,000 rows, about 2 MB packed (refused: size);
- a CSV file of 200,000 columns (refused: columns);
- a CSV file of 3,000,000 rows (refused at 1,000,000 rows, through the
  import kit's reader, which keeps every row read until then);
- a CSV file of 1,000,000 posts in 7 columns, read into a polars frame as the
  structure command reads it (accepted).

The default limits are used, except for the last file, read with the
structure command's own limit on cells.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.formats.test_bounded_reading import MAIN, number, workbook, worksheet  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Reading uploaded files"
COMMAND = ".venv/bin/python benchmarks/bench_reading.py"


def two_corners(path: Path) -> None:
    cells = (
        '<row r="1">' + number("A1", 1) + "</row>"
        '<row r="1048576">' + number("XFD1048576", 2) + "</row>"
    )
    path.write_bytes(workbook(("Units", worksheet(cells, dimension="A1:XFD1048576"))))


def zip_bomb(path: Path) -> None:
    shell = workbook(("Units", worksheet("")))
    row = "<row>" + "<c><v>1</v></c>" * 10 + "</row>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        with zipfile.ZipFile(io.BytesIO(shell)) as source:
            for info in source.infolist():
                if info.filename != "xl/worksheets/sheet1.xml":
                    out.writestr(info.filename, source.read(info.filename))
        with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'.encode())
            block = (row * 10_000).encode()
            for _ in range(300):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")


def wide_csv(path: Path) -> None:
    path.write_bytes(b",".join(b"c%d" % i for i in range(200_000)) + b"\nx\n")


def long_csv(path: Path) -> None:
    path.write_bytes(b"code\n" + b"X\n" * 3_000_000)


def posts_csv(path: Path) -> None:
    lines = ["post_id,reports_to,title,grade,unit,fte,cost"]
    lines += [
        f"P{i:07d},{'XX' if i == 0 else f'P{(i - 1) // 7:07d}'},Officer {i % 97},SO{i % 3},"
        f"Unit {i % 5},1,{30000 + i % 9000}"
        for i in range(1_000_000)
    ]
    path.write_text("\n".join(lines) + "\n")


CASES = [
    ("A1 and XFD1048576, .xlsx", "units.xlsx", two_corners, "table"),
    ("zip bomb, 3,000,000 rows, .xlsx", "units.xlsx", zip_bomb, "table"),
    ("200,000 columns, .csv", "units.csv", wide_csv, "table"),
    ("3,000,000 rows, .csv", "units.csv", long_csv, "table"),
    ("1,000,000 posts, 7 columns, .csv", "posts.csv", posts_csv, "frame"),
]


def child(path: str, how: str) -> None:
    from goldenthread.commands.structure import LOCAL_MAX_CELLS
    from goldenthread.formats.reading import FormatError, read_frame
    from goldenthread.formats.sources import ReadLimits
    from goldenthread.formats.tabular import TableError, read_table

    start = time.perf_counter()
    try:
        if how == "frame":
            frame = read_frame(path, limits=ReadLimits(max_cells=LOCAL_MAX_CELLS))
            outcome = f"read: {frame.height:,} rows"
        else:
            table = read_table(Path(path).read_bytes(), Path(path).name)
            outcome = f"read: {len(table.rows):,} rows"
    except TableError as error:
        outcome = error.problem.message
    except FormatError as error:
        outcome = error.problems[0].message
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss": rss, "outcome": outcome}))


def machine() -> str:
    cpu = "unknown CPU"
    match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    if match:
        cpu = match.group(1).strip()
    return f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}"


def update_doc(section: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section.rstrip("\n") + "\n\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--no-doc", action="store_true", help="do not update the docs")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    rows = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        for label, name, make, how in CASES:
            path = Path(folder) / name
            make(path)
            size = path.stat().st_size
            result = subprocess.run(
                [sys.executable, __file__, "--child", str(path), how],
                check=True,
                capture_output=True,
                text=True,
            )
            found = json.loads(result.stdout)
            rows.append(
                f"| {label} | {size / 2**20:,.1f} | {found['seconds']:.2f} | "
                f"{found['rss']:,.0f} | {found['outcome']} |"
            )
            print(rows[-1])
            path.unlink()
    section = "\n".join(
        [
            SECTION,
            "",
            f"Machine: {machine()}.",
            "",
            f"Load on the machine (one-minute load average): {load_before:.1f} at the start "
            f"of the run, {os.getloadavg()[0]:.1f} at the end.",
            "",
            f"Command: `{COMMAND}` (each file read once, in a fresh process; "
            "the default limits of `goldenthread.formats.sources.ReadLimits`; the posts file "
            "with the structure command's own limit on cells).",
            "",
            "| File | Size (MiB) | Time (s) | Max RSS of process (MiB) | Outcome |",
            "|---|---:|---:|---:|---|",
            *rows,
            "",
        ]
    )
    if not args.no_doc:
        update_doc(section)


if __name__ == "__main__":
    main()
