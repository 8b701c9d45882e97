"""An editor deletes only drafts: an approved or superseded snapshot needs an admin.

A review found that any editor could delete an approved scenario or a
superseded as-is through the delete page, the service checking nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.formats.posts import PostTable, build_structure
from goldenthread.structure import services
from goldenthread.structure.models import Snapshot
from tests.factories import DECISION, member
from tests.html import error_summary, select

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(organisation) -> Snapshot:
    table = PostTable.from_lists(["CX", "D1"], [None, "CX"], title=["Chief", "Director"])
    as_is = services.snapshot_create_from_structure(
        organisation=organisation,
        structure=build_structure(table).structure,
        name="As-is",
        status="approved",
    )
    scenario = services.scenario_create(snapshot=as_is, name="Option A")
    return services.scenario_approve(snapshot=scenario, **DECISION)


def _url(name: str, snapshot: Snapshot) -> str:
    slug = snapshot.organisation.slug
    return reverse(f"structure:{name}", kwargs={"org_slug": slug, "snapshot_id": snapshot.pk})


def test_an_editor_cannot_delete_an_approved_scenario(editor, organisation, approved) -> None:
    url = _url("snapshot_delete", approved)
    page = editor.get(url)
    assert error_summary(page) == [services.SNAPSHOT_DELETE_NEEDS_ADMIN]
    # The page offers no button for what the service refuses.
    assert not select(page, "main form[method=post]")
    assert not select(page, "main .govuk-button--warning")
    response = editor.post(url)
    assert error_summary(response) == [services.SNAPSHOT_DELETE_NEEDS_ADMIN]
    assert Snapshot.objects.filter(pk=approved.pk).exists()
    detail = editor.get(_url("snapshot_detail", approved))
    assert not select(detail, f'a[href="{url}"]')


def test_the_service_refuses_an_editor_and_lets_an_admin(organisation, approved) -> None:
    editor = member(organisation, Role.EDITOR, username="ed2")
    admin = member(organisation, Role.ADMIN, username="a")
    as_is = approved.base
    with pytest.raises(ServiceError, match="Only an admin"):
        services.snapshot_delete(snapshot=as_is, by=editor)
    draft = services.scenario_create(snapshot=approved, name="Option B")
    services.snapshot_delete(snapshot=draft, by=editor)
    # The approved scenario is kept while its decision refers to it; its
    # base, while the scenario is based on it.
    for kept in (approved, as_is):
        with pytest.raises(ServiceError, match="cannot be deleted"):
            services.snapshot_delete(snapshot=kept, by=admin)
    assert Snapshot.objects.filter(pk__in=[approved.pk, as_is.pk]).count() == 2
