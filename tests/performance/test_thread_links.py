"""Records of other modules say which golden-thread item they contribute to, via the links kit.

The programme and KPI modules are not here yet, so the tests register a kind
of their own (units) as the modules will register theirs.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.core.models import Unit
from goldenthread.kit import links as kit_links
from goldenthread.operating_model import services as tom_services
from goldenthread.performance import services
from goldenthread.performance.links import CHOOSE_ITEM, LINKED, UNLINKED
from goldenthread.performance.models import Level, ThreadLink
from goldenthread.performance.services import NOT_AN_OBJECTIVE
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member
from tests.html import hrefs, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


def unit_url(organisation, unit):
    return reverse("core:unit_detail", kwargs={"org_slug": organisation.slug, "unit_id": unit.pk})


@pytest.fixture
def actions():
    """A kind of record of a module above the golden thread, registered as it would be."""
    kind = kit_links.LinkableKind(
        key="test-action",
        label="action",
        model=Unit,
        queryset=lambda organisation: Unit.objects.filter(organisation=organisation),
        url=unit_url,
        delivery_kind="action",
        title=lambda unit: unit.name,
    )
    kit_links.LINKABLE.add(kind.key, kind)
    yield kind
    kit_links.LINKABLE.remove(kind.key)


@pytest.fixture
def action(organisation, actions):
    return UnitFactory(organisation=organisation, code="A1", name="Open the resident account")


@pytest.fixture
def objective(organisation):
    return services.thread_item_create(
        organisation=organisation, level=Level.OBJECTIVE, title="One front door"
    )


def as_role(client, organisation, role, username):
    member(organisation, role, username=username)
    client.login(username=username, password=PASSWORD)
    return client


def perf(name, organisation, **kwargs):
    return reverse(f"performance:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def add_url(organisation, action):
    return perf("thread_link_create", organisation, kind="test-action", record_id=action.pk)


def test_a_record_is_linked_to_an_objective_and_both_ends_show_it(
    client, rf, organisation, action, objective
):
    editor = as_role(client, organisation, Role.EDITOR, "eden")
    missing = editor.post(add_url(organisation, action), {"item": ""})
    assert texts(missing, ".govuk-error-message") == [f"Error: {CHOOSE_ITEM}"]
    done = editor.post(add_url(organisation, action), {"item": "One front door", "note": "Online"})
    assert done["Location"] == unit_url(organisation, action)
    assert texts(editor.get(done["Location"]), ".govuk-notification-banner__content") == [
        LINKED.format(record="Open the resident account", item="One front door")
    ]
    link = ThreadLink.objects.get()
    assert (link.item, link.object_id, link.note) == (objective, action.pk, "Online")
    assert link.history.get().history_user.username == "eden"

    item_page = editor.get(perf("item_detail", organisation, item_id=objective.pk))
    assert texts(item_page, ".gt-contributions li") == [
        "Action: Open the resident account – Online Remove the link from Open the resident account"
    ]
    assert unit_url(organisation, action) in hrefs(item_page, ".gt-contributions a")

    # The record's own page shows both ends, through the kit.
    request = rf.get("/")
    request.organisation = organisation
    request.membership = organisation.memberships.get(user__username="eden")
    panels = {panel.end.key: panel for panel in kit_links.item_link_panels(request, action)}
    assert [link.title for link in panels["thread-objectives"].links] == ["One front door"]
    assert panels["tom-components"].links == []
    assert panels["thread-objectives"].add_url == add_url(organisation, action)

    remove = perf("thread_link_delete", organisation, thread_link_id=link.pk) + "?from=item"
    assert texts(editor.get(remove), "h1") == [
        "Remove the link between Open the resident account and One front door?"
    ]
    back = editor.post(remove)
    assert back["Location"] == perf("item_detail", organisation, item_id=objective.pk)
    assert not ThreadLink.objects.exists()
    assert ThreadLink.history.filter(history_type="-").get().history_user.username == "eden"
    page = editor.get(back["Location"])
    assert texts(page, ".govuk-notification-banner__content") == [
        UNLINKED.format(record="Open the resident account", item="One front door")
    ]


def test_an_individual_objective_is_not_something_to_contribute_to(organisation, action):
    team = services.thread_item_create(
        organisation=organisation, level=Level.TEAM_OBJECTIVE, title="Team"
    )
    person = services.thread_item_create(
        organisation=organisation,
        level=Level.INDIVIDUAL_OBJECTIVE,
        title="Person",
        parent=team,
        post_reference="P1",
    )
    with pytest.raises(ServiceError) as refused:
        services.thread_link_create(item=person, target=action)
    assert refused.value.message == NOT_AN_OBJECTIVE


def test_a_golden_thread_item_contributes_through_its_parent_instead(
    client, organisation, objective
):
    editor = as_role(client, organisation, Role.EDITOR, "eden")
    response = editor.get(
        perf("thread_link_create", organisation, kind="thread-item", record_id=objective.pk)
    )
    assert response["Location"] == perf("item_edit", organisation, item_id=objective.pk)
    headings = texts(editor.get(perf("item_detail", organisation, item_id=objective.pk)), "h2")
    assert "Golden-thread objectives it contributes to" not in headings
    assert "TOM components it delivers" in headings


def test_viewers_cannot_link_and_deleting_the_record_forgets_its_links(
    client, organisation, action, objective
):
    link = services.thread_link_create(item=objective, target=action)
    version = tom_services.version_create(organisation=organisation, title="TOM")
    tom_services.component_link_create(
        component=version.components.first(), kind="action", target=action
    )
    viewer = as_role(client, organisation, Role.VIEWER, "vic")
    assert viewer.get(add_url(organisation, action)).status_code == 403
    remove = perf("thread_link_delete", organisation, thread_link_id=link.pk)
    assert viewer.post(remove).status_code == 403
    # The module that deletes a linked record calls the kit in the same service.
    kit_links.forget_links(action)
    assert not ThreadLink.objects.exists()
    from goldenthread.operating_model.models import ComponentLink

    assert not ComponentLink.objects.exists()
