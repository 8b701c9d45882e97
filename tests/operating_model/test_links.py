"""Links from any record to the TOM components it delivers: pages, roles, audit, both ends."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.kit.links import linkable_words
from goldenthread.operating_model import services
from goldenthread.operating_model.links import CHOOSE_COMPONENT, LINKED, UNLINKED
from goldenthread.operating_model.models import ComponentLink, DeliveryKind
from goldenthread.operating_model.services import LINK_EXISTS
from goldenthread.performance import services as thread_services
from goldenthread.performance.models import Level
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import hrefs, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


@pytest.fixture
def version(organisation):
    return services.version_create(organisation=organisation, title="Our TOM")


@pytest.fixture
def channels(version):
    return version.components.get(key="channels")


@pytest.fixture
def objective(organisation):
    return thread_services.thread_item_create(
        organisation=organisation, level=Level.OBJECTIVE, title="One front door for every request"
    )


def as_role(client, organisation, role, username):
    member(organisation, role, username=username, full_name=f"{username.title()} Person")
    client.login(username=username, password=PASSWORD)
    return client


def om(name, organisation, **kwargs):
    return reverse(f"operating_model:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def item_url(organisation, item):
    return reverse(
        "performance:item_detail", kwargs={"org_slug": organisation.slug, "item_id": item.pk}
    )


def add_url(organisation, item):
    return om("component_link_create", organisation, kind="thread-item", record_id=item.pk)


def test_an_editor_links_an_objective_and_both_ends_show_it(
    client, organisation, channels, objective
):
    editor = as_role(client, organisation, Role.EDITOR, "eden")
    item_page = editor.get(item_url(organisation, objective))
    assert texts(item_page, "#links-tom-components") == ["TOM components it delivers"]
    assert add_url(organisation, objective) in hrefs(item_page, ".gt-item-links a.govuk-button")

    form = editor.get(add_url(organisation, objective))
    assert texts(form, "h1") == ["Link to a TOM component"]
    assert "Channels (version 1, draft)" in texts(form, "select[data-gt-autocomplete] option")

    response = editor.post(
        add_url(organisation, objective), {"component": channels.pk, "note": "Digital first"}
    )
    assert response.status_code == 302
    assert response["Location"] == item_url(organisation, objective)
    link = ComponentLink.objects.get(component=channels)
    assert (link.object_id, link.kind, link.note) == (
        objective.pk,
        DeliveryKind.OBJECTIVE,
        "Digital first",
    )
    # Audited: who linked it.
    created = link.history.get()
    assert created.history_type == "+" and created.history_user.username == "eden"

    item_page = editor.get(item_url(organisation, objective))
    assert texts(item_page, ".govuk-notification-banner__content") == [
        LINKED.format(item=objective.title, component="Channels")
    ]
    assert texts(item_page, ".gt-item-links__list li") == [
        "Channels (version 1, draft) – Digital first Remove the link to Channels"
    ]
    component_page = editor.get(om("component_detail", organisation, component_id=channels.pk))
    assert texts(component_page, ".gt-delivered-by tbody tr") == [
        "Objective One front door for every request Golden-thread item: Objective "
        "Digital first Remove the link to One front door for every request"
    ]
    assert item_url(organisation, objective) in hrefs(component_page, ".gt-delivered-by a")


def test_a_component_is_found_by_its_name_typed_and_wrong_ones_are_refused(
    client, organisation, channels, objective
):
    editor = as_role(client, organisation, Role.EDITOR, "eden")
    missing = editor.post(add_url(organisation, objective), {"component": ""})
    assert texts(missing, ".govuk-error-message") == [f"Error: {CHOOSE_COMPONENT}"]
    wrong = editor.post(add_url(organisation, objective), {"component": "Teleportation"})
    assert "There is no TOM component 'Teleportation'" in texts(wrong, ".govuk-error-message")[0]
    editor.post(add_url(organisation, objective), {"component": "channels"})
    assert ComponentLink.objects.filter(component=channels, object_id=objective.pk).exists()
    again = editor.post(add_url(organisation, objective), {"component": channels.pk})
    assert texts(again, ".govuk-error-summary li") == [LINK_EXISTS.format(component=channels)]


def test_another_organisations_records_cannot_be_linked(client, organisation, objective):
    other = OrganisationFactory(slug="eastmere")
    theirs = services.version_create(organisation=other, title="Theirs")
    their_item = thread_services.thread_item_create(
        organisation=other, level=Level.OBJECTIVE, title="Theirs"
    )
    editor = as_role(client, organisation, Role.EDITOR, "eden")
    # Their component, by id: not among the choices.
    their_component = theirs.components.first()
    refused = editor.post(add_url(organisation, objective), {"component": their_component.pk})
    assert refused.status_code == 200 and not ComponentLink.objects.exists()
    # Their item in our address: 404.
    assert editor.get(add_url(organisation, their_item)).status_code == 404
    unknown = om("component_link_create", organisation, kind="spaceship", record_id=1)
    assert editor.get(unknown).status_code == 404


def test_viewers_see_links_but_cannot_add_or_remove_them(client, organisation, channels, objective):
    link = services.component_link_create(
        component=channels, kind="objective", target=objective, note=""
    )
    viewer = as_role(client, organisation, Role.VIEWER, "vic")
    item_page = viewer.get(item_url(organisation, objective))
    assert texts(item_page, ".gt-item-links__list li") == ["Channels (version 1, draft)"]
    assert hrefs(item_page, ".gt-item-links a.govuk-button") == []
    component_page = viewer.get(om("component_detail", organisation, component_id=channels.pk))
    assert texts(component_page, ".gt-delivered-by tbody tr") == [
        "Objective One front door for every request Golden-thread item: Objective"
    ]
    assert viewer.get(add_url(organisation, objective)).status_code == 403
    remove = om("component_link_delete", organisation, link_id=link.pk)
    assert viewer.get(remove).status_code == 403
    assert viewer.post(remove).status_code == 403
    assert ComponentLink.objects.filter(pk=link.pk).exists()


def test_removing_a_link_asks_first_and_is_audited(client, organisation, channels, objective):
    link = services.component_link_create(
        component=channels, kind="objective", target=objective, note=""
    )
    editor = as_role(client, organisation, Role.EDITOR, "eden")
    remove = om("component_link_delete", organisation, link_id=link.pk)
    asked = editor.get(remove)
    assert texts(asked, "h1") == [
        "Remove the link between One front door for every request and Channels?"
    ]
    assert ComponentLink.objects.filter(pk=link.pk).exists()
    response = editor.post(remove)
    assert response["Location"] == item_url(organisation, objective)
    assert not ComponentLink.objects.filter(pk=link.pk).exists()
    removed = ComponentLink.history.filter(id=link.pk).latest("history_date")
    assert removed.history_type == "-" and removed.history_user.username == "eden"
    page = editor.get(item_url(organisation, objective))
    assert texts(page, ".govuk-notification-banner__content") == [
        UNLINKED.format(record=objective.title, component="Channels")
    ]
    # From the component's page, the removal returns there.
    again = services.component_link_create(
        component=channels, kind="objective", target=objective, note=""
    )
    back = editor.post(
        om("component_link_delete", organisation, link_id=again.pk) + "?from=component"
    )
    assert back["Location"] == om("component_detail", organisation, component_id=channels.pk)


def test_the_component_page_has_a_fixed_number_of_queries(
    client, organisation, channels, django_assert_num_queries
):
    for n in range(25):
        item = thread_services.thread_item_create(
            organisation=organisation, level=Level.OBJECTIVE, title=f"Objective {n}"
        )
        services.component_link_create(component=channels, kind="objective", target=item)
    editor = as_role(client, organisation, Role.EDITOR, "eden")
    url = om("component_detail", organisation, component_id=channels.pk)
    # Session, user, membership, the switcher's memberships; the component, its
    # statements, its links, and their items (one query for every item of a kind).
    with django_assert_num_queries(8):
        page = editor.get(url)
    assert len(texts(page, ".gt-delivered-by tbody tr")) == 25


def test_the_operating_model_imports_nothing_of_the_golden_thread():
    """docs/adr/0007: what it shows of other modules comes through the kit's registries."""
    package = Path(__file__).resolve().parents[2] / "src" / "goldenthread" / "operating_model"
    imports = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imports.append((path.name, node.module))
            elif isinstance(node, ast.Import):
                imports.extend((path.name, alias.name) for alias in node.names)
    upward = [
        (name, module)
        for name, module in imports
        if module.startswith(("goldenthread.performance", "goldenthread.structure"))
    ]
    assert upward == []


