"""To-be modelling: scenarios changed post by post, with reasons, waves and undo."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.core.models import Unit
from goldenthread.formats.posts import PostTable, build_structure
from goldenthread.structure import demo as structure_demo
from goldenthread.structure import selectors, services
from goldenthread.structure.models import (
    ChangeKind,
    Post,
    ScenarioChange,
    Snapshot,
    SnapshotKind,
    SnapshotStatus,
)
from goldenthread.structure.selectors import snapshot_diff, snapshot_figures
from tests.conftest import DEMO_PASSWORD
from tests.factories import DECISION, DECISION_FORM, PASSWORD, member
from tests.html import attribute, error_links, parse, texts
from tests.submitting import date_input, submit

pytestmark = pytest.mark.django_db

WAVE_1 = datetime.date(2025, 4, 1)
WAVE_2 = datetime.date(2025, 10, 1)

#: (post ID, reports to, title, grade, unit, cost)
POSTS = (
    ("CX", None, "Chief Executive", "CEX", "", 180000),
    ("D1", "CX", "Director of People", "Director", "People", 130000),
    ("D2", "CX", "Director of Place", "Director", "Place", 130000),
    ("H1", "D1", "Head of Care", "HoS", "People / Care", 80000),
    ("T1", "H1", "Team Leader", "M1", "People / Care / Reablement", 45000),
    ("S1", "T1", "Reablement Officer", "Grade 6", "People / Care / Reablement", 30000),
    ("S2", "T1", "Reablement Officer", "Grade 6", "People / Care / Reablement", 30000),
    ("H2", "D2", "Head of Housing", "HoS", "Place / Housing", 80000),
    ("S3", "H2", "Housing Officer", "Grade 6", "Place / Housing", 31000),
)


@pytest.fixture(autouse=True)
def fresh_figures() -> None:
    """Each test's database starts its keys again, so cached figures must not carry over."""
    selectors._figures.clear()


@pytest.fixture
def as_is(organisation) -> Snapshot:
    table = PostTable.from_lists(
        [p[0] for p in POSTS],
        [p[1] for p in POSTS],
        title=[p[2] for p in POSTS],
        grade=[p[3] for p in POSTS],
        unit=[p[4] for p in POSTS],
        cost=[float(p[5]) for p in POSTS],
        source="test",
    )
    return services.snapshot_create_from_structure(
        organisation=organisation,
        structure=build_structure(table).structure,
        name="As-is",
        status=SnapshotStatus.APPROVED,
    )


@pytest.fixture
def scenario(as_is) -> Snapshot:
    return services.scenario_create(snapshot=as_is, name="Option A")


def _managers(snapshot: Snapshot) -> dict[str, str | None]:
    posts = list(Post.objects.filter(snapshot=snapshot))
    by_position = {p.position: p.post_id for p in posts}
    return {p.post_id: by_position.get(p.manager_position) for p in posts}


def _move(scenario: Snapshot, post_id: str, manager: str, **extra) -> ScenarioChange:
    return services.scenario_post_change(
        snapshot=scenario,
        post_id=post_id,
        kind="move",
        manager=manager,
        reason=extra.pop("reason", "Spans too narrow"),
        effective_date=extra.pop("effective_date", WAVE_1),
        **extra,
    )


def test_a_scenario_is_a_copy_of_its_base(as_is, scenario) -> None:
    assert scenario.kind == SnapshotKind.SCENARIO
    assert scenario.status == SnapshotStatus.DRAFT
    assert scenario.base == as_is
    assert scenario.post_count == len(POSTS) == Post.objects.filter(snapshot=scenario).count()
    assert _managers(scenario) == _managers(as_is)
    copied = Post.objects.get(snapshot=scenario, post_id="S3")
    assert copied.cost == Decimal("31000.00")
    assert copied.unit is not None and copied.unit.name == "Housing"
    diff, _, _ = snapshot_diff(organisation=as_is.organisation, old=as_is, new=scenario)
    assert not diff.added and not diff.removed and not diff.moved


def test_a_move_is_recorded_and_the_figures_follow_at_once(organisation, as_is, scenario) -> None:
    position = Post.objects.get(snapshot=scenario, post_id="S1").position

    def layer_of_s1() -> int:
        figures = snapshot_figures(organisation=organisation, snapshot=scenario)
        return int(figures.metrics.layer[figures.index_of(position)])

    assert layer_of_s1() == 5
    change = _move(scenario, "S1", "H1", reason="Team leader post removed later")
    assert change.kind == ChangeKind.MOVE
    assert change.description == "Moved S1 under H1"
    assert change.before == {"S1": {"manager": "T1"}}
    assert change.after == {"S1": {"manager": "H1"}}
    assert change.effective_date == WAVE_1
    assert _managers(scenario)["S1"] == "H1"
    assert layer_of_s1() == 4
    diff, _, _ = snapshot_diff(organisation=organisation, old=as_is, new=scenario)
    assert [c.post_id for c in diff.moved] == ["S1"]
    assert change.history.count() == 1


