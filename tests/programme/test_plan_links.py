"""Actions at both ends of the links kit, in the actions picker, and on the orphans page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.kit import pickers
from goldenthread.operating_model.models import ComponentLink
from goldenthread.performance import services as thread_services
from goldenthread.performance.models import Level, ThreadLink
from goldenthread.programme.models import Action, Rag
from goldenthread.programme.plan import services
from goldenthread.programme.plan.registrations import ACTION_PICKER_KEY
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import select, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


@pytest.fixture
def editor(client, organisation):
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    return client


@pytest.fixture
def programme(organisation):
    return services.programme_create(organisation=organisation, name="Shaping our future", by=None)


@pytest.fixture
def action(programme):
    action = services.action_create(
        programme=programme,
        reference="SOF-10",
        title="Achieve a channel shift to online self service",
        status="in_progress",
        by=None,
    )
    Action.objects.filter(pk=action.pk).update(rag=Rag.AMBER)
    action.refresh_from_db()
    return action


@pytest.fixture
def objective(organisation):
    return thread_services.thread_item_create(
        organisation=organisation, level=Level.OBJECTIVE, title="One front door"
    )


def perf(name, organisation, **kwargs):
    return reverse(f"performance:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def test_an_action_serves_an_objective_whose_page_shows_its_rag(
    editor, organisation, action, objective
) -> None:
    add = perf("thread_link_create", organisation, kind="action", record_id=action.pk)
    done = editor.post(add, {"item": "One front door"})
    assert done["Location"] == reverse(
        "programme:action_detail", kwargs={"org_slug": organisation.slug, "action_id": action.pk}
    )
    page = editor.get(perf("item_detail", organisation, item_id=objective.pk))
    assert select(page, ".gt-contributions li .gt-contribution-detail") == [
        "(RAG amber – In progress)"
    ]
    assert texts(page, ".gt-contributions li a")[0] == (
        "SOF-10: Achieve a channel shift to online self service"
    )
    action_page = editor.get(done["Location"])
    assert "One front door" in texts(action_page, ".gt-item-links__list a")


def test_an_action_delivers_a_tom_component(editor, organisation, action) -> None:
    from goldenthread.operating_model import services as tom_services

    version = tom_services.version_create(organisation=organisation, title="TOM 2026")
    component = version.components.first()
    add = reverse(
        "operating_model:component_link_create",
        kwargs={"org_slug": organisation.slug, "kind": "action", "record_id": action.pk},
    )
    response = editor.get(add)
    assert response.status_code == 200
    tom_services.component_link_create(component=component, kind="action", target=action)
    assert ComponentLink.objects.get().object_id == action.pk


def test_deleting_an_action_forgets_its_links(organisation, action, objective) -> None:
    thread_services.thread_link_create(item=objective, target=action)
    services.action_delete(action=action, by=None)
    assert not ThreadLink.objects.exists()


def test_the_orphans_page_lists_actions_that_serve_no_objective(
    editor, organisation, programme, action, objective
) -> None:
    traced = services.action_create(programme=programme, reference="SOF-11", title="T", by=None)
    thread_services.thread_link_create(item=objective, target=traced)
    page = editor.get(perf("orphans", organisation))
    headings = texts(page, ".gt-orphans h2")
    assert "Actions that serve no objective (1)" in headings
    assert "SOF-10: Achieve a channel shift to online self service" in select(
        page, ".gt-orphans td"
    )
    assert "SOF-11: T" not in select(page, ".gt-orphans td")


def test_the_actions_picker_finds_by_reference_or_id_within_the_organisation(
    organisation, programme, action
) -> None:
    source = pickers.PICKERS.get(ACTION_PICKER_KEY)
    assert source.find(organisation, "", "sof-10").record == action
    assert source.find(organisation, "", str(action.pk)).record == action
    assert source.find(organisation, str(programme.pk), "SOF-10").record == action
    assert source.find(organisation, "999999", "SOF-10") is None
    other = OrganisationFactory(name="Elsewhere", slug="elsewhere")
    assert source.find(other, "", "SOF-10") is None
    assert [o.label for o in source.options(organisation, "", "channel", None)] == [
        "SOF-10: Achieve a channel shift to online self service"
    ]
    assert source.count(organisation, "") == 1
