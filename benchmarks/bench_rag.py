"""Benchmark of the RAG assessment of 5,000 actions on PostgreSQL; refreshes docs/benchmarks.md.

Run from the repository root, with PostgreSQL at 127.0.0.1:5432 (trust
authentication); the benchmark creates and drops its own database,
``goldenthread_bench_rag``:

    .venv/bin/python benchmarks/bench_rag.py

It makes one organisation with 5,000 actions (two milestones each, a budget
and spend for half of them, due dates spread over two years), then times
``organisation_rag_refresh``: the first assessment (every action rated and
two records each), the next day's (the actions whose RAG the day moves), the
same day again (nothing changes), and the action page's RAG panel with about
40 changes in its history.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

DATABASE = "goldenthread_bench_rag"
SECTION = "## RAG assessment"
COMMAND = ".venv/bin/python benchmarks/bench_rag.py"
ACTIONS = 5_000
TARGET_SECONDS = 5.0
TODAY = dt.date(2026, 5, 1)


def build() -> tuple[object, list[object]]:
    from goldenthread.accounts.services import organisation_create
    from goldenthread.programme.models import Action, Milestone, Programme

    organisation = organisation_create(name="Benchmark Council", slug="bench")
    programme = Programme.objects.create(organisation=organisation, name="Transformation")
    actions = Action.objects.bulk_create(
        Action(
            organisation=organisation,
            programme=programme,
            reference=f"A{n:05d}",
            title=f"Action {n}",
            status="in_progress",
            due_on=TODAY + dt.timedelta(days=(n % 730) - 365),
            budget=Decimal("10000.00") if n % 2 else None,
            spend=Decimal(9000 + (n % 25) * 100) if n % 2 else None,
        )
        for n in range(ACTIONS)
    )
    Milestone.objects.bulk_create(
        Milestone(
            action=action,
            title=f"Milestone {m}",
            due_on=action.due_on - dt.timedelta(days=30 * (m + 1)),
        )
        for action in actions
        for m in range(2)
    )
    return organisation, actions


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


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
            from django.db import connection
            from django.template.loader import render_to_string
            from django.test.utils import CaptureQueriesContext

            from goldenthread.programme.models import Action, RagRecord
            from goldenthread.programme.rag import presenting, services

            organisation, _ = build()
            rows = []
            for label, day in (
                ("First assessment (every action rated, two records each)", TODAY),
                ("The next day (the actions the day moves)", TODAY + dt.timedelta(days=1)),
                ("The same day again (nothing changes)", TODAY + dt.timedelta(days=1)),
            ):
                records = RagRecord.objects.count()
                with CaptureQueriesContext(connection) as queries:
                    seconds, changed = timed(
                        lambda day=day: services.organisation_rag_refresh(
                            organisation=organisation, by=None, today=day
                        )
                    )
                made = RagRecord.objects.count() - records
                rows.append(
                    f"| {label} | {seconds * 1000:.0f} ms | {changed:,} | {made:,} | "
                    f"{len(queries)} |"
                )
            action = Action.objects.filter(
                budget__isnull=False, due_on__gt=TODAY + dt.timedelta(days=90)
            ).first()
            for step in range(20):
                action.spend = Decimal(9500 + 1000 * (step % 2))
                Action.objects.filter(pk=action.pk).update(spend=action.spend)
                services.action_rag_refresh(action=action, by=None, today=TODAY)
            action = Action.objects.select_related("rag_rules", "organisation").get(pk=action.pk)
            context = {"current_organisation": organisation}
            warm = presenting.action_panel(organisation, action)
            render_to_string(warm.template, {**warm.context, **context})  # compile the template
            with CaptureQueriesContext(connection) as queries:
                seconds, panel = timed(lambda: presenting.action_panel(organisation, action))
                render_seconds, _ = timed(
                    lambda: render_to_string(
                        panel.template,
                        {**panel.context, **context},
                    )
                )
            history = RagRecord.objects.filter(action=action).count()
            panel_line = (
                f"The RAG panel of an action with {history} changes: "
                f"{(seconds + render_seconds) * 1000:.0f} ms, {len(queries)} queries."
            )
    finally:
        drop_database(DATABASE)

    worst = max(float(row.split("|")[2].strip().split()[0]) for row in rows) / 1000
    verdict = "met" if worst < TARGET_SECONDS else "missed"
    section = "\n".join(
        [
            SECTION,
            "",
            f"Machine: {machine()}; PostgreSQL 15 on the same machine.",
            "",
            f"Command: `{COMMAND}`",
            "",
            f"One organisation with {ACTIONS:,} open actions, two milestones each and a budget "
            "for half of them, assessed by `organisation_rag_refresh` (one query for the "
            "actions, one for their milestones, one UPDATE for each set of equal values among the "
            "changed actions, and the records of the changes in bulk).",
            "",
            "| Assessment | Time | Actions changed | Records made | Queries |",
            "| --- | ---: | ---: | ---: | ---: |",
            *rows,
            "",
            f"Target: {ACTIONS:,} actions in under {TARGET_SECONDS:.0f} s: {verdict}.",
            "",
            panel_line,
            "",
        ]
    )
    print(section)
    if not args.no_doc:
        update_doc(section, SECTION)


if __name__ == "__main__":
    main()
