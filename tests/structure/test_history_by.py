"""Every service names its acting user with ``by``, and the history records them.

Outside a request (a job, the demo, a command) only ``by`` can say who made a
change: the history middleware has no request to take a user from.
"""

from __future__ import annotations

import datetime

import pytest

from goldenthread.accounts.models import Role
from goldenthread.audit.selectors import change_list
from goldenthread.core import services as core_services
from goldenthread.core.models import Unit
from goldenthread.formats.posts import PostTable, build_structure
from goldenthread.jobs.models import JobStatus
from goldenthread.jobs.services import job_run
from goldenthread.kit.importing import import_run_confirm, import_run_create
from goldenthread.structure import selectors, services
from goldenthread.structure.importing import IMPORTER as STRUCTURE_IMPORTER
from goldenthread.structure.models import ScenarioChange, Snapshot, SnapshotKind, SnapshotStatus
from tests.factories import DECISION, OrganisationFactory, UserFactory, member

pytestmark = pytest.mark.django_db

CSV = b"""post_id,reports_to,title,grade,unit,fte,cost
CX1,XX,Chief Executive,CEX,,1,187500
DIR1,CX1,Director of People,Director,People,1,135000
HOS1,DIR1,Head of Adult Social Care,HoS,People / Adult Social Care,1,98000
"""


@pytest.fixture(autouse=True)
def fresh_figures() -> None:
    selectors._figures.clear()


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Somerset Council", slug="somerset")


@pytest.fixture
def maker():
    return UserFactory(username="maker", full_name="Morgan Maker")


def _structure():
    table = PostTable.from_lists(
        ["CX", "D1", "H1"],
        [None, "CX", "D1"],
        title=["Chief Executive", "Director of People", "Head of Care"],
        grade=["CEX", "Director", "HoS"],
        unit=["", "People", "People / Care"],
        cost=[180000.0, 130000.0, 80000.0],
        source="test",
    )
    return build_structure(table).structure


def _history_users(model, **lookup) -> set[str | None]:
    return {
        record.history_user.username if record.history_user else None
        for record in model.history.filter(**lookup)
    }


def test_a_snapshot_and_the_units_it_adds_name_their_maker_in_the_history(
    organisation, maker
) -> None:
    snapshot = services.snapshot_create_from_structure(
        organisation=organisation, structure=_structure(), name="As-is", by=maker
    )
    assert snapshot.created_by == maker
    assert _history_users(Snapshot, id=snapshot.pk) == {"maker"}
    assert set(Unit.objects.filter(organisation=organisation).values_list("name", flat=True)) == {
        "People",
        "Care",
    }
    assert _history_users(Unit, organisation=organisation) == {"maker"}
    made = [
        change
        for change in change_list(organisation=organisation)
        if change.model_label != "accounts.organisation"
    ]
    assert len(made) == 3 and {change.who for change in made} == {"Morgan Maker (maker)"}


def test_without_by_outside_a_request_the_history_names_the_system(organisation) -> None:
    services.snapshot_create_from_structure(
        organisation=organisation, structure=_structure(), name="As-is"
    )
    assert _history_users(Snapshot, organisation=organisation) == {None}
    assert {change.who for change in change_list(organisation=organisation)} == {"The system"}
    assert _history_users(Unit, organisation=organisation) == {None}


def test_every_scenario_service_names_its_user(organisation, maker) -> None:
    approver = member(organisation, Role.ADMIN, username="approver")
    as_is = services.snapshot_create_from_structure(
        organisation=organisation,
        structure=_structure(),
        name="As-is",
        status=SnapshotStatus.APPROVED,
        by=maker,
    )
    scenario = services.scenario_create(snapshot=as_is, name="Option A", by=maker)
    change = services.scenario_post_change(
        snapshot=scenario,
        post_id="H1",
        kind="retitle",
        title="Head of Adult Care",
        reason="Clearer title",
        effective_date=datetime.date(2025, 4, 1),
        by=maker,
    )
    services.scenario_change_undo(change=change, by=approver)
    services.scenario_approve(snapshot=scenario, by=approver, **DECISION)
    services.scenario_promote(snapshot=scenario, by=approver, **DECISION)
    change.refresh_from_db()
    scenario.refresh_from_db()
    assert change.created_by == maker and change.undone_by == approver
    assert [r.history_user.username for r in change.history.order_by("history_date")] == [
        "maker",
        "approver",
    ]
    assert scenario.approved_by == approver and scenario.kind == SnapshotKind.AS_IS
    assert [r.history_user.username for r in scenario.history.order_by("history_date")] == [
        "maker",
        "approver",
        "approver",
    ]
    as_is.refresh_from_db()
    assert as_is.status == SnapshotStatus.SUPERSEDED
    assert as_is.history.latest("history_date").history_user == approver


