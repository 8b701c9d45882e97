"""Generated hostile workbooks and CSV files through every upload form.

Each file is posted as an editor would post it, its jobs are run, and every page
the flow leads to is requested. Whatever the file, the service answers (no 500),
every job ends (none is left running), the problems kept stay within the kit's
cap, the worker's memory stays bounded, and nothing of the register is saved
unless the editor confirms a clean preview — and then all of it is.

The limits are lowered for the test, so that a file a few kilobytes long can
pass each of them; the examples are bounded in number (``MAX_EXAMPLES``).
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goldenthread.accounts.models import Role
from goldenthread.core.models import Unit
from goldenthread.jobs.models import Job, JobStatus
from goldenthread.kit.importing import PROBLEM_LIMIT, can_save
from goldenthread.kit.models import ImportRun, ImportStatus
from goldenthread.structure.models import Post, Snapshot, StructureUpload
from tests import hostile
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import select
from tests.memory import peak_growth
from tests.submitting import guard

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

MAX_EXAMPLES = 75
#: The most the test process may grow while the hostile files are read.
MEMORY_BOUND_MIB = 768

LIMITS = {
    "GOLDENTHREAD_READ_MAX_ROWS": 400,
    "GOLDENTHREAD_READ_MAX_COLUMNS": 40,
    "GOLDENTHREAD_READ_MAX_CELLS": 4_000,
    "GOLDENTHREAD_READ_MAX_UNPACKED_BYTES": 2 * 1024 * 1024,
    "GOLDENTHREAD_READ_MAX_TOTAL_CHARS": 200_000,
}

UNIT_HEADER = ("code", "name", "kind", "parent_code", "description")
POST_HEADER = ("post_id", "reports_to", "title", "grade", "unit", "fte", "cost")

SHORT_NASTY_TEXT = st.one_of(
    st.sampled_from(
        [
            "",
            "PEO",
            '=HYPERLINK("https://example.com","x")',
            "+1+1",
            "-2",
            "@SUM(A1)",
            "\tTAB",
            '"unterminated',
            "a,b",
            "x\x00y",
            "<a href='https://example.com'>sign in again</a>",
            "1e300",
            "NaN",
            "-inf",
            "0,5",
            "£1,234",
            "\u202eevil",
        ]
    ),
    st.text(max_size=30),
)
#: Cells of any kind, one longer than a spreadsheet allows among them.
NASTY_TEXT = st.one_of(SHORT_NASTY_TEXT, st.just("x" * 40_000))


@st.composite
def csv_files(draw: st.DrawFn, header: tuple[str, ...]) -> tuple[str, bytes]:
    """CSV text of any shape: encodings, delimiters, ragged rows, quotes, NULs, width."""
    columns = list(header) if draw(st.booleans()) else draw(st.lists(NASTY_TEXT, max_size=8))
    if draw(st.booleans()):
        columns += [f"extra{i}" for i in range(draw(st.integers(0, 120)))]
    repeat = draw(st.sampled_from([1, 1, 1, 50, 500]))
    # Repeated rows are short, so that no generated file is more than a few megabytes.
    cells = NASTY_TEXT if repeat == 1 else SHORT_NASTY_TEXT
    rows = draw(
        st.lists(st.lists(cells, min_size=0, max_size=len(columns) + 3), min_size=0, max_size=30)
    )
    delimiter = draw(st.sampled_from([",", ",", "\t", ";"]))
    quote = draw(st.booleans())
    lines = [delimiter.join(columns)]
    for row in rows * repeat:
        cells = [f'"{cell}"' if quote and '"' not in cell else cell for cell in row]
        lines.append(delimiter.join(cells))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if encoding == "utf-16-le" and draw(st.booleans()):
        data = codecs.BOM_UTF16_LE + data
    if draw(st.integers(0, 9)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    name = draw(st.sampled_from(["file.csv", "file.csv", "file.xlsx", "file.txt", "FILE.CSV"]))
    return name, data


@st.composite
def workbooks(draw: st.DrawFn, header: tuple[str, ...]) -> tuple[str, bytes]:
    """Workbooks built to break a reader, and some that are merely odd."""
    kind = draw(
        st.sampled_from(
            [
                "far",
                "lying",
                "repeated",
                "entities",
                "shared",
                "shared-bomb",
                "bad-reference",
                "truncated",
                "junk",
                "plain",
            ]
        )
    )
    if kind == "far":
        data = hostile.far_corner(draw(st.integers(1, 1_048_576)), draw(st.integers(1, 16_384)))
    elif kind == "lying":
        data = hostile.lying_dimension(draw(st.integers(1, 80)), draw(st.integers(1, 60)))
    elif kind == "repeated":
        values = draw(st.lists(SHORT_NASTY_TEXT, min_size=len(header), max_size=len(header)))
        data = hostile.repeated_rows(draw(st.integers(1, 3_000)), header, values)
    elif kind == "entities":
        data = hostile.entity_bomb(draw(st.integers(1, 9)))
    elif kind == "shared":
        data = hostile.shared_string_out_of_range()
    elif kind == "shared-bomb":
        data = hostile.shared_string_bomb(draw(st.integers(1, 4_000)), draw(st.integers(1, 40_000)))
    elif kind == "bad-reference":
        nasty = st.sampled_from(["²", "١", "9" * 4_300, "-1", "0x1", "1e3", ""])
        row = draw(st.one_of(st.just("1"), nasty, st.text(max_size=8)))
        ref = draw(st.one_of(st.just("A1"), nasty.map(lambda r: "A" + r), st.text(max_size=8)))
        data = hostile.bad_reference(row, ref)
    elif kind == "truncated":
        whole = hostile.far_corner(2, 2)
        data = whole[: draw(st.integers(0, len(whole) - 1))]
    elif kind == "junk":
        data = draw(st.binary(max_size=2_000))
    else:
        rows = draw(st.lists(st.lists(NASTY_TEXT, max_size=len(header)), max_size=20))
        body = [(1, list(enumerate(header, start=1)))]
        body += [(n, list(enumerate(r, start=1))) for n, r in enumerate(rows, start=2)]
        data = hostile.workbook(hostile.sheet(body))
    name = draw(st.sampled_from(["book.xlsx", "book.xlsx", "book.xlsm", "book.csv"]))
    return name, data


def files(header: tuple[str, ...]) -> st.SearchStrategy[tuple[str, bytes]]:
    return st.one_of(csv_files(header), workbooks(header))


def named(name: str, data: bytes) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Somerset Council", slug="somerset")


@pytest.fixture
def editor(client, organisation, settings):
    for name, value in LIMITS.items():
        setattr(settings, name, value)
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    return client


def follow(client, response) -> None:
    """Request every page a response leads to, asserting none is a server error."""
    seen = 0
    while response.status_code in (301, 302) and seen < 6:
        response = client.get(response["Location"])
        seen += 1
        assert response.status_code < 500, response.content[:500]
    assert response.status_code < 500, response.content[:500]


def visit_everything_new(client, organisation, since: dict[str, int]) -> None:
    """Every page of the jobs, imports and uploads the file made answers without error."""
    slug = {"org_slug": organisation.slug}
    for job in Job.objects.filter(pk__gt=since["job"]).only("pk", "status"):
        assert job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED), job.status
        for name in ("jobs:job_detail", "jobs:job_progress"):
            response = client.get(reverse(name, kwargs={**slug, "job_id": job.pk}))
            assert response.status_code == 200, (name, response.content[:500])
    for run in ImportRun.objects.filter(pk__gt=since["run"]).defer("data"):
        assert run.status != ImportStatus.CHECKING, run.summary
        assert len(run.problems) <= PROBLEM_LIMIT
        response = client.get(reverse("kit:import_run", kwargs={**slug, "run_id": run.pk}))
        assert response.status_code == 200, response.content[:500]
        if run.status == ImportStatus.FAILED:
            assert select(response, ".govuk-error-summary, .gt-import-problems"), (
                "a failed import says what is wrong"
            )
    for upload in StructureUpload.objects.filter(pk__gt=since["upload"]).only("pk"):
        for name in ("structure:upload_review", "structure:upload_mapping"):
            response = client.get(reverse(name, kwargs={**slug, "upload_id": upload.pk}))
            assert response.status_code in (200, 302), (name, response.content[:500])


def marks() -> dict[str, int]:
    def last(model) -> int:
        newest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return newest or 0

    return {"job": last(Job), "run": last(ImportRun), "upload": last(StructureUpload)}


def confirm_clean_runs(client, organisation, since, capture, count: Callable[[], int]) -> None:
    """Confirm each clean preview: the save is all of the preview or nothing."""
    for run in ImportRun.objects.filter(pk__gt=since["run"], status=ImportStatus.READY):
        if not can_save(run):
            continue  # a file that changes nothing has nothing to confirm
        before = count()
        url = reverse(
            "kit:import_confirm", kwargs={"org_slug": organisation.slug, "run_id": run.pk}
        )
        page = client.get(
            reverse("kit:import_run", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
        )
        form = guard(page, f'form[action="{url}"]')
        with capture(execute=True):
            response = client.post(url, form)
        follow(client, response)
        run.refresh_from_db()
        assert run.status in (ImportStatus.DONE, ImportStatus.FAILED), run.status
        if run.status == ImportStatus.FAILED:
            assert count() == before, "a failed save keeps nothing"


FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def test_no_units_file_takes_the_service_down(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    @FUZZ
    @given(files(UNIT_HEADER))
    def attempt(file: tuple[str, bytes]) -> None:
        since = marks()
        units = Unit.objects.filter(organisation=organisation).count()
        with django_capture_on_commit_callbacks(execute=True):
            response = editor.post(
                reverse("core:unit_import", kwargs={"org_slug": organisation.slug}),
                {"file": named(*file)},
            )
        follow(editor, response)
        visit_everything_new(editor, organisation, since)
        assert Unit.objects.filter(organisation=organisation).count() == units
        confirm_clean_runs(
            editor,
            organisation,
            since,
            django_capture_on_commit_callbacks,
            lambda: Unit.objects.filter(organisation=organisation).count(),
        )

    with peak_growth() as growth:
        attempt()
    assert growth.mib < MEMORY_BOUND_MIB


@pytest.mark.parametrize("fmt", ["auto", "table", "organogram", "lga"])
def test_no_structure_file_takes_the_service_down(
    editor, organisation, django_capture_on_commit_callbacks, fmt
) -> None:
    @FUZZ
    @given(files(POST_HEADER), st.one_of(st.none(), csv_files(POST_HEADER)))
    def attempt(file: tuple[str, bytes], junior: tuple[str, bytes] | None) -> None:
        since = marks()
        snapshots = Snapshot.objects.filter(organisation=organisation).count()
        payload = {
            "name": "Fuzzed",
            "kind": "as_is",
            "fmt": fmt,
            "problems": "strict",
            "file": named(*file),
        }
        if junior is not None and fmt in ("auto", "organogram"):
            payload["junior_file"] = named(*junior)
        with django_capture_on_commit_callbacks(execute=True):
            response = editor.post(
                reverse("structure:snapshot_upload", kwargs={"org_slug": organisation.slug}),
                payload,
            )
        follow(editor, response)
        visit_everything_new(editor, organisation, since)
        assert Snapshot.objects.filter(organisation=organisation).count() == snapshots
        confirm_clean_runs(
            editor,
            organisation,
            since,
            django_capture_on_commit_callbacks,
            lambda: Post.objects.filter(snapshot__organisation=organisation).count(),
        )

    with peak_growth() as growth:
        attempt()
    assert growth.mib < MEMORY_BOUND_MIB
