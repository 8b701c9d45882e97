"""Deleting a snapshot: the page says first what else goes or changes."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.formats.posts import PostTable, build_structure
from goldenthread.structure import presenters, selectors, services
from goldenthread.structure.models import Post, ScenarioChange, Snapshot, SnapshotStatus
from tests.factories import PASSWORD, member
from tests.html import error_summary, select, texts
from tests.submitting import guard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_figures() -> None:
    selectors._figures.clear()


@pytest.fixture
def as_is(organisation) -> Snapshot:
    table = PostTable.from_lists(
        ["CX", "D1", "D2"],
        [None, "CX", "CX"],
        title=["Chief Executive", "Director of People", "Director of Place"],
        unit=["", "People", "Place"],
        source="test",
    )
    return services.snapshot_create_from_structure(
        organisation=organisation,
        structure=build_structure(table).structure,
        name="As-is 2025",
        status=SnapshotStatus.APPROVED,
    )


def _url(name: str, snapshot: Snapshot) -> str:
    return reverse(
        f"structure:{name}",
        kwargs={"org_slug": snapshot.organisation.slug, "snapshot_id": snapshot.pk},
    )


def test_the_delete_page_lists_the_posts_deleted_with_the_snapshot(admin, as_is) -> None:
    response = admin.get(_url("snapshot_delete", as_is))
    assert response.status_code == 200
    assert texts(response, "h1") == ["Delete As-is 2025?"]
    assert texts(response, ".gt-consequences li") == [
        "its 3 posts will be deleted (its units stay)"
    ]
    assert texts(response, "main form button.govuk-button--warning") == ["Delete the snapshot"]


def test_a_snapshot_scenarios_are_based_on_is_kept_and_the_page_names_them(
    admin, organisation, as_is
) -> None:
    services.scenario_create(snapshot=as_is, name="Option A")
    services.scenario_create(snapshot=as_is, name="Option B")
    refusal = services.SNAPSHOT_IN_USE.format(
        name="As-is 2025", reasons="the scenarios Option A and Option B are based on it"
    )
    url = _url("snapshot_delete", as_is)
    page = admin.get(url)
    assert error_summary(page) == [refusal]
    # The page offers no button for what the service refuses, and a POST does nothing.
    assert not select(page, "main form[method=post]")
    assert not select(page, ".gt-consequences")
    assert error_summary(admin.post(url)) == [refusal]
    assert Snapshot.objects.filter(pk=as_is.pk).exists()
    detail = admin.get(_url("snapshot_detail", as_is))
    assert not select(detail, f'a[href="{url}"]')
    with pytest.raises(ServiceError) as refused:
        services.snapshot_delete(snapshot=as_is)
    assert refused.value.message == refusal


def test_a_scenario_s_delete_page_counts_its_recorded_changes(editor, as_is) -> None:
    scenario = services.scenario_create(snapshot=as_is, name="Option A")
    services.scenario_post_change(
        snapshot=scenario,
        post_id="D2",
        kind="retitle",
        title="Director of Place and Climate",
        reason="Climate joins Place",
        effective_date=datetime.date(2025, 4, 1),
    )
    response = editor.get(_url("snapshot_delete", scenario))
    assert texts(response, ".gt-consequences li") == [
        "its 3 posts will be deleted (its units stay)",
        "the 1 recorded change to its posts will be deleted",
    ]


def test_deleting_names_who_deleted_in_the_history(client, organisation, as_is) -> None:
    # Only an admin deletes a snapshot that is not a draft.
    member(organisation, Role.ADMIN, username="ad")
    client.login(username="ad", password=PASSWORD)
    page = client.get(_url("snapshot_delete", as_is))
    response = client.post(_url("snapshot_delete", as_is), guard(page), follow=True)
    assert texts(response, ".govuk-notification-banner__content") == [
        "As-is 2025 has been deleted."
    ]
    assert not Snapshot.objects.filter(pk=as_is.pk).exists()
    assert not Post.objects.filter(snapshot_id=as_is.pk).exists()
    deleted = Snapshot.history.filter(id=as_is.pk, history_type="-").get()
    assert deleted.history_user.username == "ad"
    assert not ScenarioChange.objects.filter(snapshot_id=as_is.pk).exists()


def test_a_viewer_cannot_delete(client, organisation, as_is) -> None:
    from goldenthread.accounts.models import Role
    from tests.factories import PASSWORD, member

    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    assert client.post(_url("snapshot_delete", as_is)).status_code == 403
    assert Snapshot.objects.filter(pk=as_is.pk).exists()


def test_nothing_else_to_say_for_an_empty_snapshot() -> None:
    nothing = selectors.SnapshotDependants(posts=0, changes=0)
    assert presenters.delete_consequences(nothing) == []
    one = selectors.SnapshotDependants(posts=1, changes=0)
    assert presenters.delete_consequences(one) == ["its 1 post will be deleted (its units stay)"]
