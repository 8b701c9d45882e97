from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.core import services
from goldenthread.core.models import Unit, UnitKind
from goldenthread.core.pickers import UNIT_PICKER
from goldenthread.kit.pickers import NO_SUCH
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member
from tests.html import attribute, error_links, error_summary, select

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Tower Hamlets Council", slug="tower-hamlets")


@pytest.fixture
def editor(client, organisation):
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    return client


def url(name, organisation, **kwargs):
    return reverse(name, kwargs={"org_slug": organisation.slug, **kwargs})


def test_an_editor_adds_a_unit_inside_another(editor, organisation) -> None:
    people = UnitFactory(
        organisation=organisation, code="PEO", name="People", kind=UnitKind.DIRECTORATE
    )
    response = editor.post(
        url("core:unit_create", organisation),
        {"name": "Adult Social Care", "code": "PEO-ASC", "kind": "service", "parent": people.pk},
    )
    unit = Unit.objects.get(code="PEO-ASC")
    assert response["Location"] == url("core:unit_detail", organisation, unit_id=unit.pk)
    assert unit.parent == people
    page = editor.get(url("core:unit_detail", organisation, unit_id=people.pk))
    assert select(page, "main h2 + ul li") == ["Adult Social Care (service)"]


def test_codes_are_unique_in_an_organisation_but_not_across(editor, organisation) -> None:
    UnitFactory(organisation=organisation, code="PEO", name="People")
    UnitFactory(organisation=OrganisationFactory(), code="PEO", name="People")
    response = editor.post(
        url("core:unit_create", organisation), {"name": "Other", "code": "peo", "kind": "service"}
    )
    assert error_summary(response) == [
        services.CODE_TAKEN.format(organisation=organisation, code="peo")
    ]
    assert Unit.objects.filter(organisation=organisation).count() == 1


def test_a_unit_cannot_be_moved_inside_its_own_descendant(organisation) -> None:
    top = UnitFactory(organisation=organisation, code="A", name="A")
    middle = UnitFactory(organisation=organisation, code="B", name="B", parent=top)
    bottom = UnitFactory(organisation=organisation, code="C", name="C", parent=middle)
    with pytest.raises(ServiceError) as refused:
        services.unit_update(
            unit=top, code="A", name="A", kind="service", parent=bottom, description=""
        )
    assert refused.value.message == services.PARENT_IS_BELOW.format(parent=bottom, unit=top)
    top.refresh_from_db()
    assert top.parent is None


def test_a_parent_from_another_organisation_is_not_offered(editor, organisation) -> None:
    foreign = UnitFactory(organisation=OrganisationFactory(), code="X", name="Foreign")
    response = editor.post(
        url("core:unit_create", organisation),
        {"name": "Mine", "code": "M", "kind": "service", "parent": foreign.pk},
    )
    assert list(error_links(response)) == ["#id_parent"]
    # Another organisation's unit is not found, by its id or anything else.
    assert error_links(response)["#id_parent"] == NO_SUCH.format(
        noun="unit", value=str(foreign.pk), hint=UNIT_PICKER.hint
    )
    assert not Unit.objects.filter(code="M").exists()


def test_a_unit_with_units_inside_cannot_be_deleted(editor, organisation) -> None:
    top = UnitFactory(organisation=organisation, code="A", name="Alpha")
    UnitFactory(organisation=organisation, code="B", name="Beta", parent=top)
    response = editor.post(url("core:unit_delete", organisation, unit_id=top.pk))
    assert error_summary(response) == [
        services.HAS_CHILDREN.format(unit="Alpha", count=1, plural="")
    ]
    assert Unit.objects.filter(pk=top.pk).exists()


def test_a_viewer_sees_units_but_no_buttons_to_change_them(client, organisation) -> None:
    UnitFactory(organisation=organisation, code="A", name="Alpha")
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    page = client.get(url("core:unit_list", organisation))
    assert select(page, "main table tbody tr td:first-child") == ["Alpha"]
    # The only buttons are the filter panel's and the downloads': none adds, imports
    # or changes units.
    assert select(page, "main .govuk-button:not(.gt-downloads > *)") == ["Apply filters"]
    links = attribute(page, "main a[href]", "href")
    assert url("core:unit_create", organisation) not in links
    assert url("core:unit_import", organisation) not in links
    assert client.get(url("core:unit_create", organisation)).status_code == 403


def test_the_unit_list_runs_a_fixed_number_of_queries(
    editor, organisation, django_assert_num_queries
) -> None:
    parent = None
    for n in range(30):
        parent = UnitFactory(organisation=organisation, parent=parent if n % 3 else None)
    # session, user, membership, the shell's organisations, whether there are
    # units, the tree (paths and the "inside" filter), count, rows
    with django_assert_num_queries(8):
        response = editor.get(url("core:unit_list", organisation))
    assert len(select(response, "main table tbody tr")) == 30


def test_the_tree_lists_parents_before_children(organisation) -> None:
    from goldenthread.core.selectors import unit_tree

    b = UnitFactory(organisation=organisation, code="B", name="B")
    a = UnitFactory(organisation=organisation, code="A", name="A")
    UnitFactory(organisation=organisation, code="B1", name="B1", parent=b)
    UnitFactory(organisation=organisation, code="A1", name="A1", parent=a)
    rows = unit_tree(organisation=organisation)
    assert [(row.unit.code, row.depth) for row in rows] == [
        ("A", 0),
        ("A1", 1),
        ("B", 0),
        ("B1", 1),
    ]
