"""Many bad rows: problems are capped in memory and when stored, and counted exactly by kind."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.jobs.findings import KIND_LIMIT, OTHER_KINDS, PROBLEM_LIMIT, Findings, kind_of
from goldenthread.jobs.models import Job
from goldenthread.kit import importing
from goldenthread.kit.models import ImportRun, ImportStatus
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import select, texts

pytestmark = pytest.mark.django_db

BAD_ROWS = 5_000


def _blank() -> str:
    code = importing.importer_get("units").columns.get("code")
    return kind_of(importing.MISSING_VALUE.format(expected=code.describe()))


def _bad_units_csv(rows: int) -> bytes:
    """A units file whose every row has no code, and every tenth a name too long as well."""
    lines = ["code,name,kind"]
    for number in range(rows):
        name = "x" * 250 if number % 10 == 0 else f"Unit {number}"
        lines.append(f",{name},team")
    return ("\n".join(lines) + "\n").encode()


def test_findings_keep_the_first_entries_and_count_every_one_by_kind() -> None:
    findings = Findings(limit=3)
    for row in range(10):
        findings.append({"row": row, "message": f"row {row} is blank"})
    findings.add({"row": 11, "message": "anything at all"}, kind="a named kind")
    assert len(findings) == 3
    assert [entry["row"] for entry in findings] == [0, 1, 2]
    assert findings.total == 11 and findings.more == 8
    assert findings.summary() == [
        {"kind": "row … is blank", "example": "row 0 is blank", "count": 10},
        {"kind": "a named kind", "example": "anything at all", "count": 1},
    ]


def test_findings_count_messages_naming_their_values_under_a_bounded_number_of_kinds() -> None:
    findings = Findings()
    for n in range(KIND_LIMIT * 3):
        findings.append({"message": f"the post {chr(65 + n % 26)}{'Q' * (n // 26)} is unknown"})
    assert len(findings.kinds) == KIND_LIMIT + 1
    assert sum(kind["count"] for kind in findings.summary()) == KIND_LIMIT * 3
    assert findings.kinds[OTHER_KINDS] == KIND_LIMIT * 3 - KIND_LIMIT


def test_absorbing_keeps_the_counts_exact() -> None:
    first, second = Findings(limit=2), Findings(limit=2)
    first.extend({"message": "a"} for _ in range(3))
    second.extend({"message": "b 1"} for _ in range(4))
    first.absorb(second)
    assert len(first) == 2 and first.total == 7
    assert first.summary() == [
        {"kind": "b …", "example": "b 1", "count": 4},
        {"kind": "a", "example": "a", "count": 3},
    ]


def test_a_message_without_its_values_is_its_kind() -> None:
    assert kind_of("this has 251 characters; expected at most 200") == (
        "this has … characters; expected at most …"
    )


def test_five_thousand_bad_rows_keep_the_cap_and_exact_counts_by_kind(
    client, django_capture_on_commit_callbacks
) -> None:
    organisation = OrganisationFactory()
    editor = member(organisation, Role.EDITOR, username="ed")
    report = importing.Report("units.csv")
    rows = importing.read_rows(
        importing.importer_get("units").columns,
        "units.csv",
        _bad_units_csv(BAD_ROWS),
        report,
    )
    assert rows is not None and len(rows) == BAD_ROWS
    # In memory: the first PROBLEM_LIMIT only, every one counted.
    assert len(report.problems) == PROBLEM_LIMIT
    assert report.problems.total == BAD_ROWS + BAD_ROWS // 10
    too_long = importing.TOO_LONG.format(length="…", limit="…")
    blank = _blank()
    assert blank.startswith("this cell is blank; expected text")
    # Each kind is shown by its first message, as written.
    first_blank = next(p["message"] for p in report.problems if "blank" in p["message"])
    first_long = next(p["message"] for p in report.problems if p["message"].startswith("this has"))
    kinds = [
        {"kind": blank, "example": first_blank, "count": BAD_ROWS},
        {"kind": too_long, "example": first_long, "count": BAD_ROWS // 10},
    ]
    assert report.problems.summary() == kinds

    with django_capture_on_commit_callbacks(execute=True):
        run = importing.import_run_create(
            organisation=organisation,
            importer="units",
            filename="units.csv",
            data=_bad_units_csv(BAD_ROWS),
            by=editor,
        )
    run = ImportRun.objects.get(pk=run.pk)
    assert run.status == ImportStatus.FAILED
    assert len(run.problems) == PROBLEM_LIMIT
    assert run.problem_count == BAD_ROWS + BAD_ROWS // 10
    assert run.problem_kinds == kinds
    job = Job.objects.get(pk=run.check_job_id)
    assert len(job.problems) == PROBLEM_LIMIT
    assert job.problem_count == run.problem_count
    assert job.problem_kinds == run.problem_kinds
    # Bounded JSON: about a thousand entries, not five and a half thousand.
    assert len(json.dumps(job.problems)) < 300 * PROBLEM_LIMIT

    client.login(username="ed", password=PASSWORD)
    page = client.get(
        reverse("kit:import_run", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
    )
    assert texts(page, ".gt-problem-kinds caption") == [
        "5,500 problems by kind: the first 1,000 are listed above, 4,500 more were counted"
    ]
    assert select(page, ".gt-problem-kinds tbody tr") == [
        f"{first_blank} 5,000",
        f"{first_long} 500",
    ]
    assert len(select(page, ".gt-import-findings[data-kind=problems] tbody tr")) == PROBLEM_LIMIT
    job_page = client.get(
        reverse("jobs:job_detail", kwargs={"org_slug": organisation.slug, "job_id": job.pk})
    )
    assert select(job_page, ".gt-problem-kinds tbody tr") == [
        f"{first_blank} 5,000",
        f"{first_long} 500",
    ]
