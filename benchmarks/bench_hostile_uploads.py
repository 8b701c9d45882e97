"""Benchmark: the worker's memory and time on large and hostile uploads; refreshes its
section of docs/benchmarks.md.

Run from the repository root, with PostgreSQL at 127.0.0.1:5432 (trust
authentication); the benchmark creates and drops its own database,
``goldenthread_bench_uploads``:

    .venv/bin/python benchmarks/bench_hostile_uploads.py

Each file is uploaded as an editor's upload is (the file is stored and its check
queued), then the real database worker (``goldenthread manage db_worker
--batch``) is started as a child process and runs the queued jobs to the end.
The worker's peak resident memory is read from the operating system when it
exits (``getrusage(RUSAGE_CHILDREN)``, one fresh worker per file), so it counts
everything the worker allocated, the spreadsheet library's native memory
included. Target: every file under 1 GiB of worker memory.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench_structure_web import drop_database, fresh_database, setup_django, update_doc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

DATABASE = "goldenthread_bench_uploads"
SECTION = "## Large and hostile uploads"
COMMAND = ".venv/bin/python benchmarks/bench_hostile_uploads.py"
TARGET_MIB = 1024
MIB = 1024 * 1024


def units_csv(target_bytes: int) -> bytes:
    """A units file of distinct, valid rows, about ``target_bytes`` long."""
    out = io.StringIO()
    out.write("code,name,kind,parent_code,description\n")
    out.write("TOP,Whole council,directorate,,The council\n")
    n = 0
    while out.tell() < target_bytes:
        out.write(f"U{n:07d},Team number {n} of the council,team,TOP,A team of the council\n")
        n += 1
    return out.getvalue().encode()


def duplicate_rows_csv(rows: int) -> bytes:
    """``rows`` rows, each the same unit: one problem a row, if nothing capped them."""
    return b"code,name,kind,parent_code,description\n" + b"PEO,People,directorate,,\n" * rows


def bomb_workbook(rows: int) -> bytes:
    """A workbook of ``rows`` identical rows, compressed as hard as zip allows."""
    from tests import hostile

    return hostile.repeated_rows(rows, ("code", "name"), ("PEO", "People"))


def far_corner_workbook() -> bytes:
    from tests import hostile

    return hostile.far_corner()


def wide_csv(columns: int) -> bytes:
    from tests import hostile

    return hostile.wide_csv(columns)


def large_xlsx(rows: int) -> bytes:
    """A units workbook of ``rows`` distinct rows, each with a description that does not
    compress (a hash), so that the file is large for its rows (about 30 MB for 500,000)."""
    from goldenthread.formats.writing import Sheet, write_xlsx

    header = ("code", "name", "kind", "parent_code", "description")
    body = [("TOP", "Whole council", "directorate", "", "")]
    body += [
        (
            f"U{n:07d}",
            f"Team number {n} of the council",
            "team",
            "TOP",
            hashlib.sha256(str(n).encode()).hexdigest(),
        )
        for n in range(rows)
    ]
    return write_xlsx([Sheet("Units", header, body)])


def high_water_mib(pid: int) -> float:
    """The peak resident memory of a running process (``VmHWM``), in MiB; 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_worker() -> tuple[float, float]:
    """Run the queued jobs in a fresh worker process; its seconds and peak memory (MiB).

    The peak is the worker's own high-water mark, read while it runs: the
    resource usage a parent gets back from a child also counts what the child
    inherited from the parent's memory when it was forked.
    """
    start = time.perf_counter()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "goldenthread.cli",
            "manage",
            "db_worker",
            "--batch",
            "--no-startup-delay",
        ],
        env={**os.environ},
    )
    peak = 0.0
    while worker.poll() is None:
        peak = max(peak, high_water_mib(worker.pid))
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    if worker.returncode != 0:
        raise SystemExit(f"the worker exited with {worker.returncode}")
    return seconds, peak


def check_units(organisation, user, name: str, data: bytes) -> dict[str, object]:
    from goldenthread.kit.importing import import_run_create
    from goldenthread.kit.models import ImportRun

    run = import_run_create(
        organisation=organisation, importer="units", filename=name, data=data, by=user
    )
    seconds, peak = run_worker()
    run = ImportRun.objects.defer("data").get(pk=run.pk)
    return {
        "file": name,
        "size": len(data),
        "seconds": seconds,
        "peak": peak,
        "status": run.get_status_display(),
        "problems": run.problem_count,
        "first": run.problems[0]["message"] if run.problems else run.summary,
    }


def unpacked(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return sum(info.file_size for info in book.infolist())
    except zipfile.BadZipFile:
        return len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-doc", action="store_true", help="do not update the docs")
    args = parser.parse_args()
    fresh_database(DATABASE)
    results = []
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            setup_django(var_dir, DATABASE, log_level="ERROR")
            from goldenthread.accounts import services as accounts
            from goldenthread.accounts.models import Role

            organisation = accounts.organisation_create(name="Bench Council", slug="bench")
            user = accounts.user_create(username="bench-editor", password="bench-password-7731")
            accounts.membership_create(organisation=organisation, user=user, role=Role.EDITOR)
            cases = [
                ("units-30mb.csv", lambda: units_csv(30 * MIB)),
                ("units-30mb.xlsx", lambda: large_xlsx(500_000)),
                ("three-million-rows.csv", lambda: duplicate_rows_csv(3_000_000)),
                ("900000-duplicate-rows.csv", lambda: duplicate_rows_csv(900_000)),
                ("zip-bomb.xlsx", lambda: bomb_workbook(3_000_000)),
                ("a1-and-xfd1048576.xlsx", far_corner_workbook),
                ("200000-columns.csv", lambda: wide_csv(200_000)),
            ]
            for name, build in cases:
                data = build()
                result = check_units(organisation, user, name, data)
                result["unpacked"] = unpacked(data)
                results.append(result)
                print(
                    f"{name}: {len(data) / MIB:.1f} MiB, {result['seconds']:.1f} s, "
                    f"peak {result['peak']:.0f} MiB, {result['status']}: {result['first']}"
                )
    finally:
        drop_database(DATABASE)
    if not args.no_doc:
        write_doc(results)


def write_doc(results: list[dict[str, object]]) -> None:
    load = os.getloadavg()[0]
    lines = [
        SECTION,
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; PostgreSQL. Load average at the end: {load:.1f}.",
        "",
        f"Command: `{COMMAND}` (refreshes this section).",
        "",
        "Each file goes through the units import's check as an upload does, in a fresh "
        "worker process (`db_worker --batch`); peak memory is the worker's maximum resident "
        f"set. Target: under {TARGET_MIB} MiB for every file.",
        "",
        "| File | Size (MiB) | Unpacked (MiB) | Worker time (s) | Worker peak (MiB) | Outcome |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        first = str(r["first"]).replace("|", "\\|")
        if len(first) > 140:
            first = first[:137] + "..."
        lines.append(
            f"| {r['file']} | {int(r['size']) / MIB:.1f} | {int(r['unpacked']) / MIB:.1f} "
            f"| {float(r['seconds']):.1f} | {float(r['peak']):.0f} "
            f"| {r['status']}; {r['problems']} problems: {first} |"
        )
    peaks = [float(r["peak"]) for r in results]
    met = all(p < TARGET_MIB for p in peaks if p == p)
    lines += ["", f"Against the target: {'met' if met else 'NOT met'}.", ""]
    update_doc("\n".join(lines), SECTION)


if __name__ == "__main__":
    main()