def test_an_import_job_writes_in_the_name_of_whoever_started_it(
    organisation, maker, django_capture_on_commit_callbacks
) -> None:
    upload = services.upload_create(
        organisation=organisation,
        filename="posts.csv",
        data=CSV,
        fmt="table",
        lenient=False,
        mapping={
            "post_id": "post_id",
            "reports_to": "reports_to",
            "title": "title",
            "grade": "grade",
            "unit": ["unit"],
            "fte": "fte",
            "cost": "cost",
        },
        snapshot_fields={"name": "Imported", "kind": "as_is"},
        by=maker,
    )
    assert _history_users(type(upload), id=upload.pk) == {"maker"}
    with django_capture_on_commit_callbacks():
        run = import_run_create(
            organisation=organisation,
            importer=STRUCTURE_IMPORTER,
            filename="posts.csv",
            options={"upload_id": upload.pk},
            by=maker,
        )
    # The worker runs each job with no request at all: first the check ...
    check = job_run(job_id=run.check_job_id)
    assert check.status == JobStatus.SUCCEEDED, check.summary
    run.refresh_from_db()
    with django_capture_on_commit_callbacks():
        run = import_run_confirm(run=run, by=maker)
    # ... then, once confirmed, the save.
    job = job_run(job_id=run.save_job_id)
    assert job.status == JobStatus.SUCCEEDED, job.summary
    assert job.created_by == maker
    snapshot = Snapshot.objects.get(organisation=organisation, name="Imported")
    assert snapshot.created_by == maker
    assert _history_users(Snapshot, id=snapshot.pk) == {"maker"}
    assert _history_users(Unit, organisation=organisation) == {"maker"}


def test_the_units_bulk_service_adds_and_updates_in_one_go_naming_its_user(
    organisation, maker
) -> None:
    core_services.unit_create(organisation=organisation, code="PEO", name="People")
    written = core_services.unit_bulk_upsert(
        organisation=organisation,
        rows=[
            # A child before its parent: the service writes parents first.
            {"code": "PEO-ASC-FD", "name": "Front Door", "kind": "team", "parent_code": "PEO-ASC"},
            {"code": "PEO-ASC", "name": "Adult Social Care", "parent_code": "peo"},
            {"code": "peo", "name": "People Directorate", "kind": "directorate"},
        ],
        by=maker,
    )
    assert (written.added, written.updated) == (2, 1)
    units = {unit.code: unit for unit in Unit.objects.filter(organisation=organisation)}
    assert units["PEO"].name == "People Directorate"
    assert units["PEO-ASC"].parent == units["PEO"]
    assert units["PEO-ASC-FD"].parent == units["PEO-ASC"]
    assert units["PEO-ASC-FD"].kind == "team"
    assert _history_users(Unit, id=units["PEO-ASC-FD"].pk) == {"maker"}
    assert units["PEO"].history.latest("history_date").history_user == maker
    # Nothing changes: nothing is written, so the history does not grow.
    before = Unit.history.count()
    core_services.unit_bulk_upsert(
        organisation=organisation,
        rows=[{"code": "PEO", "name": "People Directorate", "kind": "directorate"}],
        by=maker,
    )
    assert Unit.history.count() == before


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [{"code": "A", "name": "A", "parent_code": "NOPE"}],
            core_services.NO_SUCH_PARENT.format(code="NOPE"),
        ),
        (
            [
                {"code": "A", "name": "A", "parent_code": "B"},
                {"code": "B", "name": "B", "parent_code": "A"},
            ],
            core_services.CYCLE.format(codes="a → b → a"),
        ),
        (
            [{"code": "A", "name": "A"}, {"code": "a", "name": "A again"}],
            core_services.CODE_TWICE.format(code="a"),
        ),
        # Too long to keep: refused, never cut short.
        (
            [{"code": "A", "name": "N" * 201}],
            core_services.TOO_LONG.format(what="name", value="N" * 60, length=201, limit=200),
        ),
        (
            [{"code": "C" * 41, "name": "A"}],
            core_services.TOO_LONG.format(what="code", value="C" * 41, length=41, limit=40),
        ),
    ],
)
def test_the_units_bulk_service_refuses_bad_rows_and_saves_nothing(
    organisation, rows, message
) -> None:
    from goldenthread.accounts.services import ServiceError

    with pytest.raises(ServiceError) as refused:
        core_services.unit_bulk_upsert(organisation=organisation, rows=rows)
    assert refused.value.message == message
    assert not Unit.objects.filter(organisation=organisation).exists()


def test_a_scenario_change_outside_a_request_records_its_user(organisation, maker) -> None:
    as_is = services.snapshot_create_from_structure(
        organisation=organisation, structure=_structure(), name="As-is"
    )
    scenario = services.scenario_create(snapshot=as_is, name="Option B", by=maker)
    services.scenario_post_add(
        snapshot=scenario,
        post_id="N1",
        title="New Officer",
        grade="Grade 6",
        unit=None,
        manager="H1",
        fte=1.0,
        cost=None,
        reason="More capacity",
        effective_date=datetime.date(2025, 4, 1),
        by=maker,
    )
    assert _history_users(ScenarioChange, snapshot_id=scenario.pk) == {"maker"}
