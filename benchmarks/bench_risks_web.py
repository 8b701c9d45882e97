"""Benchmark of the risk register on PostgreSQL; refreshes its section of docs/benchmarks.md.

Run from the repository root, with PostgreSQL at 127.0.0.1:5432 (trust
authentication); the benchmark creates and drops its own database,
``goldenthread_bench_risks``:

    .venv/bin/python benchmarks/bench_risks_web.py

It adds 1,000 risks to one programme through the services (each with two
mitigations and three reviews), then requests the register (first page,
filtered and sorted), its export and the programme's risk panel repeatedly
through Django's test client, which measures the server's whole handling of
the request. The median is of the requests after the first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

DATABASE = "goldenthread_bench_risks"
SECTION = "## Risk register"
COMMAND = ".venv/bin/python benchmarks/bench_risks_web.py"
RISKS = 1_000
REPEATS = 9
TARGET_REGISTER_SECONDS = 0.3
TARGET_PANEL_SECONDS = 0.5
TODAY = dt.date(2026, 3, 31)

PAGES = {
    "Default order (highest residual score), page 1": "",
    "Search, two categories, open, a band, overdue, by next review": (
        "?q=risk&category=Financial&category=People&status=open&band=12-19&overdue=yes"
        "&sort=next_review&order=desc"
    ),
    "Score 5 to 20, by owner, page 5": "?score-from=5&score-to=20&sort=owner&page=5",
    "Inherent heat map, by title (descending)": "?scores=inherent&sort=title&order=desc",
}


def build(organisation, programme, user) -> None:  # type: ignore[no-untyped-def]
    from goldenthread.programme.models import RiskCategory
    from goldenthread.programme.risks import services

    categories = RiskCategory.values
    for number in range(1, RISKS + 1):
        risk = services.risk_create(
            organisation=organisation,
            programme=programme,
            reference=f"R{number:04}",
            title=f"Risk {number} to the programme",
            category=categories[number % len(categories)],
            cause="Capacity is short",
            event="Delivery slips",
            effect="Savings arrive late",
            owner=f"Owner {number % 40}",
            inherent_likelihood=number % 5 + 1,
            inherent_impact=(number // 5) % 5 + 1,
            residual_likelihood=(number // 3) % 5 + 1,
            residual_impact=(number // 7) % 5 + 1,
            today=TODAY,
            by=user,
        )
        for position in (1, 2):
            services.mitigation_create(risk=risk, description=f"Mitigation {position}", by=user)
        for months in (9, 5, 1 + number % 4):
            services.risk_review_create(
                risk=risk,
                reviewed_on=TODAY - dt.timedelta(days=30 * months),
                likelihood=(number + months) % 5 + 1,
                impact=(number // 2 + months) % 5 + 1,
                today=TODAY,
                by=user,
            )


def time_get(client, url: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from django.db import connection

    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    return {"median": statistics.median(timings), "queries": len(queries)}


def time_panel(organisation, programme, request) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.template.loader import render_to_string

    from goldenthread.programme.risks.registrations import programme_risks_panel

    def render() -> None:
        panel = programme_risks_panel(organisation, programme)
        render_to_string(panel.template, panel.context, request)

    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        render()
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        render()
        timings.append(time.perf_counter() - start)
    return {"median": statistics.median(timings), "queries": len(queries)}


def run() -> dict[str, object]:
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.urls import reverse

    from goldenthread.accounts import services as accounts
    from goldenthread.accounts.models import Membership, Role
    from goldenthread.accounts.services import create_attributed
    from goldenthread.programme.models import Programme

    organisation = accounts.organisation_create(name="Benchmark Borough Council", slug="bench")
    user = accounts.user_create(username="bench-admin", password="bench-password-7731")
    accounts.membership_create(organisation=organisation, user=user, role=Role.ADMIN)
    programme = create_attributed(
        Programme, by=user, organisation=organisation, name="Shaping our Future"
    )
    start = time.perf_counter()
    build(organisation, programme, user)
    print(f"built {RISKS:,} risks in {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE programme_risk")
        cursor.execute("ANALYZE programme_riskreview")
    client = Client()
    client.force_login(user)
    register = reverse("programme:risk_list", kwargs={"org_slug": organisation.slug})
    pages = {}
    for label, query in PAGES.items():
        pages[label] = time_get(client, register + query)
        print(f"{label}: median {pages[label]['median']:.3f} s, {pages[label]['queries']} queries")
    export = time_get(
        client,
        reverse("programme:risk_export", kwargs={"org_slug": organisation.slug, "fmt": "xlsx"}),
    )
    print(f"export: median {export['median']:.3f} s")
    request = RequestFactory().get("/")
    request.user = user
    request.organisation = organisation  # type: ignore[attr-defined]
    request.membership = Membership.objects.get(user=user)  # type: ignore[attr-defined]
    panel = time_panel(organisation, programme, request)
    print(f"programme panel: median {panel['median']:.3f} s, {panel['queries']} queries")
    return {"pages": pages, "export": export, "panel": panel, "load": os.getloadavg()[0]}


def report(results: dict[str, object], machine: str) -> str:
    pages: dict[str, dict[str, float]] = results["pages"]  # type: ignore[assignment]
    export: dict[str, float] = results["export"]  # type: ignore[assignment]
    panel: dict[str, float] = results["panel"]  # type: ignore[assignment]

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    lines = [
        SECTION,
        "",
        f"Machine: {machine}; PostgreSQL 15 on the same machine.",
        "",
        f"Command: `{COMMAND}`",
        "",
        f"{RISKS:,} risks of one programme, each with two mitigations and three reviews, "
        "added through the services. Each register page is filtered, sorted and paged in the "
        "database and rendered with its filter panel and the heat map (one grouped count). "
        f"The median is of {REPEATS} requests, through Django's test client.",
        "",
        "| Page | Median | Queries | Target (median) |",
        "| --- | ---: | ---: | --- |",
    ]
    for label, t in pages.items():
        lines.append(
            f"| Register: {label} | {t['median'] * 1000:.0f} ms | {t['queries']:.0f} | "
            f"under {TARGET_REGISTER_SECONDS * 1000:.0f} ms: "
            f"{verdict(t['median'] < TARGET_REGISTER_SECONDS)} |"
        )
    lines.append(
        f"| The programme page's risk panel (heat map, overdue reviews), rendered alone | "
        f"{panel['median'] * 1000:.0f} ms | {panel['queries']:.0f} | a part of the programme "
        f"page's {TARGET_PANEL_SECONDS * 1000:.0f} ms |"
    )
    lines.append(
        f"| Export of every risk (Excel) | {export['median'] * 1000:.0f} ms | "
        f"{export['queries']:.0f} | none set |"
    )
    lines += ["", f"The machine's load average was {float(results['load']):.1f}.", ""]  # type: ignore[arg-type]
    return "\n".join(lines)


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
        drop_database(DATABASE)
    section = report(results, machine())
    print(section)
    if not args.no_doc:
        update_doc(section, SECTION)


if __name__ == "__main__":
    main()
