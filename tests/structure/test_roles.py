"""No role exceeds itself: status changes only through the services that check the role.

An editor once approved a scenario through the details form's status field,
reopened an approved one, changed it and approved it again while "approved
by" still named the admin. The details form no longer carries a status, an
approved snapshot is frozen, and approval, promotion and adoption check the
role in the service.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ROLE_NEEDED, ServiceError
from goldenthread.formats.posts import PostTable, build_structure
from goldenthread.operating_model import services as tom_services
from goldenthread.operating_model.models import VersionStatus
from goldenthread.structure import services
from goldenthread.structure.models import Snapshot, SnapshotKind, SnapshotStatus
from tests.factories import DECISION, OrganisationFactory, member
from tests.html import attribute, parse, text
from tests.submitting import MAIN_FORM, date_input, guard

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_is(organisation) -> Snapshot:
    table = PostTable.from_lists(["CX", "D1"], [None, "CX"], title=["Chief", "Director"])
    return services.snapshot_create_from_structure(
        organisation=organisation, structure=build_structure(table).structure, name="As-is"
    )


@pytest.fixture
def scenario(as_is) -> Snapshot:
    return services.scenario_create(snapshot=as_is, name="Option A")


@pytest.fixture
def admin(organisation):
    return member(organisation, Role.ADMIN, username="ad")


def _url(name: str, organisation, **kwargs) -> str:
    return reverse(f"structure:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def _details(client, url: str, snapshot: Snapshot, **changes: str) -> dict[str, str]:
    """What the details form sends, with the guard fields of the page as it is opened."""
    page = client.get(url)
    held = guard(page) if parse(page).select(MAIN_FORM) else {}
    return {
        **held,
        "name": snapshot.name,
        "kind": snapshot.kind,
        **date_input("effective_date"),
        "notes": "",
        **changes,
    }


def test_an_editor_cannot_approve_through_the_details_form(editor, organisation, scenario) -> None:
    url = _url("snapshot_edit", organisation, snapshot_id=scenario.pk)
    editor.post(
        url, _details(editor, url, scenario, status=SnapshotStatus.APPROVED, name="Option A2")
    )
    scenario.refresh_from_db()
    assert scenario.name == "Option A2"
    assert scenario.status == SnapshotStatus.DRAFT
    assert scenario.approved_by is None


def test_an_approved_scenario_cannot_be_reopened_or_changed(
    client, editor, organisation, scenario, admin
) -> None:
    services.scenario_approve(snapshot=scenario, by=admin, **DECISION)
    url = _url("snapshot_edit", organisation, snapshot_id=scenario.pk)
    response = editor.post(
        url, _details(editor, url, scenario, status=SnapshotStatus.DRAFT, name="Reopened")
    )
    scenario.refresh_from_db()
    assert (scenario.status, scenario.name) == (SnapshotStatus.APPROVED, "Option A")
    assert services.SNAPSHOT_LOCKED.format(name="Option A", status="approved") in text(response)
    with pytest.raises(ServiceError):
        services.snapshot_update(
            snapshot=scenario, name="Reopened", effective_date=None, notes="", by=admin
        )


def test_the_details_form_cannot_turn_a_scenario_into_the_as_is(
    editor, organisation, scenario, as_is
) -> None:
    url = _url("snapshot_edit", organisation, snapshot_id=scenario.pk)
    editor.post(url, _details(editor, url, scenario, kind=SnapshotKind.AS_IS))
    scenario.refresh_from_db()
    assert scenario.kind == SnapshotKind.SCENARIO
    # Nor a snapshot into a scenario, whose posts could then be changed.
    url = _url("snapshot_edit", organisation, snapshot_id=as_is.pk)
    response = editor.post(url, _details(editor, url, as_is, kind=SnapshotKind.SCENARIO))
    as_is.refresh_from_db()
    assert as_is.kind == SnapshotKind.AS_IS
    assert response.status_code == 200
    with pytest.raises(ServiceError, match="stays a scenario"):
        services.snapshot_update(
            snapshot=as_is, name="As-is", kind="scenario", effective_date=None, notes=""
        )


def test_the_services_check_the_role_themselves(organisation, scenario, admin) -> None:
    editor = member(organisation, Role.EDITOR, username="ed2")
    stranger = member(OrganisationFactory(), Role.ADMIN, username="stranger")
    needed = ROLE_NEEDED.format(role="admin", organisation=organisation)
    for who in (editor, stranger):
        with pytest.raises(ServiceError) as refused:
            services.scenario_approve(snapshot=scenario, by=who, **DECISION)
        assert refused.value.message == needed
    scenario.refresh_from_db()
    assert scenario.status == SnapshotStatus.DRAFT
    services.scenario_approve(snapshot=scenario, by=admin, **DECISION)
    with pytest.raises(ServiceError, match="admin role"):
        services.scenario_promote(snapshot=scenario, by=editor, **DECISION)
    scenario.refresh_from_db()
    assert scenario.kind == SnapshotKind.SCENARIO


def test_an_approved_scenario_is_copied_to_a_new_scenario(
    client, editor, organisation, scenario, admin
) -> None:
    services.scenario_approve(snapshot=scenario, by=admin, **DECISION)
    page = editor.get(_url("scenario_detail", organisation, snapshot_id=scenario.pk))
    copy_url = _url("scenario_create", organisation, snapshot_id=scenario.pk)
    assert attribute(page, "a.gt-copy-scenario", "href") == [copy_url]
    assert "Copy to a new scenario" in text(page, "a.gt-copy-scenario")
    editor.post(copy_url, {"name": "Option A, second round", "notes": ""})
    copy = Snapshot.objects.get(name="Option A, second round")
    assert copy.base == scenario and copy.status == SnapshotStatus.DRAFT
    assert copy.kind == SnapshotKind.SCENARIO and copy.post_count == scenario.post_count


def test_only_an_admin_adopts_a_tom_version(organisation, admin) -> None:
    editor = member(organisation, Role.EDITOR, username="ed3")
    version = tom_services.version_create(organisation=organisation, title="TOM", by=editor)
    decision = {
        "approved_by": "Executive",
        "approved_on": datetime.date(2024, 3, 14),
        "decision_reference": "minute 52",
    }
    with pytest.raises(ServiceError, match="admin role"):
        tom_services.version_adopt(version=version, by=editor, **decision)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    tom_services.version_adopt(version=version, by=admin, **decision)
    with pytest.raises(ServiceError, match="cannot be changed"):
        tom_services.version_update(
            version=version, title="Changed", summary="", principle_set=None, by=admin
        )


def test_the_edit_page_of_a_draft_has_no_status_field(editor, organisation, scenario) -> None:
    page = editor.get(_url("snapshot_edit", organisation, snapshot_id=scenario.pk))
    assert attribute(page, "input[name=status]", "value") == []
    assert attribute(page, "input[name=kind]", "value") == []


def test_admin_settings_services_refuse_an_editor(organisation, admin) -> None:
    """The role and settings changes admins make are checked in the services too."""
    from decimal import Decimal

    from goldenthread.accounts import services as account_services
    from goldenthread.accounts.models import Membership

    editor = member(organisation, Role.EDITOR, username="ed4")
    own = Membership.objects.get(user=editor)
    attempts = [
        lambda: account_services.membership_update(
            membership=own, role=Role.ADMIN, job_title="", by=editor
        ),
        lambda: account_services.membership_delete(
            membership=Membership.objects.get(user=admin), by=editor
        ),
        lambda: account_services.organisation_update(
            organisation=organisation,
            name="Renamed",
            kind=organisation.kind,
            ons_code="",
            description="",
            redundancy_cost_per_post=Decimal(1),
            by=editor,
        ),
        lambda: services.design_rules_update(
            organisation=organisation,
            target_span_min=1,
            target_span_max=2,
            narrow_span_max=0,
            max_layers=None,
            by=editor,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ServiceError, match="admin role"):
            attempt()
    own.refresh_from_db()
    organisation.refresh_from_db()
    assert own.role == Role.EDITOR and organisation.name != "Renamed"
    assert Membership.objects.filter(user=admin).exists()