def test_a_move_that_makes_a_loop_is_refused_naming_the_posts(scenario) -> None:
    with pytest.raises(ServiceError) as refused:
        _move(scenario, "H1", "S1")
    assert refused.value.message == ("Moving H1 under S1 would make a loop: H1 → S1 → T1 → H1")
    assert _managers(scenario)["H1"] == "D1"
    assert not ScenarioChange.objects.exists()


def test_an_unknown_manager_and_a_missing_reason_are_refused(scenario) -> None:
    with pytest.raises(ServiceError, match="There is no post NOPE in this scenario"):
        _move(scenario, "S1", "NOPE")
    with pytest.raises(ServiceError, match="Enter the reason for the change"):
        _move(scenario, "S1", "H1", reason="  ")


def test_deleting_a_manager_needs_a_home_for_its_reports(as_is, scenario) -> None:
    with pytest.raises(ServiceError) as refused:
        services.scenario_post_change(
            snapshot=scenario,
            post_id="T1",
            kind="delete",
            reason="Layer removed",
            effective_date=WAVE_1,
        )
    assert "S1 and S2 without a manager" in refused.value.message
    change = services.scenario_post_change(
        snapshot=scenario,
        post_id="T1",
        kind="delete",
        reports_to="H1",
        reason="Layer removed",
        effective_date=WAVE_1,
    )
    assert change.description == "Deleted T1; S1 and S2 now report to H1"
    assert change.post_id_list == ["T1", "S1", "S2"]
    scenario.refresh_from_db()
    assert scenario.post_count == len(POSTS) - 1
    assert _managers(scenario)["S2"] == "H1"
    services.scenario_change_undo(change=change)
    scenario.refresh_from_db()
    assert scenario.post_count == len(POSTS)
    assert _managers(scenario) == _managers(as_is)
    restored = Post.objects.get(snapshot=scenario, post_id="T1")
    assert (restored.title, restored.cost) == ("Team Leader", Decimal("45000.00"))


def test_changes_are_undone_newest_first_on_the_same_posts(as_is, scenario) -> None:
    first = _move(scenario, "S1", "H1")
    second = services.scenario_post_change(
        snapshot=scenario,
        post_id="S1",
        kind="regrade",
        grade="Grade 8",
        reason="More responsibility",
        effective_date=WAVE_2,
    )
    with pytest.raises(ServiceError) as refused:
        services.scenario_change_undo(change=first)
    assert refused.value.message == (
        "Undo the later change \u201cRegraded S1 from Grade 6 to Grade 8\u201d "
        "(1 October 2025 wave) first: it changed the same posts"
    )
    services.scenario_change_undo(change=second)
    services.scenario_change_undo(change=first)
    assert _managers(scenario) == _managers(as_is)
    assert Post.objects.get(snapshot=scenario, post_id="S1").grade == "Grade 6"
    with pytest.raises(ServiceError, match="already been undone"):
        services.scenario_change_undo(change=first)


def test_undoing_an_add_with_reports_is_refused(scenario) -> None:
    added = services.scenario_post_add(
        snapshot=scenario,
        post_id="H3",
        title="Head of Climate",
        grade="HoS",
        unit=None,
        manager="D2",
        fte=1.0,
        cost=Decimal("82000.50"),
        reason="New priority",
        effective_date=WAVE_1,
    )
    assert Post.objects.get(snapshot=scenario, post_id="H3").cost == Decimal("82000.50")
    _move(scenario, "S3", "H3")
    with pytest.raises(ServiceError, match="S3 without a manager"):
        services.scenario_change_undo(change=added)
    with pytest.raises(ServiceError, match="There is already a post H3"):
        services.scenario_post_add(
            snapshot=scenario,
            post_id="H3",
            title="Again",
            grade="",
            unit=None,
            manager=None,
            fte=1.0,
            cost=None,
            reason="Twice",
            effective_date=WAVE_1,
        )


