"""Actions, milestones and savings out to Excel and CSV, and back in through their imports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.kit.models import ImportRun, ImportStatus
from goldenthread.programme.models import Action, ActionSaving, Milestone, MilestoneStatus
from goldenthread.programme.plan import importing, services
from tests.factories import PASSWORD, OrganisationFactory, member, snapshot_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


@pytest.fixture
def editor(client, organisation):
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    return client


@pytest.fixture
def plan(organisation):
    """A programme with two workstreams and three actions, one of them from another plan."""
    programme = services.programme_create(
        organisation=organisation,
        name="Shaping our future",
        phases=services.DEFAULT_PHASES,
        by=None,
    )
    digital = services.workstream_create(programme=programme, name="Digital re-design", by=None)
    services.workstream_create(programme=programme, name="Service model", by=None)
    exploration = programme.phases.get(name="Exploration")
    first = services.action_create(
        programme=programme,
        reference="SOF-01",
        title="Design the customer contact model",
        description="Self-service first;\nassisted where needed.",
        target_area="Channels",
        owner="Head of Customer Services",
        workstream=digital,
        phase=exploration,
        design_by=20252,
        implement_from=20254,
        start_on=dt.date(2025, 7, 1),
        due_on=dt.date(2026, 3, 31),
        forecast_on=dt.date(2026, 4, 30),
        status="in_progress",
        percent_complete=40,
        success_criteria="70% of contacts online",
        budget=Decimal("125000.00"),
        spend=Decimal("40250.50"),
        notes="=SUM(A1) is not a formula",
        by=None,
    )
    services.action_create(
        programme=programme,
        reference="SOF-02",
        title="Close the Mill Road office",
        status="complete",
        percent_complete=100,
        due_on=dt.date(2025, 9, 30),
        by=None,
    )
    services.action_create(
        programme=programme,
        reference="PP-07",
        title="Review agency spend",
        source="Productivity plan",
        by=None,
    )
    services.milestone_create(
        action=first, title="Pilot complete", due_on=dt.date(2025, 12, 1), by=None
    )
    services.milestone_create(
        action=first,
        title="Go live",
        due_on=dt.date(2026, 3, 1),
        status=MilestoneStatus.COMPLETE,
        completed_on=dt.date(2026, 2, 27),
        by=None,
    )
    services.action_savings_set(
        action=first, savings={2025: Decimal("50000"), 2026: Decimal("120000.50")}, by=None
    )
    return programme


def url(organisation, name, **kwargs):
    return reverse(f"programme:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def export(client, organisation, name, fmt="xlsx"):
    response = client.get(url(organisation, name, fmt=fmt))
    assert response.status_code == 200
    return response.content


def upload(client, organisation, page, name, data, capture) -> ImportRun:
    file = io.BytesIO(data)
    file.name = name
    with capture(execute=True):
        response = client.post(url(organisation, page), {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    run = ImportRun.objects.latest("pk")
    run.refresh_from_db()
    return run


def confirm(client, organisation, run, capture) -> ImportRun:
    confirm_url = reverse(
        "kit:import_confirm", kwargs={"org_slug": organisation.slug, "run_id": run.pk}
    )
    with capture(execute=True):
        response = client.post(confirm_url)
    assert response.status_code == 302
    run.refresh_from_db()
    return run


ACTION_FIELDS = (
    "reference",
    "programme__name",
    "title",
    "description",
    "target_area",
    "owner",
    "owner_post",
    "workstream__name",
    "phase__name",
    "design_by",
    "implement_from",
    "start_on",
    "due_on",
    "forecast_on",
    "completed_on",
    "status",
    "percent_complete",
    "success_criteria",
    "budget",
    "spend",
    "source",
    "notes",
)


def state(organisation):
    return (
        sorted(Action.objects.filter(organisation=organisation).values_list(*ACTION_FIELDS)),
        sorted(Milestone.objects.values_list("action__reference", "title", "due_on", "status")),
        sorted(ActionSaving.objects.values_list("action__reference", "year", "amount")),
    )


CASES = [
    ("action_export", "action_import", 3),
    ("milestone_export", "milestone_import", 2),
    ("saving_export", "saving_import", 2),
]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(("exported", "imported", "count"), CASES)
def test_each_export_imports_again_unchanged(
    editor, organisation, plan, fmt, exported, imported, count, django_capture_on_commit_callbacks
) -> None:
    before = state(organisation)
    data = export(editor, organisation, exported, fmt)
    run = upload(
        editor, organisation, imported, f"plan.{fmt}", data, django_capture_on_commit_callbacks
    )
    assert run.status == ImportStatus.READY, run.problems
    assert run.counts == {"create": 0, "update": 0, "unchanged": count}
    assert state(organisation) == before


def test_an_actions_file_adds_and_changes_actions(
    editor, organisation, plan, django_capture_on_commit_callbacks
) -> None:
    data = (
        "reference,programme,title,workstream,phase,design_by,implement_from,due_on,status,budget\n"
        "SOF-01,Shaping our future,Design the customer contact model,service model,Delivery,"
        '2025/26 Q2,2026/27 Q1,31/03/2027,in progress,"£130,000"\n'
        "SOF-03,shaping our future,Redesign the council tax journey,,,Q3 2025/26,2025/26 Q4,"
        ",not started,\n"
    ).encode()
    run = upload(
        editor,
        organisation,
        "action_import",
        "actions.csv",
        data,
        django_capture_on_commit_callbacks,
    )
    assert run.status == ImportStatus.READY, run.problems
    assert run.counts == {"create": 1, "update": 1, "unchanged": 0}
    run = confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE, run.problems
    changed = Action.objects.get(reference="SOF-01")
    assert (changed.workstream.name, changed.phase.name) == ("Service model", "Delivery")
    assert (changed.implement_from, changed.due_on) == (20261, dt.date(2027, 3, 31))
    assert changed.budget == Decimal("130000")
    # A column the file leaves out leaves the field as it was.
    assert changed.owner == "Head of Customer Services"
    added = Action.objects.get(reference="SOF-03")
    assert (added.design_by, added.implement_from, added.programme) == (20253, 20254, plan)


def problems(run):
    return [(p["row"], p["column"], p["message"]) for p in run.problems]


def test_every_bad_row_is_named_with_its_column_and_nothing_is_saved(
    editor, organisation, plan, django_capture_on_commit_callbacks
) -> None:
    snapshot_of(organisation, [("CX1", None, "Chief Executive", "")])
    before = state(organisation)
    data = (
        b"reference,programme,title,workstream,design_by,implement_from,percent_complete,owner_post\n"
        b"X-1,Another programme,A,,,,,\n"
        b"X-2,Shaping our future,B,Nowhere,,,,\n"
        b"X-3,Shaping our future,C,,2025 quarter 2,,,\n"
        b"X-4,Shaping our future,D,,2025/26 Q3,2025/26 Q2,,\n"
        b"X-5,Shaping our future,E,,,,120,\n"
        b"X-6,Shaping our future,F,,,,,NOPE-1\n"
        b"X-7,Shaping our future,G,,,,,cx1\n"
    )
    run = upload(
        editor,
        organisation,
        "action_import",
        "actions.csv",
        data,
        django_capture_on_commit_callbacks,
    )
    assert run.status == ImportStatus.FAILED
    assert problems(run) == [
        (
            2,
            "programme",
            importing.NO_SUCH_PROGRAMME.format(
                value="Another programme", programmes="Shaping our future"
            ),
        ),
        (
            3,
            "workstream",
            importing.NO_SUCH_PART.format(
                programme="Shaping our future",
                what="workstream",
                value="Nowhere",
                names="Digital re-design, Service model",
            ),
        ),
        (
            4,
            "design_by",
            importing.NOT_A_QUARTER.format(
                expected="a financial-year quarter such as 2025/26 Q2 (Q1 is April to June)"
            ),
        ),
        (5, "implement_from", importing.IMPLEMENT_BEFORE_DESIGN.format(design_by="2025/26 Q3")),
        (6, "percent_complete", importing.PERCENT_RANGE),
        (7, "owner_post", importing.NO_SUCH_POST.format(value="NOPE-1")),
    ]
    assert state(organisation) == before


def test_a_due_date_in_a_closed_quarter_is_a_note_not_a_problem(
    editor, organisation, plan, django_capture_on_commit_callbacks
) -> None:
    data = b"reference,programme,title,due_on\nOLD-1,Shaping our future,Old,30/06/2020\n"
    run = upload(
        editor,
        organisation,
        "action_import",
        "actions.csv",
        data,
        django_capture_on_commit_callbacks,
    )
    assert run.status == ImportStatus.READY, run.problems
    assert [note["message"] for note in run.notes] == [
        services.DUE_IN_CLOSED_QUARTER.format(
            reference="OLD-1", due="30 June 2020", quarter="2020/21 Q1"
        )
    ]


def test_milestones_and_savings_files_add_to_their_actions(
    editor, organisation, plan, django_capture_on_commit_callbacks
) -> None:
    milestones = (
        b"milestone,due_on,status,completed_on\n"
        b"SOF-01: Pilot complete,01/12/2025,complete,03/12/2025\n"
        b"SOF-02: Keys returned,30/09/2025,,\n"
    )
    run = upload(
        editor,
        organisation,
        "milestone_import",
        "milestones.csv",
        milestones,
        django_capture_on_commit_callbacks,
    )
    assert run.counts == {"create": 1, "update": 1, "unchanged": 0}, run.problems
    confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    pilot = Milestone.objects.get(title="Pilot complete")
    assert (pilot.status, pilot.completed_on) == ("complete", dt.date(2025, 12, 3))
    assert Milestone.objects.get(title="Keys returned").action.reference == "SOF-02"
    savings = b"saving,amount\nSOF-01 2025/26,55000\nSOF-02 2026-27,1000\n"
    run = upload(
        editor,
        organisation,
        "saving_import",
        "savings.csv",
        savings,
        django_capture_on_commit_callbacks,
    )
    assert run.counts == {"create": 1, "update": 1, "unchanged": 0}, run.problems
    confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    assert sorted(ActionSaving.objects.values_list("action__reference", "year", "amount")) == [
        ("SOF-01", 2025, Decimal("55000.00")),
        ("SOF-01", 2026, Decimal("120000.50")),
        ("SOF-02", 2026, Decimal("1000.00")),
    ]


def test_a_milestone_or_saving_of_no_action_is_refused(
    editor, organisation, plan, django_capture_on_commit_callbacks
) -> None:
    data = b"milestone,due_on\nNOPE: Pilot,01/12/2025\nno colon here,01/12/2025\n"
    run = upload(
        editor,
        organisation,
        "milestone_import",
        "milestones.csv",
        data,
        django_capture_on_commit_callbacks,
    )
    assert problems(run) == [
        (2, "milestone", importing.NO_SUCH_ACTION.format(reference="NOPE")),
        (3, "milestone", importing.NOT_A_MILESTONE),
    ]


def test_the_action_export_reads_a_fixed_number_of_queries(
    editor, organisation, plan, django_assert_num_queries
) -> None:
    for n in range(25):
        services.action_create(programme=plan, title=f"More {n}", by=None)
    # Session, user, membership; the actions with their programme, workstream and phase.
    with django_assert_num_queries(4):
        editor.get(url(organisation, "action_export", fmt="xlsx"))
