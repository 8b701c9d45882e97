"""Generated hostile workbooks and CSV files through every upload form.

Each file is posted, as a member allowed to would post it, to the upload page
of each import-kit importer, its jobs are run, and every page the flow leads to is
requested. Whatever the file, the service answers (no 500), every job ends
(none is left running) and none is stopped by an unexpected error, each import
ends in a preview or a failure that says what is wrong, the problems kept stay
within the kit's cap, the worker's memory stays bounded, and nothing of the
register is saved unless the editor confirms a clean preview — and then all
of it is. A new importer fails a test here until its upload page is fuzzed.

The limits are lowered for the test, so that a file a few kilobytes long can
pass each of them; the examples are bounded in number (``MAX_EXAMPLES``).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.accounts.models import Role
from goldenthread.core.models import Organisation, Unit
from goldenthread.jobs.models import Job, JobStatus
from goldenthread.jobs.runner import UNEXPECTED_FAILURE
from goldenthread.kit import importing
from goldenthread.kit.importing import (
    CHECK_STOPPED,
    PROBLEM_LIMIT,
    SAVE_FAILED,
    UNEXPECTED,
    TableImporter,
    can_save,
    importer_get,
)
from goldenthread.kit.models import ImportRun, ImportStatus
from goldenthread.programme.models import (
    Action,
    ActionSaving,
    ActionUpdate,
    Benefit,
    BenefitProfile,
    Milestone,
    Mitigation,
    Risk,
)
from goldenthread.structure.models import Post, RedundancyBand, Snapshot, StructureUpload
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.hostile_files import csv_files, files, fuzz_settings
from tests.html import parse, select
from tests.memory import peak_growth
from tests.submitting import form_values, guard

MAX_EXAMPLES = 75
#: Examples for each register whose file is a table of its declared columns.
TABLE_EXAMPLES = 40
#: The most the test process may grow while the hostile files are read.
MEMORY_BOUND_MIB = 768

LIMITS = {
    "GOLDENTHREAD_READ_MAX_ROWS": 400,
    "GOLDENTHREAD_READ_MAX_COLUMNS": 40,
    "GOLDENTHREAD_READ_MAX_CELLS": 4_000,
    "GOLDENTHREAD_READ_MAX_UNPACKED_BYTES": 2 * 1024 * 1024,
    "GOLDENTHREAD_READ_MAX_TOTAL_CHARS": 200_000,
}

#: The records of each table importer's register, counted: the web fuzz of each
#: import-kit upload page whose file is a table of the importer's columns.
TABLE_REGISTERS: dict[str, Callable[[Organisation], int]] = {
    "units": lambda organisation: Unit.objects.filter(organisation=organisation).count(),
    "redundancy-bands": lambda organisation: RedundancyBand.objects.filter(
        organisation=organisation
    ).count(),
    "actions": lambda organisation: Action.objects.filter(organisation=organisation).count(),
    "milestones": lambda organisation: Milestone.objects.filter(
        action__organisation=organisation
    ).count(),
    "action-savings": lambda organisation: ActionSaving.objects.filter(
        action__organisation=organisation
    ).count(),
    "benefits": lambda organisation: Benefit.objects.filter(organisation=organisation).count(),
    "benefit-profiles": lambda organisation: BenefitProfile.objects.filter(
        benefit__organisation=organisation
    ).count(),
    "risks": lambda organisation: Risk.objects.filter(organisation=organisation).count(),
    "mitigations": lambda organisation: Mitigation.objects.filter(
        risk__organisation=organisation
    ).count(),
    "programme-quarterly-update": lambda organisation: ActionUpdate.objects.filter(
        update__organisation=organisation
    ).count(),
}


def _open_update(organisation: Organisation) -> dict[str, int]:
    """The quarterly update a workbook of owners' entries is uploaded to, open, with actions."""
    from goldenthread.analysis.quarters import FinancialQuarter
    from goldenthread.programme.updates.services import quarterly_update_open
    from tests.programme.factories import make_action, make_programme

    programme = make_programme(organisation, name="Fuzzed programme")
    for number in range(3):
        make_action(programme, reference=f"A-{number}", owner="Owner")
    update = quarterly_update_open(
        programme=programme, quarter=FinancialQuarter.of(datetime.date.today()), by=None
    )
    return {"update_id": update.pk}