def test_retitle_recost_and_reunit_record_their_before_values(organisation, scenario) -> None:
    housing = Unit.objects.get(organisation=organisation, name="Housing")
    services.scenario_post_change(
        snapshot=scenario,
        post_id="S1",
        kind="retitle",
        title="Housing Officer",
        reason="r",
        effective_date=WAVE_1,
    )
    recost = services.scenario_post_change(
        snapshot=scenario,
        post_id="S1",
        kind="recost",
        cost=Decimal("32500.25"),
        reason="r",
        effective_date=WAVE_1,
    )
    reunit = services.scenario_post_change(
        snapshot=scenario,
        post_id="S1",
        kind="reunit",
        unit=housing,
        reason="r",
        effective_date=WAVE_1,
    )
    assert recost.before == {"S1": {"cost": "30000.00"}}
    assert reunit.after["S1"]["unit_path"] == "Place / Housing"
    post = Post.objects.get(snapshot=scenario, post_id="S1")
    assert (post.title, post.cost, post.unit, post.unit_path) == (
        "Housing Officer",
        Decimal("32500.25"),
        housing,
        "Place / Housing",
    )


def test_a_bulk_move_takes_a_team_as_a_block(organisation, as_is, scenario) -> None:
    care = Unit.objects.get(organisation=organisation, name="Care")
    housing = Unit.objects.get(organisation=organisation, name="Housing")
    chosen = selectors.scenario_selection(snapshot=scenario, unit=care)
    assert chosen == ["H1", "T1", "S1", "S2"]
    change = services.scenario_bulk_change(
        snapshot=scenario,
        post_ids=chosen,
        action="move",
        manager="D2",
        unit=housing,
        reason="Care joins Place",
        effective_date=WAVE_2,
        label="the 4 posts of Care",
    )
    assert change.description == "Moved the 4 posts of Care under D2 and into Place / Housing"
    managers = _managers(scenario)
    # Only the head of the block changes manager; the team keeps its own lines.
    assert (managers["H1"], managers["T1"], managers["S1"]) == ("D2", "H1", "T1")
    assert set(
        Post.objects.filter(snapshot=scenario, post_id__in=chosen).values_list("unit", flat=True)
    ) == {housing.pk}
    diff, _, _ = snapshot_diff(organisation=organisation, old=as_is, new=scenario)
    assert [c.post_id for c in diff.moved] == ["H1"]
    services.scenario_change_undo(change=change)
    assert _managers(scenario) == _managers(as_is)


def test_a_bulk_move_into_its_own_team_is_refused(scenario) -> None:
    with pytest.raises(ServiceError) as refused:
        services.scenario_bulk_change(
            snapshot=scenario,
            post_ids=["H1", "T1"],
            action="move",
            manager="S1",
            reason="r",
            effective_date=WAVE_1,
        )
    assert refused.value.message == (
        "Moving H1 and T1 under S1 would make a loop: H1 → S1 → T1 → H1"
    )


def test_bulk_delete_and_regrade(scenario) -> None:
    with pytest.raises(ServiceError, match="There are no posts X1 and X2"):
        selectors.scenario_selection(snapshot=scenario, post_ids=["S1", "X1", "X2"])
    with pytest.raises(ServiceError, match="H1 without a manager"):
        services.scenario_bulk_change(
            snapshot=scenario,
            post_ids=["D1"],
            action="delete",
            reason="r",
            effective_date=WAVE_1,
        )
    deleted = services.scenario_bulk_change(
        snapshot=scenario,
        post_ids=["T1", "S1", "S2"],
        action="delete",
        reason="Service outsourced",
        effective_date=WAVE_1,
    )
    assert deleted.kind == ChangeKind.DELETE and deleted.post_count == 3
    regraded = services.scenario_bulk_change(
        snapshot=scenario,
        post_ids=["H1", "H2"],
        action="regrade",
        grade="AD",
        reason="Wider remit",
        effective_date=WAVE_2,
    )
    assert regraded.description == "Regraded H1 and H2 to AD"
    assert set(
        Post.objects.filter(snapshot=scenario, post_id__in=["H1", "H2"]).values_list(
            "grade", flat=True
        )
    ) == {"AD"}
    scenario.refresh_from_db()
    assert scenario.post_count == len(POSTS) - 3


