"""TOM versions: copying, adoption with its approval record, read-only adopted versions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.operating_model import services
from goldenthread.operating_model.models import Component, TomVersion, VersionStatus
from goldenthread.operating_model.selectors import version_comparison
from goldenthread.operating_model.starter import COMPONENTS
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import attribute, error_links, select, select_one
from tests.submitting import date_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Havant Borough Council", slug="havant")


def url(name, organisation, **kwargs):
    return reverse(f"operating_model:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def adopt(version, when=date(2024, 3, 14)):
    return services.version_adopt(
        version=version,
        approved_by="Executive",
        approved_on=when,
        decision_reference="Executive, 14 March 2024, minute 52",
    )


def test_a_first_version_starts_from_the_twelve_components(organisation) -> None:
    version = services.version_create(organisation=organisation, title="TOM 2024")
    names = [c.name for c in version.components.order_by("position")]
    assert len(names) == 12 == len(COMPONENTS)
    assert names[0] == "Strategy and vision" and names[-1] == "Governance"
    assert version.number == 1 and version.status == VersionStatus.DRAFT
    assert version.based_on is None


def test_a_new_version_copies_the_adopted_one_with_lineage(organisation) -> None:
    first = services.version_create(organisation=organisation, title="TOM 2024")
    customers = first.components.get(key="customers")
    statement = services.statement_create(component=customers, text="One doorway")
    adopt(first)
    second = services.version_create(organisation=organisation, title="Refresh")
    assert second.number == 2 and second.based_on == first
    copy = second.components.get(key="customers")
    assert copy.baseline == customers
    assert copy.statements.get().baseline == statement
    assert second.components.count() == 12


def test_adopting_supersedes_the_previous_version_and_records_the_decision(organisation) -> None:
    first = adopt(services.version_create(organisation=organisation, title="TOM 2024"))
    second = services.version_create(organisation=organisation, title="Refresh")
    services.version_adopt(
        version=second,
        approved_by="Executive Director, Strategy, Workforce and Localities",
        approved_on=date(2024, 9, 1),
        decision_reference="Delegated to the Executive Director",
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED
    assert second.status == VersionStatus.ADOPTED
    assert second.decision_reference == "Delegated to the Executive Director"
    assert TomVersion.objects.filter(organisation=organisation, status="adopted").count() == 1


@pytest.mark.parametrize(
    ("field", "values", "message"),
    [
        ("approved_by", {"approved_by": " "}, services.ENTER_APPROVED_BY),
        ("approved_on", {"approved_on": None}, services.ENTER_APPROVED_ON),
        (
            "approved_on",
            {"approved_on": date.today() + timedelta(days=1)},
            services.APPROVED_IN_FUTURE,
        ),
        ("decision_reference", {"decision_reference": ""}, services.ENTER_DECISION),
    ],
)
def test_adoption_needs_an_approval_record(organisation, field, values, message) -> None:
    version = services.version_create(organisation=organisation, title="TOM")
    arguments = {
        "approved_by": "Executive",
        "approved_on": date(2024, 3, 14),
        "decision_reference": "minute 52",
        **values,
    }
    with pytest.raises(ServiceError) as refused:
        services.version_adopt(version=version, **arguments)
    assert refused.value.field == field and refused.value.message == message
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_the_database_allows_only_one_adopted_version(organisation) -> None:
    adopt(services.version_create(organisation=organisation, title="TOM"))
    other = services.version_create(organisation=organisation, title="Another")
    with pytest.raises(IntegrityError), transaction.atomic():
        TomVersion.objects.filter(pk=other.pk).update(status=VersionStatus.ADOPTED)
    # Another organisation may have its own adopted version.
    elsewhere = OrganisationFactory()
    adopt(services.version_create(organisation=elsewhere, title="TOM"))


def test_adopted_and_superseded_versions_are_read_only(organisation) -> None:
    first = adopt(services.version_create(organisation=organisation, title="TOM"))
    component = first.components.first()
    with pytest.raises(ServiceError, match="cannot be changed"):
        services.component_update(
            component=component,
            name="New",
            purpose="",
            as_is="",
            change_level="high",
            owner="",
        )
    with pytest.raises(ServiceError, match="cannot be changed"):
        services.statement_create(component=component, text="More")
    with pytest.raises(ServiceError, match="cannot be changed"):
        services.component_create(version=first, name="Extra")
    with pytest.raises(ServiceError):
        services.version_delete(version=first)
    services.version_adopt(
        version=services.version_create(organisation=organisation, title="Next"),
        approved_by="Chief Executive",
        approved_on=date(2024, 5, 1),
        decision_reference="Delegated to the Chief Executive",
    )
    first.refresh_from_db()
    with pytest.raises(ServiceError, match="superseded"):
        services.version_update(version=first, title="x", summary="", principle_set=None)


def test_only_a_draft_goes_out_for_consultation(organisation) -> None:
    version = services.version_create(organisation=organisation, title="TOM")
    services.version_consult(version=version)
    assert version.status == VersionStatus.CONSULTATION
    services.statement_create(component=version.components.first(), text="Still editable")
    with pytest.raises(ServiceError):
        services.version_consult(version=version)


def test_the_comparison_finds_every_kind_of_change(organisation) -> None:
    first = services.version_create(organisation=organisation, title="TOM")
    customers = first.components.get(key="customers")
    for text in ("One doorway", "Tell us once", "Paper forms"):
        services.statement_create(component=customers, text=text)
    adopt(first)
    second = services.version_create(organisation=organisation, title="Refresh")
    copy = second.components.get(key="customers")
    services.statement_update(
        statement=copy.statements.get(text="Tell us once"), text="Tell us only once"
    )
    services.statement_delete(statement=copy.statements.get(text="Paper forms"))
    services.statement_create(component=copy, text="Track requests online")
    channels = second.components.get(key="channels")
    services.component_update(
        component=channels,
        name="Channels and access",
        purpose="",
        as_is="",
        change_level="high",
        owner="",
    )
    services.component_delete(component=second.components.get(key="locations"))
    services.component_create(version=second, name="Partnership working")

    comparison = version_comparison(baseline=first, revised=second)
    rows = {row.name: row for row in comparison.components}
    assert [m.change.value for m in rows["Customers"].statements] == [
        "unchanged",
        "reworded",
        "added",
        "removed",
    ]
    assert rows["Channels and access"].renamed and rows["Channels and access"].change_level_changed
    assert rows["Location footprint"].change == "removed"
    assert rows["Partnership working"].change == "added"
    assert rows["Governance"].change == "unchanged"
    assert comparison.totals == {"unchanged": 1, "reworded": 1, "added": 1, "removed": 1}


def test_adopt_page_is_for_admins_and_shows_errors(client, organisation) -> None:
    version = services.version_create(organisation=organisation, title="TOM")
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    assert client.get(url("version_adopt", organisation, version_id=version.pk)).status_code == 403
    member(organisation, Role.ADMIN, username="ad")
    client.login(username="ad", password=PASSWORD)
    page = client.post(url("version_adopt", organisation, version_id=version.pk), {})
    assert select_one(page, "title").startswith("Error: ")
    problems = error_links(page)
    assert problems["#id_approved_by"] == services.ENTER_APPROVED_BY
    assert problems["#id_decision_reference"] == services.ENTER_DECISION
    # The date approved is a GOV.UK date input; a date that is not real is refused,
    # shown back as typed, with only its wrong part marked.
    boxes = "fieldset .govuk-date-input input[type=text][inputmode=numeric]"
    assert attribute(page, boxes, "name") == [
        "approved_on_day",
        "approved_on_month",
        "approved_on_year",
    ]
    page = client.post(
        url("version_adopt", organisation, version_id=version.pk),
        date_input("approved_on", "29/2/2023"),
    )
    assert error_links(page)["#id_approved_on_day"] == "The date of approval must be a real date"
    assert attribute(page, boxes, "value") == ["29", "2", "2023"]
    assert attribute(page, f"{boxes}.govuk-input--error", "name") == ["approved_on_day"]
    page = client.post(
        url("version_adopt", organisation, version_id=version.pk),
        {
            "approved_by": "Executive",
            **date_input("approved_on", "14/03/2024"),
            "decision_reference": "Executive, 14 March 2024, minute 52",
        },
    )
    assert page.status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.ADOPTED and version.approved_on == date(2024, 3, 14)


def test_an_editor_sees_a_clear_message_on_an_adopted_version(client, organisation) -> None:
    version = adopt(services.version_create(organisation=organisation, title="TOM"))
    component = version.components.first()
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    page = client.post(
        url("component_edit", organisation, component_id=component.pk),
        {"name": "Changed", "change_level": "high"},
    )
    assert page.status_code == 200
    assert select_one(page, "main .govuk-warning-text__text") == (
        "Warning " + services.VERSION_LOCKED.format(version=version, status="adopted")
    )
    assert Component.objects.get(pk=component.pk).name == component.name


def test_editors_create_versions_components_and_statements_through_the_pages(
    client, organisation
) -> None:
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    response = client.post(url("version_create", organisation), {"title": "TOM 2025"})
    version = TomVersion.objects.get(organisation=organisation)
    assert response["Location"] == url("version_detail", organisation, version_id=version.pk)
    response = client.post(
        url("component_create", organisation, version_id=version.pk),
        {"name": "Commercialisation", "change_level": "low", "owner": "Director of Place"},
    )
    component = version.components.get(name="Commercialisation")
    client.post(
        url("statement_create", organisation, component_id=component.pk),
        {"text": "We charge for discretionary services at cost"},
    )
    page = client.get(url("component_detail", organisation, component_id=component.pk))
    statements = select(page, "main ol.govuk-list--number li")
    assert len(statements) == 1
    assert statements[0].startswith("We charge for discretionary services at cost")
    empty = client.post(url("statement_create", organisation, component_id=component.pk), {})
    assert list(error_links(empty).values()) == [services.ENTER_STATEMENT]


def test_the_principles_of_an_adopted_version_are_frozen_and_can_be_copied(db) -> None:
    """The adopted TOM is the baseline: its principles stay as they were adopted."""
    from goldenthread.accounts.services import ServiceError
    from goldenthread.demo.builder import demo_load
    from goldenthread.operating_model import services as om_services
    from goldenthread.operating_model.models import PrincipleSet, VersionStatus

    organisation = demo_load(password="frozen-test-1").organisation
    principle_set = PrincipleSet.objects.filter(
        organisation=organisation, tom_versions__status=VersionStatus.ADOPTED
    ).first()
    assert principle_set is not None
    principle = principle_set.principles.first()
    consideration = principle.considerations.first()
    refusals = [
        lambda: om_services.principle_set_update(
            principle_set=principle_set, name="Renamed", description=""
        ),
        lambda: om_services.principle_create(principle_set=principle_set, name="New"),
        lambda: om_services.principle_update(
            principle=principle, name="Renamed", intent="", group=""
        ),
        lambda: om_services.principle_delete(principle=principle),
        lambda: om_services.consideration_create(principle=principle, name="New"),
        lambda: om_services.consideration_update(
            consideration=consideration, name="Renamed", description=""
        ),
        lambda: om_services.consideration_delete(consideration=consideration),
    ]
    for refused in refusals:
        with pytest.raises(ServiceError, match="has been adopted, so it cannot be changed"):
            refused()
    copy = om_services.principle_set_copy(principle_set=principle_set)
    assert copy.name == f"{principle_set.name} (copy)"
    assert [p.name for p in copy.principles.all()] == [
        p.name for p in principle_set.principles.all()
    ]
    assert copy.principles.first().considerations.count() == principle.considerations.count()
    om_services.principle_update(
        principle=copy.principles.first(), name="Changed in the copy", intent="", group=""
    )
    principle.refresh_from_db()
    assert principle.name != "Changed in the copy"


def test_an_editor_copies_a_frozen_set_in_the_browser_pages(client, db) -> None:
    from django.urls import reverse

    from goldenthread.demo.builder import demo_load
    from goldenthread.operating_model.models import PrincipleSet, VersionStatus

    organisation = demo_load(password="frozen-test-2").organisation
    principle_set = PrincipleSet.objects.filter(
        organisation=organisation, tom_versions__status=VersionStatus.ADOPTED
    ).first()
    client.login(username="demo-editor", password="frozen-test-2")
    detail = reverse(
        "operating_model:principle_set_detail",
        kwargs={"org_slug": organisation.slug, "set_id": principle_set.pk},
    )
    page = client.get(detail)
    assert "which has been adopted, so it stays as it was adopted" in select_one(
        page, "main .govuk-inset-text"
    )
    assert "Add a principle" not in select(page, "main .govuk-button")
    response = client.post(
        reverse(
            "operating_model:principle_set_copy",
            kwargs={"org_slug": organisation.slug, "set_id": principle_set.pk},
        )
    )
    copy = PrincipleSet.objects.get(name=f"{principle_set.name} (copy)")
    assert response["Location"].endswith(f"/principles/{copy.pk}/")
    assert "Add a principle" in select(client.get(response["Location"]), "main .govuk-button")
