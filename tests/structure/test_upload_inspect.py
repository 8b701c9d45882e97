"""A structure upload's first read happens in its inspection job, never in a page.

The upload page keeps the file and queues the inspection; the upload's own
page follows the job and then leads to the mapping (a table) or to the check
(an organogram, a council file, an already mapped table). The mapping page
offers only the column names the inspection kept, and a file whose header is
too wide, or that cannot be read at all, fails the job with the reader's words.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.services import ServiceError
from goldenthread.formats.sources import DAMAGED_WORKBOOK, TOO_MANY_COLUMNS
from goldenthread.formats.writing import Sheet, write_xlsx
from goldenthread.jobs.models import JobStatus
from goldenthread.kit.models import ImportRun
from goldenthread.structure import inspect, services
from goldenthread.structure.models import ColumnMappingPreset, StructureUpload
from tests.html import attribute, error_links, hrefs, links, texts
from tests.structure.conftest import named, upload

pytestmark = pytest.mark.django_db

#: The column limit these tests set, low so that a wider file is small.
LIMIT = 40

POSTS = b"""Post ref,Manager ref,Job title,Directorate
CX1,XX,Chief Executive,Office
DIR1,CX1,Director of People,People
"""


def _url(organisation, name: str, pending: StructureUpload) -> str:
    return reverse(
        f"structure:{name}", kwargs={"org_slug": organisation.slug, "upload_id": pending.pk}
    )


def test_while_the_file_is_read_its_page_follows_the_job(editor, organisation) -> None:
    # The jobs are queued and not run: the pages show the upload waiting.
    response = editor.post(
        reverse("structure:snapshot_upload", kwargs={"org_slug": organisation.slug}),
        {
            "name": "As-is",
            "kind": "as_is",
            "fmt": "auto",
            "problems": "strict",
            "file": named("posts.csv", POSTS),
        },
    )
    pending = StructureUpload.objects.get()
    assert response["Location"] == _url(organisation, "upload_review", pending)
    assert (pending.fmt, pending.columns, pending.inspect_job.status) == ("auto", [], "queued")
    page = editor.get(response["Location"])
    assert page.status_code == 200
    assert texts(page, "h1") == ["Reading the file"]
    progress = reverse(
        "jobs:job_progress",
        kwargs={"org_slug": organisation.slug, "job_id": pending.inspect_job_id},
    )
    assert attribute(page, "#job-progress", "hx-get") == [progress]
    # The mapping waits for the column names: it sends the user back to the upload's page.
    assert (
        editor.get(_url(organisation, "upload_mapping", pending))["Location"]
        == (response["Location"])
    )


def test_the_mapping_page_offers_the_kept_column_names_and_never_opens_the_file(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    upload(editor, organisation, "posts.csv", POSTS, django_capture_on_commit_callbacks)
    pending = StructureUpload.objects.get()
    assert pending.inspect_job.status == JobStatus.SUCCEEDED
    assert pending.columns == ["Post ref", "Manager ref", "Job title", "Directorate"]
    # Were the page to read the file, it would find this.
    StructureUpload.objects.filter(pk=pending.pk).update(data=b"\x00not a file")
    page = editor.get(_url(organisation, "upload_mapping", pending))
    assert page.status_code == 200
    for name in ("post_id", "reports_to", "title", "unit_1"):
        assert attribute(page, f"select[name={name}] option", "value") == ["", *pending.columns]


def test_a_column_that_is_not_in_the_file_is_refused(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    upload(editor, organisation, "posts.csv", POSTS, django_capture_on_commit_callbacks)
    pending = StructureUpload.objects.get()
    page = editor.post(
        _url(organisation, "upload_mapping", pending),
        {"post_id": "Post ref", "reports_to": "Not a column"},
    )
    assert page.status_code == 200
    assert list(error_links(page)) == ["#id_reports_to"]
    pending.refresh_from_db()
    assert pending.mapping == {} and not ImportRun.objects.exists()
    # The service refuses it too, whoever calls it.
    with pytest.raises(ServiceError) as refused:
        services.upload_set_mapping(
            upload=pending, mapping={"post_id": "Post ref", "reports_to": "Nope"}
        )
    assert refused.value.message == services.MAPPING_NOT_A_COLUMN.format(
        column="Nope", file="posts.csv"
    )


def test_a_header_wider_than_the_limit_fails_before_it_is_parsed(
    editor, organisation, django_capture_on_commit_callbacks, settings
) -> None:
    settings.GOLDENTHREAD_READ_MAX_COLUMNS = LIMIT
    width = LIMIT + 1
    wide = ",".join(f"c{i}" for i in range(width)).encode() + b"\n" + b"x," * (width - 1) + b"x\n"
    response = upload(editor, organisation, "wide.csv", wide, django_capture_on_commit_callbacks)
    pending = StructureUpload.objects.get()
    job = pending.inspect_job
    too_wide = TOO_MANY_COLUMNS.format(what="file", found=width, allowed=LIMIT)
    assert job.status == JobStatus.FAILED
    assert job.summary == inspect.UNREADABLE.format(file="wide.csv", problem=f"row 1: {too_wide}")
    assert [(p["file"], p["row"], p["message"]) for p in job.problems] == [
        ("wide.csv", 1, too_wide)
    ]
    assert (pending.fmt, pending.columns) == ("auto", [])
    page = editor.get(response["Location"])
    assert texts(page, "h1") == ["The file cannot be read"]
    assert texts(page, ".gt-upload-unreadable p") == [job.summary]
    assert (
        "Upload a corrected file",
        reverse("structure:snapshot_upload", kwargs={"org_slug": organisation.slug}),
    ) in links(page, "main a")
    assert texts(page, "table tbody td")[:3] == ["wide.csv", "1", "–"]
    # No mapping page lists the columns.
    assert (
        editor.get(_url(organisation, "upload_mapping", pending))["Location"]
        == (response["Location"])
    )
    assert not ImportRun.objects.exists()


def test_quoted_commas_do_not_count_as_columns(
    editor, organisation, django_capture_on_commit_callbacks, settings
) -> None:
    settings.GOLDENTHREAD_READ_MAX_COLUMNS = LIMIT
    names = ",".join(f'"a, {i}"' for i in range(LIMIT)).encode()
    data = names + b"\n" + b"x," * (LIMIT - 1) + b"x\n"
    upload(editor, organisation, "quoted.csv", data, django_capture_on_commit_callbacks)
    pending = StructureUpload.objects.get()
    assert pending.inspect_job.status == JobStatus.SUCCEEDED, pending.inspect_job.summary
    assert len(pending.columns) == LIMIT


def test_a_workbook_wider_than_the_limit_is_refused(
    editor, organisation, django_capture_on_commit_callbacks, settings
) -> None:
    settings.GOLDENTHREAD_READ_MAX_COLUMNS = LIMIT
    width = LIMIT + 1
    book = write_xlsx([Sheet("Posts", [f"c{i}" for i in range(width)], [["x"] * width])])
    upload(editor, organisation, "wide.xlsx", book, django_capture_on_commit_callbacks)
    job = StructureUpload.objects.get().inspect_job
    assert job.status == JobStatus.FAILED
    too_wide = TOO_MANY_COLUMNS.format(what="workbook", found=width, allowed=LIMIT)
    assert too_wide in job.summary


def test_a_file_that_cannot_be_read_fails_with_the_readers_message(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    # A zip archive by its first bytes, as the form checks, but no workbook.
    damaged = b"PK\x03\x04" + b"\x00" * 64
    response = upload(
        editor, organisation, "posts.xlsx", damaged, django_capture_on_commit_callbacks
    )
    job = StructureUpload.objects.get().inspect_job
    assert job.status == JobStatus.FAILED
    damaged_message = DAMAGED_WORKBOOK.format(reason="its zip directory is missing")
    assert job.summary == f"Nothing was saved from posts.xlsx: {damaged_message}"
    assert [p["file"] for p in job.problems] == ["posts.xlsx"]
    page = editor.get(response["Location"])
    assert texts(page, ".gt-upload-unreadable p") == [job.summary]
    assert reverse("structure:snapshot_upload", kwargs={"org_slug": organisation.slug}) in (
        hrefs(page, "main a")
    )


def test_an_organogram_goes_straight_to_its_check_and_drops_a_table_mapping(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    preset = ColumnMappingPreset.objects.create(
        organisation=organisation,
        name="HR",
        columns={"post_id": "Post ref", "reports_to": "Manager ref"},
    )
    organogram = (
        b"Post Unique Reference,Name,Grade (or equivalent),Job Title,Parent Department,"
        b"Organisation,Unit,Reports to Senior Post\n"
        b"1,Jo Bloggs,SCS3,Permanent Secretary,Dept,Dept,Office,XX\n"
    )
    response = upload(
        editor,
        organisation,
        "senior.csv",
        organogram,
        django_capture_on_commit_callbacks,
        extra={"mapping": preset.pk},
    )
    pending = StructureUpload.objects.get()
    assert (pending.fmt, pending.mapping, pending.columns) == ("organogram", {}, [])
    run = ImportRun.objects.get()
    assert run.options == {"upload_id": pending.pk}
    run_url = reverse("kit:import_run", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
    assert editor.get(response["Location"])["Location"] == run_url
    assert pending.inspect_job.result_url == run_url
    assert editor.get(_url(organisation, "upload_mapping", pending))["Location"] == run_url


def test_an_exported_workbook_is_mapped_by_its_own_columns_with_no_question(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    from goldenthread.structure.exports import POST_HEADER, export_mapping

    row = ("CX1", "XX", "Chief Executive", "SMT1", "Office / Policy", 1.0, 185000, "N", "N")
    workbook = write_xlsx([Sheet("Posts", POST_HEADER, [(*row, 1, 0, 0, 0.0, 0, 0)])])
    upload(editor, organisation, "export.xlsx", workbook, django_capture_on_commit_callbacks)
    pending = StructureUpload.objects.get()
    assert "__row" not in pending.columns
    assert pending.mapping == export_mapping(list(POST_HEADER))
    assert pending.mapping["unit"] == ["unit"]
    run = ImportRun.objects.get()
    assert run.status == "ready", run.problems
    assert run.options == {"upload_id": pending.pk}


def test_the_mapping_page_never_offers_the_row_number_and_fills_in_the_unit(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    header = ("Position", "Manager", "Job", "Unit")
    workbook = write_xlsx([Sheet("Posts", header, [("CX1", "XX", "Chief Executive", "Office")])])
    upload(editor, organisation, "hr.xlsx", workbook, django_capture_on_commit_callbacks)
    pending = StructureUpload.objects.get()
    assert pending.columns == list(header)
    page = editor.get(_url(organisation, "upload_mapping", pending))
    assert attribute(page, "select[name=post_id] option", "value") == ["", *header]
    assert attribute(page, "select[name=unit_1] option[selected]", "value") == ["Unit"]
