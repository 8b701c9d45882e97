"""Benchmark of the org chart on 50,000-post snapshots; refreshes its section of docs/benchmarks.md.

Run from the repository root, with PostgreSQL at 127.0.0.1:5432 (trust
authentication); the benchmark creates and drops its own database,
``goldenthread_bench_orgchart``:

    .venv/bin/python benchmarks/bench_orgchart.py

It uploads two 50,000-post organograms as the application does (a background
job run by the real database worker): an organisation-like tree (each manager
with about six reports, as in benchmarks/bench_structure_web.py) and a flat
one (one post with 49,999 direct reports, the widest a chart can meet). It
then requests each chart page through Django's test client, which measures
the server's whole handling of the request. "First" is the first request of
that page, with the figures cache empty; the median is of the requests after it.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_structure_web import (  # noqa: E402 (after the path is set)
    HEADER,
    PAGE_POSTS,
    REPEATS,
    SEED,
    drop_database,
    fresh_database,
    organogram,
    setup_django,
    time_page,
    update_doc,
    upload,
)

DATABASE = "goldenthread_bench_orgchart"
SECTION = "## Org chart"
COMMAND = ".venv/bin/python benchmarks/bench_orgchart.py"
#: The first view of a chart, on the server.
TARGET_SECONDS = 0.5


def flat(n: int) -> bytes:
    """An organogram of ``n`` posts: one chief executive and ``n - 1`` direct reports."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerow(
        ["F0000000", "N/D", "CEX", "Chief Executive", "Corporate", "XX", 1, 150000, 154999]
    )
    for i in range(1, n):
        writer.writerow(
            [f"F{i:07d}", "N/D", "SO1", "Officer", "Corporate", "F0000000", 1, 30000, 34999]
        )
    return out.getvalue().encode("utf-8")


def run() -> dict[str, object]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from goldenthread.accounts import services as accounts
    from goldenthread.accounts.models import Role
    from goldenthread.core.models import Unit
    from goldenthread.structure.models import Post

    organisation = accounts.organisation_create(name="Benchmark Borough Council", slug="bench")
    user = accounts.user_create(username="bench-admin", password="bench-password-7731")
    accounts.membership_create(organisation=organisation, user=user, role=Role.ADMIN)
    _, tree_job = upload(organisation, user, "tree-50k", organogram(PAGE_POSTS, SEED + 1))
    _, flat_job = upload(organisation, user, "flat-50k", flat(PAGE_POSTS))
    tree = int(tree_job.result_url.rstrip("/").split("/")[-1])
    wide = int(flat_job.result_url.rstrip("/").split("/")[-1])
    # PostgreSQL's autovacuum updates the planner's statistics within a minute
    # of a bulk insert; measure the chart as it runs from then on.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE structure_post")
    slug = organisation.slug
    director = Post.objects.filter(snapshot_id=tree, layer=2).order_by("position").first()
    deep = Post.objects.filter(snapshot_id=tree, layer=4, span__gt=0).order_by("position").first()
    people = Unit.objects.get(organisation=organisation, name="People", parent=None)
    chief = Post.objects.get(snapshot_id=wide, manager_position=None)

    def url(name: str, **kwargs: int) -> str:
        return reverse(f"structure:{name}", kwargs={"org_slug": slug, **kwargs})

    pages = {
        "Tree: the top of the structure": url("org_chart", snapshot_id=tree),
        "Tree: a director and two levels below": url(
            "org_chart_post", snapshot_id=tree, post_pk=director.pk
        ),
        "Tree: a directorate (People, about 10,000 posts)": url(
            "org_chart_unit", snapshot_id=tree, unit_id=people.pk
        ),
        "Tree: opening a box in layer 4 (the fragment)": url(
            "org_chart_reports", snapshot_id=tree, post_pk=deep.pk
        ),
        "Flat: the top (one post with 49,999 reports)": url("org_chart", snapshot_id=wide),
        "Flat: opening the chief executive's box": url(
            "org_chart_reports", snapshot_id=wide, post_pk=chief.pk
        ),
    }
    client = Client()
    client.force_login(user)
    # A server is a long-running process: its first request of all (loading
    # templates and URL patterns) is made before the measured ones.
    client.get(reverse("structure:snapshot_list", kwargs={"org_slug": slug}))
    timings = {}
    for label, address in pages.items():
        timing = time_page(client, address)
        response = client.get(address)
        timing["bytes"] = len(response.content)
        timing["boxes"] = response.content.count(b"data-gt-orgchart-box")
        timings[label] = timing
        print(
            f"{label}: first {timing['cold']:.3f} s, median {timing['median']:.3f} s, "
            f"{timing['queries']} queries, {timing['boxes']} boxes, {timing['bytes']:,} bytes"
        )
    return {"pages": timings, "load": os.getloadavg()[0]}


def report(results: dict[str, object], machine: str) -> str:
    pages: dict[str, dict[str, float]] = results["pages"]  # type: ignore[assignment]
    load = float(results["load"])  # type: ignore[arg-type]

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    lines = [
        SECTION,
        "",
        f"Machine: {machine}; PostgreSQL 15 on the same machine; load average "
        f"{load:.1f} at the end of the run.",
        "",
        f"Command: `{COMMAND}`",
        "",
        f"Two {PAGE_POSTS:,}-post snapshots uploaded as organograms by the background "
        "worker: a tree (about six reports to each manager) and a flat structure (one "
        "post with every other post reporting to it). Server time is Django's whole "
        "handling of a request in-process, through its test client, after one request "
        "to another page has loaded the templates and URL patterns as a running server "
        f"has them; the median is of the {REPEATS} requests after the first. The chart sends "
        "only what is open: two levels below where it starts, at most 30 reports of "
        "a box and 150 boxes in all. The generated file draws each post's unit at "
        "random, so most of the People directorate's posts report to a manager outside "
        "it: its chart starts from thousands of top posts (30 shown, the rest counted), "
        "the slowest case a unit can be.",
        "",
        "| Chart | First request | Median | Queries | Boxes | Bytes | Target (first) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, t in pages.items():
        lines.append(
            f"| {label} | {t['cold'] * 1000:.0f} ms | {t['median'] * 1000:.0f} ms | "
            f"{t['queries']:.0f} | {t['boxes']:.0f} | {t['bytes']:,.0f} | "
            f"under {TARGET_SECONDS * 1000:.0f} ms: {verdict(t['cold'] < TARGET_SECONDS)} |"
        )
    lines += [
        "",
        "Each post's layer and span are written with it at the upload (ADR 0008), so "
        "the chart reads them from the posts table and never computes the engine's "
        "figures for the whole snapshot. After a change to a scenario's posts, the "
        "first page that needs them (the chart or the posts register) rewrites them "
        "once: about the dashboard's first request in the structure pages section.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-doc", action="store_true", help="do not update the docs")
    args = parser.parse_args()

    from bench_structure import machine

    fresh_database(DATABASE)
    start = time.perf_counter()
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
    print(f"({time.perf_counter() - start:.0f} s in all)")
    if not args.no_doc:
        update_doc(section, SECTION)


if __name__ == "__main__":
    main()