#: The address arguments of an upload page beyond the organisation's.
UPLOAD_KWARGS: dict[str, Callable[[Organisation], dict[str, int]]] = {
    "programme-quarterly-update": _open_update,
}
#: The structure importer and its upload page, fuzzed in each format.
STRUCTURE = "structure"
STRUCTURE_UPLOAD = "structure:snapshot_upload"
POST_HEADER = ("post_id", "reports_to", "title", "grade", "unit", "fte", "cost")


def named(name: str, data: bytes) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Somerset Council", slug="somerset")


def signed_in(client, organisation, settings, role: Role):
    """The client signed in as a member with ``role``, the read limits lowered."""
    for name, value in LIMITS.items():
        setattr(settings, name, value)
    member(organisation, role, username=role.value)
    client.login(username=role.value, password=PASSWORD)
    return client


@pytest.fixture
def editor(client, organisation, settings):
    return signed_in(client, organisation, settings, Role.EDITOR)


@pytest.fixture
def admin(client, organisation, settings):
    """A member who may use every upload page (some registers take an admin's files)."""
    return signed_in(client, organisation, settings, Role.ADMIN)


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
    for job in Job.objects.filter(pk__gt=since["job"]).only("pk", "status", "summary"):
        assert job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED), job.status
        assert job.summary != UNEXPECTED_FAILURE.format(pk=job.pk), "a job raised (see the log)"
        for name in ("jobs:job_detail", "jobs:job_progress"):
            response = client.get(reverse(name, kwargs={**slug, "job_id": job.pk}))
            assert response.status_code == 200, (name, response.content[:500])
    for run in ImportRun.objects.filter(pk__gt=since["run"]).defer("data"):
        assert run.status in (ImportStatus.READY, ImportStatus.FAILED), run.summary
        stopped = CHECK_STOPPED.format(reason=UNEXPECTED.format(job=run.check_job_id))
        assert run.summary != stopped, "the check raised (see the log)"
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


def map_columns(client, organisation, since, capture, choose: Callable[[list[str]], str]) -> int:
    """Submit each new table upload's column mapping, each field the column ``choose`` picks
    from the file's.

    Returns how many mappings were submitted.
    """
    submitted = 0
    for upload in StructureUpload.objects.filter(pk__gt=since["upload"], fmt="table"):
        url = reverse(
            "structure:upload_mapping",
            kwargs={"org_slug": organisation.slug, "upload_id": upload.pk},
        )
        page = client.get(url)
        fields = (
            parse(page).select("main form[method=post] select") if page.status_code == 200 else []
        )
        if not fields:
            continue
        values = form_values(page)
        for field in fields:
            options = [option.get("value", "") for option in field.select("option")]
            values[field["name"]] = choose(options)
        with capture(execute=True):
            response = client.post(url, values)
        follow(client, response)
        submitted += 1
    return submitted


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
        stopped = SAVE_FAILED.format(reason=UNEXPECTED.format(job=run.save_job_id))
        assert run.summary != stopped, "the save raised (see the log)"
        if run.status == ImportStatus.FAILED:
            assert count() == before, "a failed save keeps nothing"


FUZZ = fuzz_settings(MAX_EXAMPLES)


def test_every_importer_is_fuzzed_through_its_upload_page() -> None:
    # A new importer needs its upload page fuzzed: a table of its columns goes
    # in TABLE_REGISTERS; a file of another kind needs a test of its own here.
    fuzzed = {name: importer_get(name).upload_url_name for name in TABLE_REGISTERS}
    fuzzed[STRUCTURE] = STRUCTURE_UPLOAD
    registered = {name: found.upload_url_name for name, found in importing._IMPORTERS.items()}
    assert registered == fuzzed
    assert all(isinstance(importer_get(name), TableImporter) for name in TABLE_REGISTERS)