def test_approve_and_promote(organisation, as_is, scenario) -> None:
    _move(scenario, "S1", "H1")
    services.scenario_approve(snapshot=scenario, **DECISION)
    assert scenario.status == SnapshotStatus.APPROVED and scenario.approved_at is not None
    with pytest.raises(ServiceError, match="only a draft scenario can"):
        _move(scenario, "S2", "H1")
    with pytest.raises(ServiceError, match="only a draft scenario can"):
        services.scenario_change_undo(change=ScenarioChange.objects.get())
    superseded = services.scenario_promote(snapshot=scenario, **DECISION)
    assert superseded == [as_is]
    as_is.refresh_from_db()
    scenario.refresh_from_db()
    assert (as_is.kind, as_is.status) == (SnapshotKind.AS_IS, SnapshotStatus.SUPERSEDED)
    assert (scenario.kind, scenario.status) == (SnapshotKind.AS_IS, SnapshotStatus.APPROVED)
    # The old as-is keeps its posts.
    assert Post.objects.filter(snapshot=as_is).count() == len(POSTS)
    with pytest.raises(ServiceError, match="Only an approved scenario"):
        services.scenario_promote(snapshot=scenario, **DECISION)


# --- Pages -----------------------------------------------------------------


def _url(name: str, organisation, **kwargs) -> str:
    return reverse(f"structure:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def test_an_editor_creates_a_scenario_and_changes_a_post(editor, organisation, as_is) -> None:
    response = editor.post(
        _url("scenario_create", organisation, snapshot_id=as_is.pk), {"name": "Option B"}
    )
    scenario = Snapshot.objects.get(name="Option B")
    assert response.status_code == 302
    assert response["Location"] == _url("scenario_detail", organisation, snapshot_id=scenario.pk)
    post = Post.objects.get(snapshot=scenario, post_id="H1")
    page = editor.get(_url("post_detail", organisation, snapshot_id=scenario.pk, post_pk=post.pk))
    assert "Move to a new manager" in page.content.decode()
    url = _url("post_change", organisation, snapshot_id=scenario.pk, post_pk=post.pk) + "?kind=move"
    refused = editor.post(
        url, {"manager": "S1", "reason": "Test", **date_input("effective_date", "1/4/2025")}
    )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "<title>Error:" in html
    assert "would make a loop: H1 → S1 → T1 → H1" in html
    not_real = editor.post(
        url, {"manager": "D2", "reason": "Test", **date_input("effective_date", "31/2/2026")}
    )
    # The link goes to the day: February has no 31st.
    assert error_links(not_real) == {
        "#id_effective_date_day": "The date the change takes effect must be a real date"
    }
    no_month = editor.post(
        url, {"manager": "D2", "reason": "Test", **date_input("effective_date", "31//2026")}
    )
    assert error_links(no_month) == {
        "#id_effective_date_month": "The date the change takes effect must include a month"
    }
    # The wave as typed in the three boxes of the date input.
    done = editor.post(
        url, {"manager": "D2", "reason": "Test", **date_input("effective_date", "31/3/2026")}
    )
    assert done.status_code == 302
    assert _managers(scenario)["H1"] == "D2"
    assert ScenarioChange.objects.get().effective_date == datetime.date(2026, 3, 31)


def test_the_bulk_page_moves_a_unit_and_reports_errors(editor, organisation, scenario) -> None:
    care = Unit.objects.get(organisation=organisation, name="Care")
    url = _url("scenario_bulk", organisation, snapshot_id=scenario.pk)
    empty = editor.post(url, {"action": "move", "reason": "", **date_input("effective_date")})
    assert "Choose a unit or list the post IDs" in empty.content.decode()
    assert "Enter the reason for the change" in empty.content.decode()
    done = editor.post(
        url,
        {
            "unit": str(care.pk),
            "action": "move",
            "manager": "D2",
            "reason": "Care joins Place",
            **date_input("effective_date", "1/10/2025"),
        },
    )
    assert done.status_code == 302
    assert ScenarioChange.objects.get().description == "Moved the 4 posts of Care under D2"


def test_the_scenario_page_groups_changes_by_wave_with_a_fixed_number_of_queries(
    client, organisation, as_is, scenario, django_assert_max_num_queries
) -> None:
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    for i, (post, manager) in enumerate((("S1", "H1"), ("S2", "H1"), ("S3", "D2"))):
        _move(scenario, post, manager, effective_date=WAVE_2 if i else WAVE_1)
    url = _url("scenario_detail", organisation, snapshot_id=scenario.pk)
    client.get(url)  # the figures are computed once
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    assert [w.effective_date for w in response.context["waves"]] == [WAVE_1, WAVE_2]
    assert "Wave of 1 April 2025" in html and "Wave of 1 October 2025" in html
    assert "Undo" not in html  # a viewer sees no Undo button
    # Each wave's change log is an MoJ timeline: what, by whom, when, why.
    assert texts(response, "h3.gt-wave") == [
        "Wave of 1 April 2025: 1 change standing",
        "Wave of 1 October 2025: 2 changes standing",
    ]
    timelines = parse(response).select("h3.gt-wave + .moj-timeline")
    assert [len(t.select(".moj-timeline__item")) for t in timelines] == [1, 2]
    first = timelines[0]
    assert texts(first, ".moj-timeline__title") == ["Moved S1 under H1"]
    assert texts(first, ".moj-timeline__description p")[0] == "Reason: Spans too narrow"
    assert attribute(first, ".moj-timeline__date time", "datetime")[0].startswith("20")
    assert response.context["diff"].moved
    for extra in range(3):
        _move(scenario, "T1", ("D1", "H2", "D2")[extra])
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)


