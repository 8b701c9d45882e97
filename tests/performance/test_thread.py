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
    text = client.get(url("item_detail", organisation, item_id=chain[3].pk)).content.decode()
    assert "Data informs every decision" in text  # what it contributes to
    assert "Publish Power BI reports" in text  # what contributes to it
    assert "Internal process" in text


def test_editors_add_items_and_see_refusals_on_the_form(client, organisation, chain) -> None:
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    page = client.post(
        url("item_create", organisation),
        {"level": "individual_objective", "title": "Skip", "parent": chain[0].pk},
    )
    text = page.content.decode()
    assert "<title>Error: " in text and "cannot contribute to a vision" in text
    response = client.post(
        url("item_create", organisation),
        {"level": "priority", "title": "Financial stability", "parent": chain[0].pk},
    )
    item = ThreadItem.objects.get(title="Financial stability")
    assert response["Location"] == url("item_detail", organisation, item_id=item.pk)
    form = client.get(url("item_create", organisation) + f"?parent={item.pk}").content.decode()
    assert 'value="objective" checked' in form


def test_the_demo_thread_has_every_level_and_one_orphan(
    client, demo, django_assert_max_num_queries, django_assert_num_queries
):
    client.login(username="demo-viewer", password=DEMO_PASSWORD)
    levels = set(ThreadItem.objects.filter(organisation=demo).values_list("level", flat=True))
    assert levels == set(Level.values)
    with django_assert_max_num_queries(10):
        text = client.get(url("thread", demo)).content.decode()
    assert "A borough where everyone can thrive" in text and "Orphan" in text
    # Session, user, membership; two golden-thread sections; the structure's section
    # (snapshot, objective holders, two counts, units).
    with django_assert_num_queries(11):
        orphans = client.get(url("orphans", demo)).content.decode()
    assert "Planning: clear the backlog" in orphans
    assert "Brackenford and Eastmere Shared Services" in orphans