def table_files(importer: TableImporter) -> st.SearchStrategy[tuple[str, bytes]]:
    """Hostile files headed by the importer's column names, or by their labels."""
    columns = importer.columns
    names = tuple(column.name for column in columns)
    return st.one_of(files(names), csv_files(tuple(column.label for column in columns)))


@pytest.mark.parametrize("name", sorted(TABLE_REGISTERS))
@pytest.mark.django_db
@pytest.mark.fuzz
def test_no_register_file_takes_the_service_down(
    admin, organisation, django_capture_on_commit_callbacks, name
) -> None:
    importer = importer_get(name)
    assert isinstance(importer, TableImporter)
    count = TABLE_REGISTERS[name]
    extra = UPLOAD_KWARGS[name](organisation) if name in UPLOAD_KWARGS else {}
    url = reverse(importer.upload_url_name, kwargs={"org_slug": organisation.slug, **extra})

    @fuzz_settings(MAX_EXAMPLES if name == "units" else TABLE_EXAMPLES)
    @given(table_files(importer))
    def attempt(file: tuple[str, bytes]) -> None:
        since = marks()
        before = count(organisation)
        with django_capture_on_commit_callbacks(execute=True):
            response = admin.post(url, {"file": named(*file)})
        follow(admin, response)
        visit_everything_new(admin, organisation, since)
        assert count(organisation) == before
        confirm_clean_runs(
            admin,
            organisation,
            since,
            django_capture_on_commit_callbacks,
            lambda: count(organisation),
        )

    with peak_growth() as growth:
        attempt()
    assert growth.mib < MEMORY_BOUND_MIB
    previewed = ImportRun.objects.filter(
        organisation=organisation,
        importer=name,
        status__in=(ImportStatus.READY, ImportStatus.DONE),
    )
    assert previewed.exists(), "some generated files reach a preview"


@pytest.mark.parametrize("fmt", ["auto", "table", "organogram", "lga"])
@pytest.mark.django_db
@pytest.mark.fuzz
def test_no_structure_file_takes_the_service_down(
    editor, organisation, django_capture_on_commit_callbacks, fmt
) -> None:
    mapped: list[int] = []

    @FUZZ
    @given(files(POST_HEADER), st.one_of(st.none(), csv_files(POST_HEADER)), st.data())
    def attempt(
        file: tuple[str, bytes], junior: tuple[str, bytes] | None, draw: st.DataObject
    ) -> None:
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
                reverse(STRUCTURE_UPLOAD, kwargs={"org_slug": organisation.slug}),
                payload,
            )
        follow(editor, response)
        if fmt == "table":
            mapped.append(
                map_columns(
                    editor,
                    organisation,
                    since,
                    django_capture_on_commit_callbacks,
                    lambda options: draw.draw(st.sampled_from(options)),
                )
            )
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
    if fmt == "table":
        # Which generated files reach the mapping depends on the examples drawn, which
        # are not the same in every run of the suite; this file always reaches it, and
        # its mapping is then chosen column by column in turn.
        since = marks()
        unknown = ",".join(f"Column {letter}" for letter in "ABCDEFG")
        body = f"{unknown}\r\nP1,,Chief executive,CX,Office,1,150000\r\n".encode()
        with django_capture_on_commit_callbacks(execute=True):
            response = editor.post(
                reverse(STRUCTURE_UPLOAD, kwargs={"org_slug": organisation.slug}),
                {
                    "name": "Unknown headings",
                    "kind": "as_is",
                    "fmt": fmt,
                    "problems": "strict",
                    "file": named("u.csv", body),
                },
            )
        follow(editor, response)
        turns = iter(range(1_000))
        chosen = map_columns(
            editor,
            organisation,
            since,
            django_capture_on_commit_callbacks,
            lambda options: options[next(turns) % len(options)],
        )
        assert chosen == 1, "a file of unknown headings reaches the column mapping"
        visit_everything_new(editor, organisation, since)
