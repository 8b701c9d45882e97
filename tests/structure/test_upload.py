"""Uploading a structure through the import kit: every format, previewed, all or nothing,
repairs listed before they are applied."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.core.models import Unit
from goldenthread.kit.models import ImportRun, ImportStatus
from goldenthread.structure import importing
from goldenthread.structure.models import ColumnMappingPreset, Post, Snapshot, StructureUpload
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import links, texts
from tests.structure.conftest import real_file, upload

pytestmark = pytest.mark.django_db

SMALL = b"""post_id,reports_to,title,grade,unit,fte,cost
CX1,XX,Chief Executive,CEX,,1,187500
DIR1,CX1,Director of People,Director,People,1,135000
DIR2,CX1,Director of Place,Director,Place,1,132000
HOS1,DIR1,Head of Adult Social Care,HoS,People / Adult Social Care,1,98000
HOS2,DIR2,Head of Planning,HoS,Place / Planning,0.8,
"""


def latest_run() -> ImportRun:
    return ImportRun.objects.latest("pk")


def run_url(organisation, run, page: str = "import_run") -> str:
    return reverse(f"kit:{page}", kwargs={"org_slug": organisation.slug, "run_id": run.pk})


def confirm(client, organisation, run, capture) -> ImportRun:
    with capture(execute=True):
        response = client.post(run_url(organisation, run, "import_confirm"))
    assert response.status_code == 302, response.content.decode()[:2000]
    run.refresh_from_db()
    return run


def test_a_table_with_the_default_columns_is_mapped_previewed_then_saved(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    response = upload(editor, organisation, "posts.csv", SMALL, django_capture_on_commit_callbacks)
    pending = StructureUpload.objects.get()
    # The upload's page follows its inspection; once the header is read it leads to the mapping.
    assert response["Location"] == reverse(
        "structure:upload_review", kwargs={"org_slug": organisation.slug, "upload_id": pending.pk}
    )
    mapping_url = reverse(
        "structure:upload_mapping", kwargs={"org_slug": organisation.slug, "upload_id": pending.pk}
    )
    assert editor.get(response["Location"])["Location"] == mapping_url
    page = editor.get(mapping_url)
    assert page.status_code == 200
    # The columns named as the engine names them are chosen already.
    assert page.context["form"]["post_id"].initial == "post_id"
    mapping = {
        "post_id": "post_id",
        "reports_to": "reports_to",
        "title": "title",
        "grade": "grade",
        "unit_1": "unit",
        "fte": "fte",
        "cost": "cost",
        "save_as": "Payroll export",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(page.request["PATH_INFO"], mapping)
    run = latest_run()
    assert response["Location"] == run_url(organisation, run)
    assert run.status == ImportStatus.READY, run.problems
    # The check saved nothing; the preview shows every post as new (no earlier snapshot).
    assert Snapshot.objects.count() == 0
    assert run.counts == {"create": 5, "update": 0, "unchanged": 0}
    preview = editor.get(response["Location"])
    assert texts(preview, ".gt-import-intro") == [importing.NOT_COMPARED.format(name="As-is")]
    assert texts(preview, ".gt-import-rows[data-action=create] tbody td:nth-child(2)") == [
        "CX1",
        "DIR1",
        "DIR2",
        "HOS1",
        "HOS2",
    ]
    # Going back to the mapping now shows the import instead of a second one.
    assert editor.get(page.request["PATH_INFO"])["Location"] == run_url(organisation, run)
    run = confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE, run.summary
    snapshot = Snapshot.objects.get()
    assert run.result_url.endswith(f"/structures/{snapshot.pk}/")
    assert run.summary == "5 posts saved as the snapshot As-is, from posts.csv."
    done = editor.get(run_url(organisation, run))
    assert links(done, "main p a") == [("See what changed", run.result_url)]
    assert snapshot.post_count == 5
    hos2 = Post.objects.get(snapshot=snapshot, post_id="HOS2")
    assert hos2.cost is None and hos2.fte == 0.8
    assert hos2.manager_position == Post.objects.get(snapshot=snapshot, post_id="DIR2").position
    # Units are the organisation's own tree: Place > Planning.
    assert hos2.unit.name == "Planning" and hos2.unit.parent.name == "Place"
    assert Post.objects.get(post_id="HOS1").cost == Decimal("98000.00")
    # The mapping is remembered for next time.
    assert ColumnMappingPreset.objects.get(organisation=organisation).name == "Payroll export"
    # The upload is one auditable event: the snapshot's history names the user.
    assert snapshot.history.first().history_user.username == "ed"


def test_a_remembered_mapping_skips_the_mapping_step_and_compares_with_the_last_snapshot(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    preset = ColumnMappingPreset.objects.create(
        organisation=organisation,
        name="HR",
        columns={
            "post_id": "post_id",
            "reports_to": "reports_to",
            "title": "title",
            "unit": ["unit"],
        },
    )
    extra = {"mapping": preset.pk}
    upload(
        editor, organisation, "posts.csv", SMALL, django_capture_on_commit_callbacks, extra=extra
    )
    run = confirm(editor, organisation, latest_run(), django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE, run.summary
    assert Post.objects.count() == 5

    # The next month's export: one post retitled, one new, the rest as they were.
    later = SMALL.replace(b"Head of Planning", b"Head of Planning and Building Control") + (
        b"HOS3,DIR2,Head of Highways,HoS,Place / Highways,1,91000\n"
    )
    upload(
        editor,
        organisation,
        "posts-april.csv",
        later,
        django_capture_on_commit_callbacks,
        snapshot_name="April",
        extra=extra,
    )
    run = latest_run()
    assert run.status == ImportStatus.READY, run.problems
    assert run.counts == {"create": 1, "update": 1, "unchanged": 4}
    assert run.preview["update"][0]["changes"] == [
        "Title: Head of Planning → Head of Planning and Building Control"
    ]
    page = editor.get(run_url(organisation, run))
    assert texts(page, ".gt-import-intro") == [
        importing.COMPARED.format(name="April", kind="as-is", previous="As-is")
    ]
    assert texts(page, ".gt-import-counts td") == ["1", "1", "4"]
    run = confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE
    assert Snapshot.objects.count() == 2


def test_a_cycle_is_listed_with_row_and_column_and_nothing_is_saved(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    bad = b"""post_id,reports_to,title
A,C,First
B,A,Second
C,B,Third
D,NOPE,Fourth
"""
    units_before = Unit.objects.count()
    preset = ColumnMappingPreset.objects.create(
        organisation=organisation,
        name="HR",
        columns={"post_id": "post_id", "reports_to": "reports_to"},
    )
    upload(
        editor,
        organisation,
        "bad.csv",
        bad,
        django_capture_on_commit_callbacks,
        extra={"mapping": preset.pk},
    )
    run = latest_run()
    assert run.status == ImportStatus.FAILED
    assert run.summary == "2 problems found in bad.csv. Nothing was saved."
    assert {(p["file"], p["row"], p["column"]) for p in run.problems} >= {
        ("bad.csv", 5, "reports_to")
    }
    assert any("cycle" in p["message"] for p in run.problems)
    assert all("expected" in p["message"] for p in run.problems)
    assert Snapshot.objects.count() == 0 and Post.objects.count() == 0
    assert Unit.objects.count() == units_before
    # Both have repairs: they are listed, and offered.
    page = editor.get(run_url(organisation, run))
    assert texts(page, ".govuk-button-group a") == [
        "Upload a corrected file",
        "Apply the listed repairs",
    ]
    assert len(texts(page, ".gt-import-findings[data-kind=problems] tbody tr")) == 2
    assert len(texts(page, ".gt-import-findings[data-kind=repairs] tbody tr")) == run.repair_count
    assert run.repair_count == 2


def test_the_dwp_file_shows_its_problems_then_saves_with_the_listed_repairs(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    path = real_file("300913-DWP.xls-senior.csv")
    upload(editor, organisation, path.name, path.read_bytes(), django_capture_on_commit_callbacks)
    run = latest_run()
    assert run.status == ImportStatus.FAILED
    assert run.problem_count == 1
    assert {p["row"] for p in run.problems} == {116}
    assert all(p["file"] == path.name for p in run.problems)
    assert Snapshot.objects.count() == 0
    page = editor.get(run_url(organisation, run))
    assert any("DWP135" in row for row in texts(page, ".gt-import-findings tbody tr"))

    # Apply the listed repairs: checked again, previewed, then saved.
    confirm_page = editor.get(run_url(organisation, run, "import_repair"))
    assert texts(confirm_page, "h1") == [f"Apply the listed repairs to {path.name}"]
    repairs = texts(confirm_page, ".gt-import-findings[data-kind=repairs] tbody tr")
    assert len(repairs) == run.repair_count > 0
    assert any("DWP135~2" in repair for repair in repairs)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(run_url(organisation, run, "import_repair"))
    assert response["Location"] == run_url(organisation, run)
    run.refresh_from_db()
    assert run.status == ImportStatus.READY, run.problems
    assert run.options["lenient"] is True
    page = editor.get(run_url(organisation, run))
    notes = texts(page, ".gt-import-notes tbody tr")
    assert any("DWP135~2" in note for note in notes)
    assert Snapshot.objects.count() == 0
    run = confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE, run.summary
    snapshot = Snapshot.objects.get()
    perm_sec = Post.objects.get(snapshot=snapshot, post_id="DWP135")
    assert (perm_sec.title, perm_sec.manager_position) == ("Permanent Secretary", None)
    director = Post.objects.get(snapshot=snapshot, post_id="DWP135~2")
    assert director.title == "Work Services Director, North West"


def test_the_lenient_choice_shows_each_repair_as_a_note_before_saving(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    path = real_file("300913-DWP.xls-senior.csv")
    upload(
        editor,
        organisation,
        path.name,
        path.read_bytes(),
        django_capture_on_commit_callbacks,
        problems="lenient",
    )
    run = latest_run()
    assert run.status == ImportStatus.READY, run.problems
    assert run.note_count > 0 and run.problem_count == 0
    assert Snapshot.objects.count() == 0
    # Discarding forgets the upload and saves nothing.
    response = editor.post(run_url(organisation, run, "import_discard"))
    assert response["Location"] == reverse(
        "structure:snapshot_list", kwargs={"org_slug": organisation.slug}
    )
    run.refresh_from_db()
    assert run.status == ImportStatus.DISCARDED
    assert Snapshot.objects.count() == 0 and Post.objects.count() == 0


def test_an_organogram_pair_adds_junior_staff_to_their_senior_posts(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    senior = real_file("ministry_of_defence-2016-03-31-senior.csv")
    junior = real_file("ministry_of_defence-2016-03-31-junior.csv")
    upload(
        editor,
        organisation,
        senior.name,
        senior.read_bytes(),
        django_capture_on_commit_callbacks,
        junior=(junior.name, junior.read_bytes()),
        problems="lenient",
    )
    run = latest_run()
    assert run.status == ImportStatus.READY, run.summary
    run = confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE, run.summary
    snapshot = Snapshot.objects.get()
    total_junior = sum(Post.objects.filter(snapshot=snapshot).values_list("junior_fte", flat=True))
    assert total_junior == pytest.approx(191_423.6, abs=1)


def test_a_council_transparency_file_is_read_without_ids(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    path = real_file("trafford_council_organisation_structure.csv")
    upload(editor, organisation, path.name, path.read_bytes(), django_capture_on_commit_callbacks)
    run = latest_run()
    assert run.status == ImportStatus.READY, run.problems
    assert run.preview["intro"] == importing.NOT_COMPARED_NO_IDS.format(name="As-is")
    run = confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    snapshot = Snapshot.objects.get()
    assert snapshot.post_count == 80
    assert snapshot.matched_by != "post ID"


def test_a_failure_while_saving_keeps_no_snapshot_and_no_posts(
    editor, organisation, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    from goldenthread.structure.services import snapshots as snapshot_services

    preset = ColumnMappingPreset.objects.create(
        organisation=organisation,
        name="HR",
        columns={"post_id": "post_id", "reports_to": "reports_to", "unit": ["unit"]},
    )
    upload(
        editor,
        organisation,
        "posts.csv",
        SMALL,
        django_capture_on_commit_callbacks,
        extra={"mapping": preset.pk},
    )
    real_insert = snapshot_services.post_insert

    def insert_then_fail(rows, **kwargs):
        real_insert(rows, **kwargs)
        assert Post.objects.count() == 5  # the posts were written ...
        raise RuntimeError("the connection dropped")  # ... and then the save failed

    monkeypatch.setattr(snapshot_services, "post_insert", insert_then_fail)
    run = confirm(editor, organisation, latest_run(), django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.FAILED
    assert Snapshot.objects.count() == 0 and Post.objects.count() == 0
    # The units the upload would have added are not kept either.
    assert not Unit.objects.filter(organisation=organisation).exists()


def test_viewers_cannot_upload_and_other_organisations_cannot_see_the_import(
    client, editor, organisation, django_capture_on_commit_callbacks
) -> None:
    upload(editor, organisation, "posts.csv", SMALL, django_capture_on_commit_callbacks)
    pending = StructureUpload.objects.get()
    mapping = reverse(
        "structure:upload_mapping", kwargs={"org_slug": organisation.slug, "upload_id": pending.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(mapping, {"post_id": "post_id", "reports_to": "reports_to"})
    run = latest_run()
    member(organisation, Role.VIEWER, username="vi")
    other = OrganisationFactory(name="Elsewhere", slug="elsewhere")
    member(other, Role.ADMIN, username="them")
    client.logout()
    client.login(username="vi", password=PASSWORD)
    for url in (
        reverse("structure:snapshot_upload", kwargs={"org_slug": organisation.slug}),
        mapping,
        run_url(organisation, run),
        run_url(organisation, run, "import_confirm"),
    ):
        assert client.get(url).status_code == 403
    client.logout()
    client.login(username="them", password=PASSWORD)
    for page in ("import_run", "import_confirm", "import_discard", "import_repair"):
        assert client.get(run_url(other, run, page)).status_code == 404
        assert client.post(run_url(other, run, page)).status_code == 404
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.READY
    assert Snapshot.objects.count() == 0


def test_the_post_template_and_the_upload_review_address(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    template = editor.get(
        reverse(
            "kit:import_template", kwargs={"org_slug": organisation.slug, "importer": "structure"}
        )
    )
    assert template.status_code == 200
    upload(editor, organisation, "posts.csv", SMALL, django_capture_on_commit_callbacks)
    pending = StructureUpload.objects.get()
    review = reverse(
        "structure:upload_review", kwargs={"org_slug": organisation.slug, "upload_id": pending.pk}
    )
    # Not yet mapped: the review address leads to the mapping.
    assert editor.get(review)["Location"].endswith(f"/uploads/{pending.pk}/mapping/")


def test_a_file_that_is_not_a_table_is_refused_on_the_form(editor, organisation) -> None:
    response = editor.post(
        reverse("structure:snapshot_upload", kwargs={"org_slug": organisation.slug}),
        {"name": "x", "kind": "as_is", "fmt": "auto", "problems": "strict"},
    )
    assert response.status_code == 200
    assert "Choose the file to upload" in response.content.decode()
    assert StructureUpload.objects.count() == 0


def test_the_upload_page_links_to_the_template_workbook(editor, organisation) -> None:
    from tests.html import hrefs

    page = editor.get(reverse("structure:snapshot_upload", kwargs={"org_slug": organisation.slug}))
    template = reverse(
        "kit:import_template", kwargs={"org_slug": organisation.slug, "importer": "structure"}
    )
    assert template in hrefs(page, "main a")
    assert editor.get(template).status_code == 200


def test_an_as_is_upload_is_compared_with_the_as_is_in_force_not_a_newer_superseded_one(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    from goldenthread.analysis.structure import Structure
    from goldenthread.structure.models import SnapshotStatus
    from goldenthread.structure.services import snapshot_create_from_structure

    def stored(name: str, status: str) -> Snapshot:
        structure = Structure.from_lists(["DIR1", "HOS1"], [-1, 0], title=["Director", "Head"])
        return snapshot_create_from_structure(
            organisation=organisation, structure=structure, name=name, status=status
        )

    stored("In force", SnapshotStatus.APPROVED)
    stored("Superseded later upload", SnapshotStatus.SUPERSEDED)
    preset = ColumnMappingPreset.objects.create(
        organisation=organisation,
        name="HR",
        columns={"post_id": "post_id", "reports_to": "reports_to", "title": "title"},
    )
    upload(
        editor,
        organisation,
        "posts.csv",
        SMALL,
        django_capture_on_commit_callbacks,
        snapshot_name="May",
        extra={"mapping": preset.pk},
    )
    page = editor.get(run_url(organisation, latest_run()))
    assert texts(page, ".gt-import-intro") == [
        importing.COMPARED.format(name="May", kind="as-is", previous="In force")
    ]
