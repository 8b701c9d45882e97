"""The orphans page: every module's untraced records, posts without an objective by unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.kit.orphans import ORPHANS, OrphanRow, OrphanSection
from goldenthread.performance import services
from goldenthread.performance.models import Level
from tests.factories import PASSWORD, OrganisationFactory, member, snapshot_of
from tests.html import page, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


@pytest.fixture
def viewer(client, organisation):
    member(organisation, Role.VIEWER, username="vic")
    client.login(username="vic", password=PASSWORD)
    return client


def orphans_url(organisation):
    return reverse("performance:orphans", kwargs={"org_slug": organisation.slug})


POSTS = [
    ("CX", None, "Chief Executive", ""),
    ("D1", "CX", "Director of People", "People"),
    ("A1", "D1", "Social Worker", "People / Adults"),
    ("A2", "D1", "Social Worker", "People / Adults"),
    ("A3", "D1", "Social Worker", "People / Adults"),
    ("D2", "CX", "Director of Place", "Place"),
]


def section(response, title):
    """The rows of the section headed ``title``, each as its cells' text."""
    headings = texts(response, ".gt-orphans h2")
    index = next(i for i, heading in enumerate(headings) if heading.startswith(title))
    node = page(response).select(".gt-orphans")[index]
    return [
        [" ".join(cell.get_text(" ").split()) for cell in row.select("td")]
        for row in node.select("tbody tr")
    ]


def test_posts_with_no_individual_objective_are_counted_by_unit(viewer, organisation):
    snapshot_of(organisation, POSTS)
    team = services.thread_item_create(
        organisation=organisation, level=Level.TEAM_OBJECTIVE, title="Adults: assess in time"
    )
    for post in ("A1", "D1"):
        services.thread_item_create(
            organisation=organisation,
            level=Level.INDIVIDUAL_OBJECTIVE,
            title=f"Objective of {post}",
            parent=team,
            post_reference=post,
        )
    response = viewer.get(orphans_url(organisation))
    assert section(response, "Posts with no individual objective") == [
        ["Not in a unit", "of 1 post", "1"],
        ["People / Adults", "of 3 posts", "2"],
        ["Place", "of 1 post", "1"],
    ]
    assert "4 of 6 posts hold no individual objective" in " ".join(texts(response, ".gt-orphans p"))
    # The golden thread's own sections are there too.
    assert section(response, "Golden-thread items that contribute to nothing") == [
        ["Adults: assess in time", "Team objective"]
    ]


def test_without_an_as_is_structure_there_is_no_post_section(viewer, organisation):
    headings = texts(viewer.get(orphans_url(organisation)), ".gt-orphans h2")
    assert headings == [
        "Golden-thread items that contribute to nothing",
        "Directorates without a service plan",
        "Actions that serve no objective",
        "Benefits that serve no objective",
        "Open risks that threaten no objective",
    ]


def test_a_module_that_registers_a_source_appears_on_the_page(viewer, organisation):
    def actions(org):
        return OrphanSection(
            title="Programme actions that serve no objective",
            rows=(OrphanRow("Close the Mill Road office", "/actions/7/", "Action"),),
            empty="None",
        )

    ORPHANS.add("test.actions", actions, order=90)
    try:
        response = viewer.get(orphans_url(organisation))
    finally:
        ORPHANS.remove("test.actions")
    assert section(response, "Programme actions") == [["Close the Mill Road office", "Action"]]
    assert texts(response, ".gt-orphans h2")[-1] == "Programme actions that serve no objective (1)"


def test_the_orphans_page_has_a_fixed_number_of_queries(
    viewer, organisation, django_assert_num_queries
):
    posts = [("CX", None, "Chief Executive", "")]
    for n in range(30):
        posts.append((f"P{n}", "CX", f"Officer {n}", f"Service {n % 25}"))
    snapshot_of(organisation, posts)
    for n in range(25):
        services.thread_item_create(
            organisation=organisation, level=Level.TEAM_OBJECTIVE, title=f"Orphan {n}"
        )
    # Session, user, membership, the switcher's memberships; untraced items; directorates
    # without a plan; the as-is, the objectives' posts, two counts by unit, the units;
    # the actions that serve no objective; untraced benefits; the open risks that threaten
    # none.
    with django_assert_num_queries(14):
        response = viewer.get(orphans_url(organisation))
    # The page lists the first 25 of the 26 and says so: it does not grow with them.
    assert len(section(response, "Posts with no individual objective")) == 25
    assert "Showing the first 25 of 26 rows" in response.content.decode()
    assert len(section(response, "Golden-thread items")) == 25
