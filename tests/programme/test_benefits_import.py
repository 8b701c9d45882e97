"""Benefits and their cashable profiles round a spreadsheet: export, import, preview, errors."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from goldenthread.kit.models import ImportRun, ImportStatus
from goldenthread.programme.benefits import importing
from goldenthread.programme.benefits.columns import BENEFIT_COLUMNS, PROFILE_COLUMNS
from goldenthread.programme.models import Benefit, BenefitProfile, BenefitType
from tests.programme.benefit_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def url(name, organisation, **kwargs):
    return reverse(f"programme:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def upload(client, organisation, page: str, name: str, data: bytes, capture) -> ImportRun:
    file = io.BytesIO(data)
    file.name = name
    with capture(execute=True):
        response = client.post(url(page, organisation), {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportRun.objects.latest("pk")


def confirm(client, organisation, run, capture) -> ImportRun:
    with capture(execute=True):
        client.post(
            reverse("kit:import_confirm", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
        )
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE, run.summary
    return run


def state(organisation):
    benefits = sorted(
        (
            b.reference,
            b.title,
            b.type,
            b.owner,
            b.programme_id,
            b.confidence_percent,
            b.confidence_level,
            b.status,
            b.evidence,
            b.target_on,
            tuple(sorted(a.reference for a in b.actions.all())),
        )
        for b in Benefit.objects.filter(organisation=organisation).prefetch_related("actions")
    )
    profiles = sorted(
        BenefitProfile.objects.values_list("benefit__reference", "year", "planned", "realised")
    )
    return benefits, profiles


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_both_exports_import_again_unchanged(
    editor, organisation, benefits, fmt, django_capture_on_commit_callbacks
):
    Benefit.objects.filter(reference="B-03").update(description='=HYPERLINK("x")')
    before = state(organisation)
    exported = editor.get(url("benefit_export", organisation, fmt=fmt))
    run = upload(
        editor,
        organisation,
        "benefit_import",
        f"benefits.{fmt}",
        exported.content,
        django_capture_on_commit_callbacks,
    )
    assert run.status == ImportStatus.READY, run.problems
    assert run.counts == {"create": 0, "update": 0, "unchanged": 24}
    exported = editor.get(url("benefit_profile_export", organisation, fmt=fmt))
    run = upload(
        editor,
        organisation,
        "benefit_profile_import",
        f"profiles.{fmt}",
        exported.content,
        django_capture_on_commit_callbacks,
    )
    assert run.status == ImportStatus.READY, run.problems
    assert run.counts == {"create": 0, "update": 0, "unchanged": 48}
    assert state(organisation) == before


def csv_of(columns, *rows) -> bytes:
    lines = [",".join(columns)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def test_a_file_adds_and_changes_benefits_all_at_once(
    editor, organisation, programme, benefits, django_capture_on_commit_callbacks
):
    data = csv_of(
        ["reference", "title", "type", "programme", "actions", "confidence", "status", "evidence"],
        [
            "B-01",
            "Benefit number 1",
            BenefitType.CASHABLE_SAVING,
            programme.name,
            "A-1",
            "medium",
            "realised",
            "Audited",
        ],
        [
            "B-99",
            "A new benefit",
            BenefitType.INCOME,
            "",
            "A-3;A-4".replace(";", " "),
            "35%",
            "planned",
            "",
        ],
    )
    run = upload(
        editor, organisation, "benefit_import", "b.csv", data, django_capture_on_commit_callbacks
    )
    # "A-3 A-4" is one reference that no action has.
    assert [p["message"] for p in run.problems] == [
        importing.UNKNOWN_ACTIONS.format(references="A-3 A-4")
    ]
    assert (run.problems[0]["row"], run.problems[0]["column"]) == (3, "actions")
    data = data.replace(b"A-3 A-4", b'"A-3, A-4"')
    run = upload(
        editor, organisation, "benefit_import", "b.csv", data, django_capture_on_commit_callbacks
    )
    assert run.status == ImportStatus.READY, run.problems
    assert run.counts == {"create": 1, "update": 1, "unchanged": 0}
    confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    new = Benefit.objects.get(reference="B-99")
    assert (new.confidence_percent, new.status) == (35, "planned")
    assert sorted(a.reference for a in new.actions.all()) == ["A-3", "A-4"]
    changed = Benefit.objects.get(reference="B-01")
    assert (changed.type, changed.status, changed.evidence) == (
        BenefitType.CASHABLE_SAVING,
        "realised",
        "Audited",
    )
    assert changed.history.latest().history_user.username == "ed"


def test_every_row_error_is_listed_with_its_row_and_column(
    editor, organisation, benefits, django_capture_on_commit_callbacks
):
    Benefit.objects.filter(reference="B-02").update(status="realised", evidence="x")
    data = csv_of(
        ["reference", "title", "type", "programme", "confidence", "status"],
        ["B-01", "One", "Happiness", "", "", ""],
        ["B-02", "Two", BenefitType.QUALITY, "Nowhere", "very", "identified"],
        ["B-50", "Fifty", BenefitType.QUALITY, "", "", "closed"],
    )
    run = upload(
        editor, organisation, "benefit_import", "b.csv", data, django_capture_on_commit_callbacks
    )
    found = [(p["row"], p["column"], p["message"]) for p in run.problems]
    assert found == [
        (
            2,
            "type",
            importing.UNKNOWN_TYPE.format(value="Happiness", types=", ".join(BenefitType.values)),
        ),
        (3, "programme", importing.UNKNOWN_PROGRAMME.format(value="Nowhere")),
        (3, "confidence", importing.BAD_CONFIDENCE),
        (
            3,
            "status",
            "a benefit can move back one step only, from realised to realising; "
            "it cannot go to identified",
        ),
        (4, "evidence", "enter the evidence notes before marking the benefit closed"),
    ]
    assert run.status == ImportStatus.FAILED
    assert Benefit.objects.get(reference="B-01").type != "Happiness"


def test_profiles_are_keyed_by_benefit_and_year(
    editor, organisation, benefits, django_capture_on_commit_callbacks
):
    data = csv_of(
        ["benefit", "year", "planned", "realised"],
        ["B-01", "2025/26", "1500.55", "700"],
        ["B-01", "2027-28", "£2000", ""],
        ["B-02", "2026/27", "4000", ""],
    )
    run = upload(
        editor,
        organisation,
        "benefit_profile_import",
        "p.csv",
        data,
        django_capture_on_commit_callbacks,
    )
    assert run.status == ImportStatus.READY, run.problems
    assert run.counts == {"create": 1, "update": 1, "unchanged": 1}
    confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    assert list(
        BenefitProfile.objects.filter(benefit__reference="B-01").values_list(
            "year", "planned", "realised"
        )
    ) == [
        (2025, Decimal("1500.55"), Decimal("700.00")),
        (2026, Decimal("2000.00"), None),
        (2027, Decimal("2000.00"), None),
    ]


def test_profile_row_errors(editor, organisation, benefits, django_capture_on_commit_callbacks):
    data = csv_of(
        ["benefit", "year", "planned"],
        ["B-77", "2025/26", "1"],
        ["B-01", "next year", "1"],
        ["B-01", "2025", "1"],
        ["B-01", "2025/26", "2"],
        ["B-02", "2025", "1.234"],
    )
    run = upload(
        editor,
        organisation,
        "benefit_profile_import",
        "p.csv",
        data,
        django_capture_on_commit_callbacks,
    )
    found = [(p["row"], p["column"], p["message"]) for p in run.problems]
    assert (2, "benefit", importing.UNKNOWN_BENEFIT.format(value="B-77")) in found
    assert (3, "year", importing.BAD_YEAR.format(first="1990/91", last="2100/01")) in found
    assert (5, "year", importing.TWICE.format(benefit="B-01", year="2025/26", other=4)) in found
    assert any(row == 6 and column == "planned" for row, column, _ in found)
    assert run.status == ImportStatus.FAILED


def test_the_columns_are_in_the_guide():
    from pathlib import Path

    guide = (
        Path(__file__).resolve().parents[2] / "docs" / "guide" / "programme-benefits.md"
    ).read_text()
    assert BENEFIT_COLUMNS.docs_table() in guide
    assert PROFILE_COLUMNS.docs_table() in guide


def test_the_upload_pages_and_template_workbooks_answer(editor, organisation):
    for name in (importing.IMPORTER, importing.PROFILE_IMPORTER):
        template = reverse(
            "kit:import_template", kwargs={"org_slug": organisation.slug, "importer": name}
        )
        assert editor.get(template).status_code == 200, name
    for name in ("benefit_import", "benefit_profile_import"):
        assert editor.get(url(name, organisation)).status_code == 200, name


def test_the_exports_hold_only_the_organisations_benefits(editor, organisation, other, benefits):
    from tests.programme.benefit_fixtures import add_benefit

    add_benefit(other, "THEIRS-1")
    exported = editor.get(url("benefit_export", organisation, fmt="csv")).content.decode()
    assert "THEIRS-1" not in exported
    assert exported.count("\n") == 25
