"""Empty units (no posts in any snapshot, no records) listed together and deleted at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.core import selectors, services, views
from goldenthread.core.models import Unit
from goldenthread.performance import services as performance_services
from goldenthread.performance.models import Level
from tests.factories import OrganisationFactory, UnitFactory, member, snapshot_of
from tests.html import texts
from tests.submitting import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    """People (posts), Place / Housing (a service plan), and Old / Gone / Left: empty."""
    organisation = OrganisationFactory(name="Tower Hamlets Council", slug="tower-hamlets")
    snapshot_of(
        organisation, [("CX", None, "Chief Executive", ""), ("D1", "CX", "Director", "People")]
    )
    place = UnitFactory(organisation=organisation, code="PLA", name="Place")
    housing = UnitFactory(organisation=organisation, code="HOU", name="Housing", parent=place)
    performance_services.thread_item_create(
        organisation=organisation, level=Level.SERVICE_PLAN, title="Housing plan", unit=housing
    )
    UnitFactory(organisation=organisation, code="PLA-EMP", name="Empty corner", parent=place)
    old = UnitFactory(organisation=organisation, code="OLD", name="Old")
    gone = UnitFactory(organisation=organisation, code="GON", name="Gone", parent=old)
    UnitFactory(organisation=organisation, code="LEF", name="Left", parent=gone)
    return organisation


URL = "core:unit_empty"


def _url(organisation) -> str:
    return reverse(URL, kwargs={"org_slug": organisation.slug})


@pytest.fixture
def editor(client, units):
    client.force_login(member(units, Role.EDITOR, username="ed"))
    return client


def test_only_units_nothing_uses_are_listed_with_their_paths(
    editor, units, django_assert_num_queries
) -> None:
    editor.get(_url(units))
    # session, user, membership, the shell's organisations, the units, the units
    # posts name, the units golden-thread items name
    with django_assert_num_queries(7):
        page = editor.get(_url(units))
    assert texts(page, ".govuk-checkboxes__label") == [
        "Old (OLD)",
        "Old / Gone (GON)",
        "Old / Gone / Left (LEF)",
        "Place / Empty corner (PLA-EMP)",
    ]


def test_a_long_list_of_empty_units_is_listed_a_page_at_a_time(editor, units) -> None:
    Unit.objects.bulk_create(
        Unit(organisation=units, code=f"E{n:03d}", name=f"Empty {n:03d}") for n in range(60)
    )
    page = editor.get(_url(units))
    assert len(texts(page, ".govuk-checkboxes__label")) == views.EMPTY_UNITS_SHOWN
    note = views.EMPTY_UNITS_MORE.format(shown=views.EMPTY_UNITS_SHOWN, total=64).strip()
    assert note in " ".join(" ".join(texts(page, "main p")).split())


def test_the_ticked_units_are_deleted_together_and_audited(editor, units) -> None:
    ids = list(
        Unit.objects.filter(code__in=["OLD", "GON", "LEF", "PLA-EMP"]).values_list("pk", flat=True)
    )
    response = submit(editor, _url(units), {"units": [str(pk) for pk in ids]})
    assert response.status_code == 302
    assert set(Unit.objects.values_list("name", flat=True)) == {"People", "Place", "Housing"}
    deleted = Unit.history.filter(history_type="-")
    assert deleted.count() == 4
    assert set(deleted.values_list("history_user__username", flat=True)) == {"ed"}
    page = editor.get(_url(units))
    assert (
        texts(page, ".govuk-inset-text, main p.govuk-body")
        and views.NO_EMPTY_UNITS in page.content.decode()
    )


def test_a_unit_whose_unit_inside_is_not_ticked_is_refused_and_nothing_is_deleted(
    editor, units
) -> None:
    old, gone = Unit.objects.get(code="OLD"), Unit.objects.get(code="GON")
    response = submit(editor, _url(units), {"units": [str(old.pk), str(gone.pk)]})
    assert response.status_code == 200
    assert texts(response, "#id_units-error") == [
        "Error: " + services.INSIDE_NOT_CHOSEN.format(units="Old / Gone", verb="has", pronoun="it")
    ]
    assert Unit.objects.filter(code__in=["OLD", "GON", "LEF"]).count() == 3


def test_the_service_refuses_a_unit_in_use(units) -> None:
    people = Unit.objects.get(name="People")
    with pytest.raises(ServiceError) as refused:
        services.unit_bulk_delete_empty(organisation=units, unit_ids=[people.pk])
    assert refused.value.message == "People is no longer empty, so nothing was deleted"
    assert [row.path for row in selectors.unit_empty_list(organisation=units)][:1] == ["Old"]


def test_the_units_in_use_are_named_by_their_paths(units) -> None:
    """Not by their numbers in the database, which nobody knows."""
    chosen = Unit.objects.filter(code__in=["HOU", "OLD", "GON", "LEF", "PLA"])
    with pytest.raises(ServiceError) as refused:
        services.unit_bulk_delete_empty(
            organisation=units, unit_ids=list(chosen.values_list("pk", flat=True))
        )
    assert refused.value.message == (
        "Place, Place / Housing are no longer empty, so nothing was deleted"
    )
    assert refused.value.field == "units"
    assert Unit.objects.filter(code__in=["OLD", "GON", "LEF"]).count() == 3


def test_a_unit_deleted_meanwhile_is_said_so(units) -> None:
    elsewhere = UnitFactory(organisation=OrganisationFactory(), code="ELS", name="Elsewhere")
    old = Unit.objects.get(code="LEF")
    with pytest.raises(ServiceError, match="deleted since") as refused:
        services.unit_bulk_delete_empty(organisation=units, unit_ids=[old.pk, elsewhere.pk])
    assert str(elsewhere.pk) not in refused.value.message
    assert Unit.objects.filter(pk__in=[old.pk, elsewhere.pk]).count() == 2
