"""Benchmark of the benefits register on PostgreSQL; refreshes its section of docs/benchmarks.md.

Run from the repository root, with PostgreSQL at 127.0.0.1:5432 (trust
authentication); the benchmark creates and drops its own database,
``goldenthread_bench_benefits``:

    .venv/bin/python benchmarks/bench_benefits.py

It adds 2,000 benefits, each with a three-year cashable profile and two
actions of a 100-action programme, then requests the register (filtered,
sorted by the planned £ total, first page), a benefit's page and the
benefits export through Django's test client, and times the programme page's
benefits panel and the finance selector. The median is of 9 requests after a
first one.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

DATABASE = "goldenthread_bench_benefits"
SECTION = "## Benefits register"
COMMAND = ".venv/bin/python benchmarks/bench_benefits.py"
BENEFITS = 2_000
ACTIONS = 100
REPEATS = 9
TARGET_REGISTER_SECONDS = 0.3
TARGET_PANEL_SECONDS = 0.5


def build() -> tuple[object, object, object]:
    from goldenthread.accounts import services as accounts
    from goldenthread.accounts.models import Role
    from goldenthread.accounts.services import create_attributed
    from goldenthread.programme.benefits import services
    from goldenthread.programme.models import Action, BenefitType, Programme

    organisation = accounts.organisation_create(name="Benchmark Borough Council", slug="bench")
    user = accounts.user_create(username="bench-admin", password="bench-password-7731")
    accounts.membership_create(organisation=organisation, user=user, role=Role.ADMIN)
    programme = create_attributed(Programme, by=user, organisation=organisation, name="TOM")
    for n in range(ACTIONS):
        create_attributed(
            Action,
            by=user,
            organisation=organisation,
            programme=programme,
            reference=f"A-{n:03d}",
            title=f"Action {n}",
        )
    types = list(BenefitType.values)
    for n in range(BENEFITS):
        benefit = services.benefit_create(
            organisation=organisation,
            reference=f"B-{n:04d}",
            title=f"Benefit {n}",
            type=types[n % len(types)],
            owner=f"Owner {n % 40}",
            programme=programme,
            actions=[f"A-{n % ACTIONS:03d}", f"A-{(n * 7) % ACTIONS:03d}"],
            confidence=("low", "medium", "high", "65%")[n % 4],
            by=user,
        )
        services.benefit_profile_update(
            benefit=benefit,
            years={
                2025: (Decimal(1000 + n), Decimal(400 + n)),
                2026: (Decimal(2000 + n), None),
                2027: (Decimal(3000 + n), None),
            },
            by=user,
        )
    return organisation, user, programme


def timed(call) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from django.db import connection

    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        call()
        first = time.perf_counter() - start
    runs = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        call()
        runs.append(time.perf_counter() - start)
    return {"first": first, "median": statistics.median(runs), "queries": len(queries)}


def run() -> dict[str, dict[str, float]]:
    from django.test import Client
    from django.urls import reverse

    from goldenthread.kit import panels
    from goldenthread.programme.benefits import selectors
    from goldenthread.programme.models import Benefit

    start = time.perf_counter()
    organisation, user, programme = build()
    print(f"built {BENEFITS:,} benefits in {time.perf_counter() - start:.1f} s")
    client = Client()
    client.force_login(user)
    slug = organisation.slug  # type: ignore[attr-defined]
    register = reverse("programme:benefit_list", kwargs={"org_slug": slug})
    detail = reverse(
        "programme:benefit_detail",
        kwargs={"org_slug": slug, "benefit_id": Benefit.objects.order_by("pk").first().pk},  # type: ignore[union-attr]
    )

    def get(url: str):  # type: ignore[no-untyped-def]
        def call() -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")

        return call

    panel = panels.slot(panels.PAGE_PANELS, "programme-page").get("benefits")
    return {
        "Register, first page": timed(get(register)),
        "Register, filtered and sorted by planned £": timed(
            get(register + "?status=identified&confidence-from=40&sort=planned_total&order=desc")
        ),
        "A benefit's page": timed(get(detail)),
        "Programme page's benefits panel": timed(lambda: panel(organisation, programme)),
        "Finance selector (cashable_savings)": timed(
            lambda: selectors.cashable_savings(organisation=organisation)
        ),
        "Export of 2,000 benefits (xlsx)": timed(
            get(reverse("programme:benefit_export", kwargs={"org_slug": slug, "fmt": "xlsx"}))
        ),
    }


def report(results: dict[str, dict[str, float]], machine: str) -> str:
    rows = "\n".join(
        f"| {name} | {r['first'] * 1000:.0f} ms | {r['median'] * 1000:.0f} ms "
        f"| {r['queries']:.0f} |"
        for name, r in results.items()
    )
    register = max(
        results["Register, first page"]["median"],
        results["Register, filtered and sorted by planned £"]["median"],
    )
    panel = results["Programme page's benefits panel"]["median"]
    return (
        f"{SECTION}\n\n{machine}; PostgreSQL 15 on the same machine.\n\n"
        f"Command: `{COMMAND}`\n\n"
        f"{BENEFITS:,} benefits, each with a three-year cashable profile and two actions. "
        "Server time is Django's whole handling of a request in-process, measured with its "
        "test client; the median is of the 9 requests after the first.\n\n"
        "| What | First | Median | Queries |\n| --- | ---: | ---: | ---: |\n"
        f"{rows}\n\n"
        f"Against the targets: register under {TARGET_REGISTER_SECONDS * 1000:.0f} ms: "
        f"{'met' if register < TARGET_REGISTER_SECONDS else 'not met'}; the benefits panel's "
        f"share of the programme page's {TARGET_PANEL_SECONDS * 1000:.0f} ms: "
        f"{panel * 1000:.0f} ms.\n"
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