def test_undo_and_approval_go_through_the_page(client, organisation, scenario) -> None:
    member(organisation, Role.ADMIN, username="ad")
    member(organisation, Role.VIEWER, username="vi")
    change = _move(scenario, "S1", "H1")
    client.login(username="vi", password=PASSWORD)
    undo = _url("change_undo", organisation, change_id=change.pk)
    assert client.post(undo).status_code == 403
    assert (
        client.post(_url("scenario_approve", organisation, snapshot_id=scenario.pk)).status_code
        == 403
    )
    client.login(username="ad", password=PASSWORD)
    response = client.post(undo, follow=True)
    assert "The change has been undone: Moved S1 under H1." in response.content.decode()
    change.refresh_from_db()
    assert change.undone and change.undone_by is not None
    submit(client, _url("scenario_approve", organisation, snapshot_id=scenario.pk), DECISION_FORM)
    scenario.refresh_from_db()
    assert scenario.status == SnapshotStatus.APPROVED
    assert scenario.approved_by.username == "ad"
    page = client.get(_url("scenario_detail", organisation, snapshot_id=scenario.pk))
    assert "Make this the new as-is" in page.content.decode()
    blocked = client.get(_url("scenario_bulk", organisation, snapshot_id=scenario.pk), follow=True)
    assert "only a draft scenario can" in blocked.content.decode()
    submit(client, _url("scenario_promote", organisation, snapshot_id=scenario.pk), DECISION_FORM)
    scenario.refresh_from_db()
    assert scenario.kind == SnapshotKind.AS_IS


def test_the_demo_proposal_is_recorded_in_two_waves(client, demo) -> None:
    proposed = Snapshot.objects.get(organisation=demo, name=structure_demo.PROPOSED)
    changes = list(ScenarioChange.objects.filter(snapshot=proposed))
    assert {c.effective_date for c in changes} == {structure_demo.WAVE_1, structure_demo.WAVE_2}
    assert all(c.reason for c in changes)
    kinds = {c.kind for c in changes}
    assert {ChangeKind.ADD, ChangeKind.DELETE, ChangeKind.MOVE} <= kinds
    team = next(c for c in changes if "Payroll and Pensions" in c.description)
    assert team.post_count > 5
    client.login(username="demo-editor", password=DEMO_PASSWORD)
    page = client.get(_url("scenario_detail", demo, snapshot_id=proposed.pk))
    assert page.status_code == 200
    assert "Wave of 1 October 2025" in page.content.decode()


def test_the_comparison_gives_each_directorates_reasons_from_the_scenario(client) -> None:
    """Seed 000's table says why each directorate's roles changed."""
    from django.urls import reverse

    from goldenthread.demo.builder import demo_load
    from goldenthread.structure import demo as structure_demo
    from goldenthread.structure.models import Snapshot
    from tests.conftest import DEMO_PASSWORD

    demo_load(password=DEMO_PASSWORD)
    as_is = Snapshot.objects.get(name=structure_demo.AS_IS)
    proposed = Snapshot.objects.get(base=as_is, name=structure_demo.PROPOSED)
    client.login(username="demo-viewer", password=DEMO_PASSWORD)
    response = client.get(
        reverse("structure:compare", kwargs={"org_slug": "brackenford"}),
        {"old": as_is.pk, "new": proposed.pk},
    )
    rows = {row["name"]: row["notes"] for row in response.context["directorates"]}
    reasons = list(proposed.changes.filter(undone=False).values_list("reason", flat=True))
    assert any(reason in rows["People"] for reason in reasons)
    assert any(reason in rows["Place"] for reason in reasons)
    # Comparing in the other direction is not a scenario of its base: no reasons.
    response = client.get(
        reverse("structure:compare", kwargs={"org_slug": "brackenford"}),
        {"old": proposed.pk, "new": as_is.pk},
    )
    directorates = response.context["directorates"]
    assert directorates, "the comparison lists no directorates"
    assert all(row["notes"] == "" for row in directorates)
