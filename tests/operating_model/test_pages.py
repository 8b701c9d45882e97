"""The operating model pages on the demo council: TOM on a page, comparison, export, principles."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from goldenthread.demo.builder import demo_load
from goldenthread.operating_model import services
from goldenthread.operating_model.models import (
    Component,
    PrincipleSet,
    Statement,
    TomVersion,
    VersionStatus,
)
from goldenthread.operating_model.starter import PRINCIPLE_TEMPLATES
from goldenthread.performance.models import ThreadItem
from tests.conftest import DEMO_PASSWORD
from tests.html import error_summary, select

pytestmark = pytest.mark.django_db


def url(name, organisation, **kwargs):
    return reverse(f"operating_model:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


@pytest.fixture
def viewer(client, demo):
    client.login(username="demo-viewer", password=DEMO_PASSWORD)
    return client


def versions(demo):
    adopted = TomVersion.objects.get(organisation=demo, status=VersionStatus.ADOPTED)
    draft = TomVersion.objects.get(organisation=demo, status=VersionStatus.DRAFT)
    return adopted, draft


def test_the_demo_has_an_adopted_tom_a_draft_and_principles(demo) -> None:
    adopted, draft = versions(demo)
    assert draft.based_on == adopted
    assert adopted.decision_reference.startswith("Executive")
    principles = adopted.principle_set.principles.all()
    assert [p.name for p in principles] == [
        "Value-driven",
        "Enabling",
        "Accountable",
        "Community-led",
        "Collaborative",
        "Innovative",
    ]
    assert all(p.considerations.count() == 3 for p in principles)


def test_the_demo_loads_twice_without_duplicates(demo) -> None:
    counts = (
        TomVersion.objects.count(),
        Component.objects.count(),
        Statement.objects.count(),
        PrincipleSet.objects.count(),
        ThreadItem.objects.count(),
    )
    demo_load(password=DEMO_PASSWORD)
    assert counts == (
        TomVersion.objects.count(),
        Component.objects.count(),
        Statement.objects.count(),
        PrincipleSet.objects.count(),
        ThreadItem.objects.count(),
    )


def test_tom_on_a_page_shows_vision_principles_and_components(viewer, demo) -> None:
    adopted, _ = versions(demo)
    page = viewer.get(url("version_page", demo, version_id=adopted.pk))
    assert select(page, "main p.govuk-body-l") == ["A borough where everyone can thrive"]
    principles = select(page, ".gt-tom-principles dt")
    assert {"Value-driven", "Community-led"} <= set(principles)
    components = select(page, "main table tbody th[scope=row]")
    assert len(components) == 12
    owners = select(page, "main table tbody td:last-child")
    assert "Head of Customer Services" in owners


def test_the_comparison_page_marks_changes_accessibly(viewer, demo) -> None:
    _, draft = versions(demo)
    page = viewer.get(url("version_compare", demo, version_id=draft.pk))
    assert "Reworded" in select(page, "main table tbody td:first-child .govuk-tag")
    # Screen readers hear what was added: the mark is in visually hidden text.
    assert select(page, "ins.gt-diff-ins .govuk-visually-hidden")[0] == "[added:"
    headings = select(page, "main section h2")
    assert "Partnership working Component added" in headings
    changes = select(page, "main section ul.govuk-list li")
    assert "Renamed from “Channels” to “Channels and access”." in changes
    assert "Level of change moved from medium to high." in changes


def test_the_export_holds_the_whole_tom(viewer, demo) -> None:
    adopted, _ = versions(demo)
    response = viewer.get(url("version_export", demo, version_id=adopted.pk))
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == [
        "About this file",
        "Components",
        "Statements",
        "Delivered by",
        "Principles",
        "Considerations",
        "Golden thread",
    ]
    assert len(book.get_sheet_by_name("Components").to_python()) == 13
    assert len(book.get_sheet_by_name("Considerations").to_python()) == 19
    thread = book.get_sheet_by_name("Golden thread").to_python()
    assert thread[1][0] == "Vision"
    about = dict(book.get_sheet_by_name("About this file").to_python())
    assert about["File"] == f"TOM version {adopted.number}"
    assert about["Organisation"] == demo.name
    assert about["Title"] == adopted.title
    assert about["Status"] == adopted.get_status_display()
    assert about["Exported by"].endswith("(demo-viewer)")
    filename = f"{demo.slug}-tom-version-{adopted.number}"
    if adopted.approved_on:
        filename += f"-{adopted.approved_on.isoformat()}"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}.xlsx"'
    # What delivers each component, named through the links kit.
    delivered = book.get_sheet_by_name("Delivered by").to_python()
    assert delivered[0] == ["Component", "Kind", "Record type", "Record", "Note"]
    assert [
        "Channels",
        "Objective",
        "golden-thread item",
        "One front door for every resident request",
        "Digital first, phone for those who need it",
    ] in delivered


def test_viewers_see_no_editing_buttons(viewer, demo) -> None:
    _, draft = versions(demo)
    page = viewer.get(url("version_detail", demo, version_id=draft.pk))
    assert select(page, "main .govuk-button") == []
    viewer.login(username="demo-editor", password=DEMO_PASSWORD)
    page = viewer.get(url("version_detail", demo, version_id=draft.pk))
    assert "Add a component" in select(page, "main .govuk-button")


#: Queries of each page: the same with the demo's records and with 24 more
#: principle sets and statements (an N+1 would show as a difference).
#: A list shown beside a page's subject is counted and sliced (two queries), and
#: the sets of principles are a paged kit table: none grows with the register.
PAGE_QUERIES = {
    "tom_home": 7,
    "version_detail": 8,
    "version_page": 14,
    "version_compare": 11,
    "principle_set_list": 7,
}


@pytest.mark.parametrize("extra", [0, 24])
@pytest.mark.parametrize("name", sorted(PAGE_QUERIES))
def test_pages_use_a_fixed_number_of_queries(viewer, demo, name, extra, django_assert_num_queries):
    _, draft = versions(demo)
    component = draft.components.order_by("position").first()
    for n in range(extra):
        services.principle_set_create(organisation=demo, name=f"Principles {n}")
        services.statement_create(component=component, text=f"Statement {n}")
    kwargs = {} if name in {"tom_home", "principle_set_list"} else {"version_id": draft.pk}
    with django_assert_num_queries(PAGE_QUERIES[name]):
        assert viewer.get(url(name, demo, **kwargs)).status_code == 200


@pytest.mark.parametrize("template", PRINCIPLE_TEMPLATES, ids=lambda t: t.key)
def test_an_organisation_adopts_each_starter_template(demo, template) -> None:
    created = services.principle_set_create_from_template(organisation=demo, key=template.key)
    assert created.principles.count() == len(template.principles)


def test_starter_templates_follow_the_seed_councils() -> None:
    by_key = {t.key: t for t in PRINCIPLE_TEMPLATES}
    six = by_key["six-principles"]
    assert len(six.principles) == 6
    assert all(len(p.considerations) == 3 for p in six.principles)
    groups = {p.group for p in by_key["three-groups"].principles}
    assert groups == {
        "How we work for our borough",
        "How we work together as a council",
        "What this means for our structural design",
    }
    assert len(by_key["five-themes"].principles) == 5
    assert by_key["five-themes"].principles[0].name == "People and skills"


def test_editors_start_a_set_from_a_template_or_their_own(client, demo) -> None:
    client.login(username="demo-editor", password=DEMO_PASSWORD)
    response = client.post(url("principle_set_create", demo), {"start": "three-groups"})
    created = PrincipleSet.objects.get(organisation=demo, source="three-groups")
    assert response["Location"] == url("principle_set_detail", demo, set_id=created.pk)
    page = client.post(url("principle_set_create", demo), {"start": "own"})
    assert error_summary(page) == ["Enter a name for your own set of principles"]
    client.post(url("principle_set_create", demo), {"start": "own", "name": "Our own"})
    own = PrincipleSet.objects.get(organisation=demo, name="Our own")
    client.post(url("principle_create", demo, set_id=own.pk), {"name": "Open by default"})
    principle = own.principles.get()
    client.post(
        url("consideration_create", demo, principle_id=principle.pk),
        {"name": "Published data", "description": "Is the data published?"},
    )
    detail = client.get(url("principle_set_detail", demo, set_id=own.pk))
    assert "Open by default" in select(detail, "main h2, main h3")
    assert "Published data" in " ".join(select(detail, "main dt, main li, main td, main th"))


def test_a_set_in_use_cannot_be_deleted(demo) -> None:
    adopted, _ = versions(demo)
    with pytest.raises(Exception, match="used by 2 TOM versions"):
        services.principle_set_delete(principle_set=adopted.principle_set)
