"""The golden thread: allowed levels, orphans, the tree page and each item's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.performance import services
from goldenthread.performance.models import Level, ThreadItem
from goldenthread.performance.selectors import (
    directorates_without_plan,
    thread_orphans,
    thread_tree,
)
from tests.conftest import DEMO_PASSWORD
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member
from tests.html import attribute, select, select_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="London Borough of Havering", slug="havering")


def url(name, organisation, **kwargs):
    return reverse(f"performance:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def add(organisation, level, title, parent=None, **extra):
    return services.thread_item_create(
        organisation=organisation, level=level, title=title, parent=parent, **extra
    )


@pytest.fixture
def chain(organisation):
    vision = add(organisation, Level.VISION, "The Havering you want to be part of")
    priority = add(organisation, Level.PRIORITY, "Digital capability", vision)
    objective = add(organisation, Level.OBJECTIVE, "Data informs every decision", priority)
    plan = add(
        organisation,
        Level.SERVICE_PLAN,
        "ICT service plan",
        objective,
        perspective="internal_process",
    )
    team = add(organisation, Level.TEAM_OBJECTIVE, "Publish Power BI reports", plan)
    person = add(
        organisation, Level.INDIVIDUAL_OBJECTIVE, "Build the reports", team, post_reference="P-7"
    )
    return vision, priority, objective, plan, team, person


def test_the_thread_runs_from_the_vision_to_a_post(organisation, chain) -> None:
    rows = thread_tree(organisation=organisation)
    assert [(row.item.title, row.depth) for row in rows][:2] == [
        ("The Havering you want to be part of", 0),
        ("Digital capability", 1),
    ]
    assert rows[-1].item.post_reference == "P-7" and rows[-1].depth == 5
    assert thread_orphans(organisation=organisation) == []


@pytest.mark.parametrize(
    ("level", "parent_index"),
    [
        (Level.INDIVIDUAL_OBJECTIVE, 0),  # straight to the vision
        (Level.OBJECTIVE, 0),  # skips the priorities
        (Level.PRIORITY, 2),  # upwards
        (Level.TEAM_OBJECTIVE, 2),
    ],
)
def test_level_inconsistent_links_are_refused(organisation, chain, level, parent_index) -> None:
    with pytest.raises(ServiceError) as refused:
        add(organisation, level, "Wrong", chain[parent_index])
    assert refused.value.field == "parent"
    assert "cannot contribute to" in refused.value.message


def test_an_individual_objective_may_serve_a_service_plan(organisation, chain) -> None:
    item = add(organisation, Level.INDIVIDUAL_OBJECTIVE, "Director's objective", chain[3])
    assert item.parent == chain[3]


def test_the_vision_contributes_to_nothing(organisation, chain) -> None:
    with pytest.raises(ServiceError, match="top of the thread"):
        add(organisation, Level.VISION, "Second vision", chain[0])


def test_a_cycle_is_refused(organisation, chain) -> None:
    # Levels only ever point upwards, so a loop is refused by the level rule.
    _, priority, objective, *_ = chain
    with pytest.raises(ServiceError, match="cannot contribute to an objective"):
        services.thread_item_update(
            item=priority,
            level=Level.PRIORITY,
            title=priority.title,
            parent=objective,
            description="",
            measures="",
            unit=None,
            perspective="",
            post_reference="",
            owner="",
        )


def test_a_perspective_belongs_to_service_plans(organisation, chain) -> None:
    with pytest.raises(ServiceError, match="scorecard perspective"):
        add(organisation, Level.OBJECTIVE, "x", chain[1], perspective="financial")


def test_orphans_are_listed(organisation, chain) -> None:
    lost = add(organisation, Level.TEAM_OBJECTIVE, "Nobody knows why")
    assert thread_orphans(organisation=organisation) == [lost]
    directorate = UnitFactory(organisation=organisation, kind="directorate", name="Place")
    assert list(directorates_without_plan(organisation=organisation)) == [directorate]


def test_an_item_with_contributions_cannot_be_deleted(organisation, chain) -> None:
    with pytest.raises(ServiceError, match="1 item contributes to"):
        services.thread_item_delete(item=chain[4])
    services.thread_item_delete(item=chain[5])
    assert not ThreadItem.objects.filter(pk=chain[5].pk).exists()


def test_the_item_page_shows_both_directions(client, organisation, chain) -> None:
    member(organisation, Role.VIEWER, username="vic")
    client.login(username="vic", password=PASSWORD)
    page = client.get(url("item_detail", organisation, item_id=chain[3].pk))
    assert select_one(page, "main h1") == "ICT service plan"
    rows = dict(
        zip(
            select(page, ".govuk-summary-list__key"),
            select(page, ".govuk-summary-list__value"),
            strict=True,
        )
    )
    # What it contributes to, from the top down; what contributes to it.
    assert select(page, ".govuk-summary-list__value ol li") == [
        "Vision: The Havering you want to be part of",
        "Priority: Digital capability",
        "Objective: Data informs every decision",
    ]
    assert rows["Scorecard perspective"] == "Internal process"
    assert select(page, "main h2 + ul li") == ["Team objective: Publish Power BI reports"]


def test_editors_add_items_and_see_refusals_on_the_form(client, organisation, chain) -> None:
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    page = client.post(
        url("item_create", organisation),
        {"level": "individual_objective", "title": "Skip", "parent": chain[0].pk},
    )
    assert select_one(page, "title").startswith("Error: ")
    assert any(
        "cannot contribute to a vision" in error
        for error in select(page, ".govuk-error-summary__list li")
    )
    response = client.post(
        url("item_create", organisation),
        {"level": "priority", "title": "Financial stability", "parent": chain[0].pk},
    )
    item = ThreadItem.objects.get(title="Financial stability")
    assert response["Location"] == url("item_detail", organisation, item_id=item.pk)
    form = client.get(url("item_create", organisation) + f"?parent={item.pk}")
    assert attribute(form, "input[name=level][checked]", "value") == ["objective"]
    assert attribute(form, "select[name=parent] option[selected]", "value") == [str(item.pk)]


@pytest.mark.parametrize(
    "parent",
    ["²", "١", "1²", "-1", " 1", "1.0", "0x1", "99999999999999999999999", "", "x"],
)
def test_a_parent_that_is_not_an_id_is_ignored(client, organisation, chain, parent) -> None:
    """Only ASCII digits are an id: "²".isdigit() is true, and used to answer 500."""
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    form = client.get(url("item_create", organisation), {"parent": parent})
    assert form.status_code == 200
    assert attribute(form, "select[name=parent] option[selected]", "value") in ([], [""])
    assert attribute(form, "input[name=level][checked]", "value") == []


def test_a_parent_of_another_organisation_is_ignored(client, organisation, chain) -> None:
    elsewhere = OrganisationFactory(slug="elsewhere")
    theirs = add(elsewhere, Level.VISION, "Their vision")
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    form = client.get(url("item_create", organisation), {"parent": str(theirs.pk)})
    assert attribute(form, "select[name=parent] option[selected]", "value") in ([], [""])
    assert "Their vision" not in select(form, "select[name=parent] option")


def test_the_demo_thread_has_every_level_and_one_orphan(
    client, demo, django_assert_max_num_queries, django_assert_num_queries
):
    client.login(username="demo-viewer", password=DEMO_PASSWORD)
    levels = set(ThreadItem.objects.filter(organisation=demo).values_list("level", flat=True))
    assert levels == set(Level.values)
    with django_assert_max_num_queries(10):
        thread = client.get(url("thread", demo))
    items = select(thread, "main table tbody tr td:first-child")
    assert items[0] == "A borough where everyone can thrive"
    assert sum(item.endswith(" Not traced") for item in items) == 1
    # Session, user, membership; two golden-thread sections; the structure's section
    # (snapshot, objective holders, two counts, units); the actions that serve no objective;
    # untraced benefits; the open risks that threaten none.
    with django_assert_num_queries(14):
        orphans = client.get(url("orphans", demo))
    cells = select(orphans, "main .gt-orphans table tbody td:first-child")
    assert "Planning: clear the backlog of householder applications" in cells
    assert "Brackenford and Eastmere Shared Services" in cells


def test_the_counts_name_each_level_in_good_english(client, demo) -> None:
    client.login(username="demo-viewer", password=DEMO_PASSWORD)
    thread = client.get(url("thread", demo))
    keys = select(thread, ".gt-thread-counts dt")
    assert "Priorities" in keys and "Vision" in keys
    assert not any(key.endswith("ys") for key in keys)
    home = client.get(reverse("core:home", kwargs={"org_slug": demo.slug}))
    assert "Priorities" in select(home, "main dt")
