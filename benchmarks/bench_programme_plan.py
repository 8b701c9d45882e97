"""Benchmark of the actions register and the actions export on PostgreSQL.

Run from the repository root, with PostgreSQL at 127.0.0.1:5432 (trust
authentication); the benchmark creates and drops its own database,
``goldenthread_bench_plan``, and refreshes its section of docs/benchmarks.md:

    .venv/bin/python benchmarks/bench_programme_plan.py

It makes one programme of 5,000 actions (five workstreams, four phases, a
fifth of the actions from another plan) and requests the actions register
(first page; filtered and sorted) and the XLSX export of every action through
Django's test client, which measures the server's whole handling of the
request. The median is of the requests after the first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

DATABASE = "goldenthread_bench_plan"
SECTION = "## Programme actions"
COMMAND = ".venv/bin/python benchmarks/bench_programme_plan.py"
ACTIONS = 5_000
REPEATS = 5
TARGET_REGISTER_SECONDS = 0.3
TARGET_EXPORT_SECONDS = 3.0


def make_plan() -> tuple[object, object]:
    from goldenthread.accounts import services as accounts
    from goldenthread.accounts.models import Role
    from goldenthread.programme.models import Action, ActionStatus
    from goldenthread.programme.plan import services

    organisation = accounts.organisation_create(name="Benchmark Borough Council", slug="bench")
    user = accounts.user_create(username="bench-admin", password="bench-password-7731")
    accounts.membership_create(organisation=organisation, user=user, role=Role.ADMIN)
    programme = services.programme_create(
        organisation=organisation,
        name="Shaping our future",
        phases=services.DEFAULT_PHASES,
        by=user,
    )
    workstreams = [
        services.workstream_create(programme=programme, name=f"Workstream {n}", by=user)
        for n in range(5)
    ]
    phases = list(programme.phases.all())
    statuses = list(ActionStatus.values)
    start = dt.date(2025, 4, 1)
    # Made in bulk: the benchmark is of reading them, not of the services that write one.
    Action.objects.bulk_create(
        Action(
            organisation=organisation,
            programme=programme,
            reference=f"A-{n:05d}",
            title=f"Action {n} of the transformation programme",
            description="Re-design the service around the customer",
            target_area="Channels",
            owner=f"Lead {n % 40}",
            workstream=workstreams[n % 5],
            phase=phases[n % 4],
            design_by=20252,
            implement_from=20253,
            start_on=start,
            due_on=start + dt.timedelta(days=n % 700),
            status=statuses[n % len(statuses)],
            percent_complete=n % 101,
            budget=Decimal(1000 + n),
            spend=Decimal(n),
            source="Productivity plan" if n % 5 == 0 else "",
            position=n,
        )
        for n in range(ACTIONS)
    )
    return organisation, user


def timed(client: object, url: str) -> dict[str, float]:
    from django.db import connection

    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        first = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    if response.streaming:
        b"".join(response.streaming_content)
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        if response.streaming:
            b"".join(response.streaming_content)
        times.append(time.perf_counter() - start)
    return {"first": first, "median": statistics.median(times), "queries": len(queries)}


def run() -> dict[str, dict[str, float]]:
    from django.test import Client
    from django.urls import reverse

    organisation, user = make_plan()
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    slug = organisation.slug  # type: ignore[attr-defined]
    register = reverse("programme:action_list", kwargs={"org_slug": slug})
    export = reverse("programme:action_export", kwargs={"org_slug": slug, "fmt": "xlsx"})
    return {
        "Actions register, first page": timed(client, register),
        "Actions register, filtered and sorted": timed(
            client, register + "?status=in_progress&own=yes&sort=due_on&order=desc"
        ),
        "Actions export (XLSX, 5,000 actions)": timed(client, export),
    }


def report(results: dict[str, dict[str, float]], machine: str) -> str:
    rows = []
    for name, figures in results.items():
        target = TARGET_EXPORT_SECONDS if "export" in name else TARGET_REGISTER_SECONDS
        met = "met" if figures["median"] <= target else "not met"
        rows.append(
            f"| {name} | {figures['first'] * 1000:,.0f} ms | {figures['median'] * 1000:,.0f} ms "
            f"| {figures['queries']:.0f} | under {target * 1000:,.0f} ms: {met} |"
        )
    return "\n".join(
        [
            SECTION,
            "",
            f"Machine: {machine}; PostgreSQL 15 on the same machine.",
            "",
            f"Command: `{COMMAND}`",
            "",
            f"One programme of {ACTIONS:,} actions. Server time is Django's whole handling of a "
            f"request in-process, measured with its test client; the median is of the "
            f"{REPEATS} requests after the first.",
            "",
            "| Request | First | Median | Queries | Target (median) |",
            "| --- | ---: | ---: | ---: | --- |",
            *rows,
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-doc", action="store_true", help="do not update the docs")
    args = parser.parse_args()

    from bench_structure import machine
    from bench_structure_web import drop_database, fresh_database, setup_django, update_doc

    fresh_database(DATABASE)
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            setup_django(var_dir, DATABASE)
            results = run()
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(DATABASE)
    section = report(results, machine())
    print(section)
    if not args.no_doc:
        update_doc(section, SECTION)


if __name__ == "__main__":
    main()
