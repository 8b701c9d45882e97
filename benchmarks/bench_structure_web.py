"""Benchmark of the structure pages on PostgreSQL; refreshes its section of docs/benchmarks.md.

Run from the repository root, with PostgreSQL at 127.0.0.1:5432 (trust
authentication); the benchmark creates and drops its own database,
``goldenthread_bench``:

    .venv/bin/python benchmarks/bench_structure_web.py

It generates organogram files from a fixed seed, uploads a 100,000-post file
as a background job run by the real database worker, then loads two
50,000-post snapshots (an as-is and a proposal with moves, deletions and new
posts) and requests the dashboard, a directorate's unit page and the
comparison page repeatedly through Django's test client, which measures the
server's whole handling of the request (middleware, guard, queries, engine,
template). The first request of each page runs with an empty figures cache;
the median is of the requests after it.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

DATABASE = "goldenthread_bench"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Structure pages"
COMMAND = ".venv/bin/python benchmarks/bench_structure_web.py"
SEED = 20_261_123
UPLOAD_POSTS = 100_000
PAGE_POSTS = 50_000
REPEATS = 9
TARGET_PAGE_SECONDS = 0.5
#: The post register sorts and filters 50,000 posts on the server within this.
TARGET_REGISTER_SECONDS = 0.3
TARGET_UPLOAD_SECONDS = 30.0
#: An organisation-like tree: each manager has about this many reports.
SPAN = 6
DIRECTORATES = ("People", "Place", "Resources", "Children", "Corporate")
SERVICES_PER_DIRECTORATE = 8
GRADES = ("CEX", "DIR", "AD", "HoS", "Mgr", "SO2", "SO1", "Sc6", "Sc5", "Sc4")
HEADER = (
    "Post Unique Reference",
    "Name",
    "Grade (or equivalent)",
    "Job Title",
    "Unit",
    "Reports to Senior Post",
    "FTE",
    "Actual Pay Floor (£)",
    "Actual Pay Ceiling (£)",
)


def organogram(n: int, seed: int, *, changed: bool = False) -> bytes:
    """An organogram senior file of ``n`` posts; ``changed`` makes a proposal from it."""
    rng = np.random.default_rng(seed)
    parent = np.empty(n, dtype=np.int64)
    parent[0] = -1
    parent[1:] = (np.arange(1, n) - 1) // SPAN
    layer = np.zeros(n, dtype=np.int64)
    for i in range(1, n):
        layer[i] = layer[parent[i]] + 1
    service = rng.integers(0, len(DIRECTORATES) * SERVICES_PER_DIRECTORATE, n)
    pay = 18_000 + (2_000 * rng.random(n)).round() + 140_000 / (1 + layer) ** 1.5
    ids = [f"P{i:07d}" for i in range(n)]
    keep = np.ones(n, dtype=bool)
    manager = parent.copy()
    if changed:
        # Delete 2% of the leaves, move 2% of posts to another manager of the
        # same layer, and add 1% new posts.
        leaves = np.setdiff1d(np.arange(n), parent[parent >= 0])
        keep[rng.choice(leaves, n // 50, replace=False)] = False
        movers = rng.choice(np.arange(SPAN + 1, n), n // 50, replace=False)
        for i in movers:
            candidates = np.flatnonzero(layer == layer[parent[i]])
            manager[i] = int(rng.choice(candidates[:50]))
        manager[~keep[np.maximum(manager, 0)] & (manager >= 0)] = 0
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(n):
        if not keep[i]:
            continue
        directorate = DIRECTORATES[service[i] // SERVICES_PER_DIRECTORATE]
        unit = f"{directorate} / Service {service[i] % SERVICES_PER_DIRECTORATE + 1}"
        grade = GRADES[min(layer[i], len(GRADES) - 1)]
        floor = int(pay[i] // 1000 * 1000)
        writer.writerow(
            [
                ids[i],
                "VACANT" if i % 37 == 0 else "N/D",
                grade,
                f"{grade} officer",
                unit,
                "XX" if manager[i] < 0 else ids[manager[i]],
                "1",
                floor,
                floor + 4999,
            ]
        )
    if changed:
        for extra in range(n // 100):
            writer.writerow(
                [
                    f"N{extra:07d}",
                    "VACANT",
                    "SO1",
                    "New role",
                    "People / Service 1",
                    ids[int(rng.integers(1, n // SPAN))],
                    "1",
                    30000,
                    34999,
                ]
            )
    return out.getvalue().encode("utf-8")


def fresh_database(database: str = DATABASE) -> None:
    import psycopg

    with psycopg.connect(
        "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')


def drop_database(database: str = DATABASE) -> None:
    import psycopg

    with psycopg.connect(
        "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def setup_django(var_dir: str, database: str = DATABASE, log_level: str = "WARNING") -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="goldenthread.web.settings.local",
        GOLDENTHREAD_DB_NAME=database,
        GOLDENTHREAD_DB_HOST="127.0.0.1",
        GOLDENTHREAD_ALLOWED_HOSTS="testserver",
        GOLDENTHREAD_VAR_DIR=var_dir,
        GOLDENTHREAD_LOG_LEVEL=log_level,
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # The local settings serve static files from the collected, hashed copies.
    call_command("collectstatic", interactive=False, verbosity=0)


def upload(organisation, user, name: str, data: bytes) -> tuple[float, object]:
    """Upload ``data`` as a snapshot: its check, then its confirmed save, each a background
    job run by the real database worker.

    Returns the seconds from upload to finished save, and the save's job.
    """
    from django.core.management import call_command

    from goldenthread.jobs.models import Job
    from goldenthread.kit.importing import import_run_confirm
    from goldenthread.kit.models import ImportRun
    from goldenthread.structure import services
    from goldenthread.structure.inspect import upload_import_start

    def work() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    start = time.perf_counter()
    record = services.upload_create(
        organisation=organisation,
        by=user,
        filename=f"{name}.csv",
        data=data,
        fmt="organogram",
        lenient=False,
        snapshot_fields={"name": name, "kind": "as_is"},
    )
    run = upload_import_start(upload=record, by=user)
    work()
    run = ImportRun.objects.defer("data").get(pk=run.pk)
    if run.status != "ready":
        raise SystemExit(f"the check of {name} failed: {run.summary} {run.problems[:5]}")
    run = import_run_confirm(run=run, by=user)
    work()
    seconds = time.perf_counter() - start
    job = Job.objects.get(pk=run.save_job_id)
    if job.status != "succeeded":
        raise SystemExit(f"the upload of {name} failed: {job.summary} {job.problems[:5]}")
    return seconds, job


def time_page(client, url: str) -> dict[str, float]:
    from django.db import connection

    from goldenthread.structure.selectors import _figures

    # Django resets its query log at each request, so count through a wrapper.
    queries = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    _figures.clear()
    with connection.execute_wrapper(count):
        start = time.perf_counter()
        response = client.get(url)
        cold = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    warm = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        client.get(url)
        warm.append(time.perf_counter() - start)
    return {"cold": cold, "median": statistics.median(warm), "queries": len(queries)}


def update_doc(section: str, heading: str = SECTION) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-doc", action="store_true", help="do not update the docs")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--register",
        action="store_true",
        help="only the posts register (its own section of the docs)",
    )
    args = parser.parse_args()

    from bench_structure import machine

    fresh_database()
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            setup_django(var_dir)
            results = run_register() if args.register else run()
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database()
    write = report_register if args.register else report
    section = write(results, machine())
    print(section)
    if not args.no_doc:
        update_doc(section, REGISTER_SECTION if args.register else SECTION)


def run() -> dict[str, object]:
    from django.test import Client
    from django.urls import reverse

    from goldenthread.accounts import services as accounts
    from goldenthread.accounts.models import Role
    from goldenthread.core.models import Unit

    organisation = accounts.organisation_create(name="Benchmark Borough Council", slug="bench")
    user = accounts.user_create(username="bench-admin", password="bench-password-7731")
    accounts.membership_create(organisation=organisation, user=user, role=Role.ADMIN)

    big = organogram(UPLOAD_POSTS, SEED)
    upload_seconds, _ = upload(organisation, user, "upload-100k", big)
    print(f"upload of {UPLOAD_POSTS:,} posts: {upload_seconds:.1f} s")

    _, as_is_job = upload(organisation, user, "as-is-50k", organogram(PAGE_POSTS, SEED + 1))
    _, proposed_job = upload(
        organisation, user, "proposed-50k", organogram(PAGE_POSTS, SEED + 1, changed=True)
    )
    as_is = int(as_is_job.result_url.rstrip("/").split("/")[-1])
    proposed = int(proposed_job.result_url.rstrip("/").split("/")[-1])
    directorate = Unit.objects.get(organisation=organisation, name="People", parent=None)

    client = Client()
    client.force_login(user)
    slug = organisation.slug
    pages = {
        "Dashboard (50,000 posts)": reverse(
            "structure:snapshot_detail", kwargs={"org_slug": slug, "snapshot_id": as_is}
        ),
        "Unit page (People directorate)": reverse(
            "structure:snapshot_unit",
            kwargs={"org_slug": slug, "snapshot_id": as_is, "unit_id": directorate.pk},
        ),
        "Comparison (50,000 → proposal)": reverse("structure:compare", kwargs={"org_slug": slug})
        + f"?old={as_is}&new={proposed}",
    }
    # To-be modelling at this size: copy the as-is into a scenario, move one
    # post (checked for loops and orphans against every post), then its page.
    import datetime

    from goldenthread.structure import services as structure_services
    from goldenthread.structure.models import Snapshot

    start = time.perf_counter()
    scenario = structure_services.scenario_create(
        snapshot=Snapshot.objects.get(pk=as_is), name="Scenario 50k", by=user
    )
    modelling = {"Create a scenario (copy 50,000 posts)": time.perf_counter() - start}
    start = time.perf_counter()
    structure_services.scenario_post_change(
        snapshot=scenario,
        post_id=f"P{PAGE_POSTS - 1:07d}",
        kind="move",
        manager="P0000002",
        reason="Benchmark",
        effective_date=datetime.date(2026, 4, 1),
        by=user,
    )
    modelling["Move one post (loop and orphan checks)"] = time.perf_counter() - start
    pages["Scenario page (changes and difference)"] = reverse(
        "structure:scenario_detail", kwargs={"org_slug": slug, "snapshot_id": scenario.pk}
    )
    for label, seconds in modelling.items():
        print(f"{label}: {seconds:.3f} s")

    timings = {}
    for label, url in pages.items():
        timings[label] = time_page(client, url)
        t = timings[label]
        print(
            f"{label}: first {t['cold']:.3f} s, median {t['median']:.3f} s, {t['queries']} queries"
        )
    return {"upload": upload_seconds, "pages": timings, "modelling": modelling}


REGISTER_SECTION = "## Posts register"
REGISTER_COMMAND = f"{COMMAND} --register"
#: Posts register pages over a 50,000-post snapshot, each sorted and filtered on the server.
REGISTER_PAGES = {
    "Default order, page 1": "",
    "Sorted by title (descending), page 400": "?sort=title&order=desc&page=400",
    "A directorate and every unit inside it, managers, three span bands, filled, by cost": (
        "?unit={directorate}&span=1-2&span=3-5&span=6-10&manager=yes&vacant=no"
        "&sort=cost&order=desc&page=3"
    ),
    "Text search and one layer, by span": "?q=SO1+officer&layer=7&sort=span&order=desc",
    "Two grades, not agency, by unit, last page": (
        "?grade=Sc6&grade=SO2&agency=no&sort=unit_path&page=9999"
    ),
}


def run_register() -> dict[str, object]:
    """The posts register over a 50,000-post snapshot, uploaded as the application does."""
    from django.test import Client
    from django.urls import reverse

    from goldenthread.accounts import services as accounts
    from goldenthread.accounts.models import Role
    from goldenthread.core.models import Unit

    organisation = accounts.organisation_create(name="Benchmark Borough Council", slug="bench")
    user = accounts.user_create(username="bench-admin", password="bench-password-7731")
    accounts.membership_create(organisation=organisation, user=user, role=Role.ADMIN)
    _, job = upload(organisation, user, "as-is-50k", organogram(PAGE_POSTS, SEED + 1))
    snapshot = int(job.result_url.rstrip("/").split("/")[-1])
    directorate = Unit.objects.get(organisation=organisation, name="People", parent=None)
    # PostgreSQL's autovacuum updates the planner's statistics within a minute
    # of a bulk insert; measure the register as it runs from then on.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE structure_post")
    client = Client()
    client.force_login(user)
    posts = reverse(
        "structure:post_list", kwargs={"org_slug": organisation.slug, "snapshot_id": snapshot}
    )
    start = time.perf_counter()
    client.get(posts)
    stored = time.perf_counter() - start
    print(f"first request: {stored:.3f} s")
    timings = {}
    for label, query in REGISTER_PAGES.items():
        timings[label] = time_page(client, posts + query.format(directorate=directorate.pk))
        t = timings[label]
        print(f"{label}: median {t['median']:.3f} s, {t['queries']} queries")
    dashboard = reverse(
        "structure:snapshot_detail", kwargs={"org_slug": organisation.slug, "snapshot_id": snapshot}
    )
    reference = time_page(client, dashboard)
    print(f"reference, the dashboard: median {reference['median']:.3f} s")
    return {
        "stored": stored,
        "pages": timings,
        "reference": reference["median"],
        "load": os.getloadavg()[0],
    }


def report_register(results: dict[str, object], machine: str) -> str:
    pages: dict[str, dict[str, float]] = results["pages"]  # type: ignore[assignment]
    stored = float(results["stored"])  # type: ignore[arg-type]

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    lines = [
        REGISTER_SECTION,
        "",
        f"Machine: {machine}; PostgreSQL 15 on the same machine.",
        "",
        f"Command: `{REGISTER_COMMAND}`",
        "",
        f"A {PAGE_POSTS:,}-post snapshot, uploaded as an organogram by the background "
        "worker; each page of its posts register is filtered, sorted and paged in the "
        "database (a count and a page of 50 rows, and the IDs of their managers) and "
        "rendered with its filter panel. "
        f"The median is of {REPEATS} requests, through Django's test client.",
        "",
        "| Register page | Median | Queries | Target (median) |",
        "| --- | ---: | ---: | --- |",
    ]
    for label, t in pages.items():
        lines.append(
            f"| {label} | {t['median'] * 1000:.0f} ms | {t['queries']:.0f} | "
            f"under {TARGET_REGISTER_SECONDS * 1000:.0f} ms: "
            f"{verdict(t['median'] < TARGET_REGISTER_SECONDS)} |"
        )
    reference = float(results["reference"])  # type: ignore[arg-type]
    load = float(results["load"])  # type: ignore[arg-type]
    lines += [
        "",
        f"For scale, the dashboard of the same snapshot took {reference * 1000:.0f} ms "
        f"(median) in this run, with the machine's load average at {load:.1f}; compare "
        "the dashboard's figure in the structure pages section above.",
        "",
        "Each post's layer and span are written with it at the upload (ADR 0008), so "
        f"the first request after the upload took {stored * 1000:.0f} ms. The "
        "measurement starts after the posts table's planner statistics are updated "
        "(`ANALYZE`), as PostgreSQL's autovacuum does within a minute of a bulk insert.",
        "",
    ]
    return "\n".join(lines)


def report(results: dict[str, object], machine: str) -> str:
    upload_seconds = float(results["upload"])  # type: ignore[arg-type]
    pages: dict[str, dict[str, float]] = results["pages"]  # type: ignore[assignment]

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    lines = [
        SECTION,
        "",
        f"Machine: {machine}; PostgreSQL 15 on the same machine.",
        "",
        f"Command: `{COMMAND}`",
        "",
        "Server time is Django's whole handling of a request in-process (middleware, "
        "tenancy guard, queries, engine, template), measured with its test client. "
        f'"First" runs with an empty figures cache; the median is of the {REPEATS} '
        "requests after it.",
        "",
        "| Page | First request | Median | Queries | Target (median) |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for label, t in pages.items():
        lines.append(
            f"| {label} | {t['cold'] * 1000:.0f} ms | {t['median'] * 1000:.0f} ms | "
            f"{t['queries']:.0f} | under {TARGET_PAGE_SECONDS * 1000:.0f} ms: "
            f"{verdict(t['median'] < TARGET_PAGE_SECONDS)} |"
        )
    modelling: dict[str, float] = results["modelling"]  # type: ignore[assignment]
    lines += ["", "To-be modelling on the 50,000-post as-is, through the services:", ""]
    lines += [f"- {label}: {seconds * 1000:.0f} ms" for label, seconds in modelling.items()]
    lines += [
        "",
        f"Upload of a {UPLOAD_POSTS:,}-row organogram CSV as a background job run by "
        f"the database worker (read, check, save every post): {upload_seconds:.1f} s, "
        f"target under {TARGET_UPLOAD_SECONDS:.0f} s: "
        f"{verdict(upload_seconds < TARGET_UPLOAD_SECONDS)}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