def test_deleting_a_linked_item_deletes_its_links(client, organisation, channels, objective):
    link = services.component_link_create(component=channels, kind="objective", target=objective)
    thread_services.thread_item_delete(item=objective)
    assert not ComponentLink.objects.filter(pk=link.pk).exists()
    assert ComponentLink.history.filter(id=link.pk, history_type="-").exists()


def test_both_delete_pages_name_the_links_that_go_with_the_record(
    client, organisation, channels, objective
) -> None:
    services.component_link_create(component=channels, kind="objective", target=objective)
    member(organisation, Role.EDITOR, username="del")
    client.login(username="del", password=PASSWORD)
    item_delete = reverse(
        "performance:item_delete", kwargs={"org_slug": organisation.slug, "item_id": objective.pk}
    )
    assert texts(client.get(item_delete), ".gt-consequences li") == [
        "1 link is removed (TOM components it delivers): Channels"
    ]
    component_delete = reverse(
        "operating_model:component_delete",
        kwargs={"org_slug": organisation.slug, "component_id": channels.pk},
    )
    assert texts(client.get(component_delete), ".gt-consequences li") == [
        f"1 link is removed (records that deliver it): {objective.title}"
    ]


def test_a_component_with_no_links_names_only_what_can_be_linked(
    client, organisation, channels
) -> None:
    viewer = as_role(client, organisation, Role.VIEWER, "vera")
    page = viewer.get(om("component_detail", organisation, component_id=channels.pk))
    said = " ".join(texts(page, "main p")).lower()
    # The kinds registered so far: the golden thread's items and the programme's actions.
    assert "golden-thread items" in said and "actions" in said and "benefits" in said
    assert f"{linkable_words()} are linked to this component".lower() in said
    assert not any(word in said for word in ("kpis", "proposals"))
