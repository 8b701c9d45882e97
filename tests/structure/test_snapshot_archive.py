"""A snapshot that must be kept can be archived instead: hidden from the list, shown on request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.formats.posts import PostTable, build_structure
from goldenthread.structure import services
from goldenthread.structure.models import Snapshot
from tests.factories import DECISION, PASSWORD, member
from tests.html import attribute, error_summary, select, texts
from tests.submitting import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(organisation) -> Snapshot:
    table = PostTable.from_lists(["CX", "D1"], [None, "CX"], title=["Chief", "Director"])
    as_is = services.snapshot_create_from_structure(
        organisation=organisation, structure=build_structure(table).structure, name="As-is"
    )
    scenario = services.scenario_create(snapshot=as_is, name="Option A")
    return services.scenario_approve(snapshot=scenario, **DECISION)


def _url(name: str, snapshot: Snapshot | None = None, organisation=None) -> str:
    if snapshot is None:
        return reverse(f"structure:{name}", kwargs={"org_slug": organisation.slug})
    slug = snapshot.organisation.slug
    return reverse(f"structure:{name}", kwargs={"org_slug": slug, "snapshot_id": snapshot.pk})


def _rows(page) -> str:
    return " | ".join(texts(page, "tbody tr"))


def test_a_kept_snapshot_is_archived_from_its_delete_page_and_listed_on_request(
    admin, organisation, approved
) -> None:
    delete = admin.get(_url("snapshot_delete", approved))
    archive = _url("snapshot_archive", approved)
    assert archive in attribute(delete, "main a.govuk-button", "href")
    response = submit(admin, archive, {})
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.archived
    listing = admin.get(_url("snapshot_list", organisation=organisation))
    assert "Option A" not in _rows(listing) and "As-is" in _rows(listing)
    assert texts(listing, ".gt-archived-toggle") == [
        "1 archived snapshot is not shown. Show archived snapshots"
    ]
    shown = admin.get(_url("snapshot_list", organisation=organisation), {"archived": "show"})
    assert "Option A" in _rows(shown)
    # Nothing in it changes: its decision stays, and it is put back in the list the same way.
    assert approved.decisions.count() == 1
    submit(admin, archive, {})
    approved.refresh_from_db()
    assert not approved.archived
    changes = Snapshot.history.filter(id=approved.pk).order_by("history_id")
    assert [h.archived for h in changes][-2:] == [True, False]


def test_an_editor_archives_only_drafts(client, editor, organisation, approved) -> None:
    url = _url("snapshot_archive", approved)
    page = editor.get(url)
    assert error_summary(page) == [services.SNAPSHOT_ARCHIVE_NEEDS_ADMIN]
    assert not select(page, "main form[method=post]")
    with pytest.raises(ServiceError):
        services.snapshot_archive(
            snapshot=approved,
            archived=True,
            by=member(organisation, Role.EDITOR, username="e2"),
        )
    draft = services.scenario_create(snapshot=approved, name="Option B")
    submit(editor, _url("snapshot_archive", draft), {})
    draft.refresh_from_db()
    assert draft.archived


def _archive_links(page) -> list[str]:
    return [
        link
        for link in texts(page, ".gt-snapshot-actions a.govuk-button")
        if "list of snapshots" in link or "Archive" in link
    ]


def test_the_dashboard_archives_a_snapshot_and_puts_it_back(admin, approved) -> None:
    detail = _url("snapshot_detail", approved)
    archive = _url("snapshot_archive", approved)
    page = admin.get(detail)
    assert _archive_links(page) == ["Archive this snapshot"]
    assert archive in attribute(page, ".gt-snapshot-actions a.govuk-button", "href")
    response = submit(admin, archive, {})
    assert response.status_code == 302 and response.url == detail
    approved.refresh_from_db()
    assert approved.archived
    page = admin.get(detail)
    assert _archive_links(page) == ["Put back in the list of snapshots"]
    assert archive in attribute(page, ".gt-snapshot-actions a.govuk-button", "href")
    submit(admin, archive, {})
    approved.refresh_from_db()
    assert not approved.archived


def test_the_dashboard_offers_archiving_only_to_whoever_may_archive(
    client, organisation, approved
) -> None:
    draft = services.scenario_create(snapshot=approved, name="Option B")
    services.snapshot_archive(snapshot=draft, archived=True, by=None)
    member(organisation, Role.VIEWER, username="vi")
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="vi", password=PASSWORD)
    assert _archive_links(client.get(_url("snapshot_detail", approved))) == []
    assert _archive_links(client.get(_url("snapshot_detail", draft))) == []
    client.login(username="ed", password=PASSWORD)
    # An editor archives only drafts: an approved snapshot records a decision.
    assert _archive_links(client.get(_url("snapshot_detail", approved))) == []
    assert _archive_links(client.get(_url("snapshot_detail", draft))) == [
        "Put back in the list of snapshots"
    ]
