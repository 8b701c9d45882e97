"""The post and unit pickers where post IDs and units were typed: move, add and bulk forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.kit import pickers
from goldenthread.structure import services
from goldenthread.structure.models import Post, ScenarioChange
from tests.factories import snapshot_of
from tests.html import page, texts
from tests.submitting import date_input

pytestmark = pytest.mark.django_db

POSTS = [
    ("CX", None, "Chief Executive", ""),
    ("D1", "CX", "Director of People", "People"),
    ("D2", "CX", "Director of Place", "Place"),
    ("H1", "D1", "Head of Care", "People / Care"),
    ("S1", "H1", "Care Officer", "People / Care"),
]


@pytest.fixture
def scenario(organisation):
    return services.scenario_create(snapshot=snapshot_of(organisation, POSTS), name="Option A")


def url(name, organisation, **kwargs):
    return reverse(f"structure:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def move_url(organisation, scenario, post_id):
    post = Post.objects.get(snapshot=scenario, post_id=post_id)
    return url("post_change", organisation, snapshot_id=scenario.pk, post_pk=post.pk) + "?kind=move"


WAVE = {"reason": "Care joins Place", **date_input("effective_date", "1/10/2025")}


def test_the_new_manager_is_picked_from_the_posts_with_their_managers(
    editor, organisation, scenario
):
    form = editor.get(move_url(organisation, scenario, "H1"))
    options = texts(form, "select#id_manager[data-gt-autocomplete] option")
    assert "D2: Director of Place – Place – manager: Chief Executive (CX)" in options
    refused = editor.post(move_url(organisation, scenario, "H1"), {"manager": "ZZ9", **WAVE})
    assert texts(refused, "#id_manager-error") == [
        "Error: "
        + pickers.NO_SUCH.format(
            noun="post",
            value="ZZ9",
            hint="enter the ID of a post in this structure, for example BBC-RES-0142",
        )
    ]
    # Typed by hand, in any case.
    done = editor.post(move_url(organisation, scenario, "H1"), {"manager": "d2", **WAVE})
    assert done.status_code == 302
    assert ScenarioChange.objects.get().after == {"H1": {"manager": "D2"}}


def test_a_large_structure_searches_on_the_server(editor, organisation, scenario, monkeypatch):
    monkeypatch.setattr(pickers, "SMALL_SET", 3)
    form = page(editor.get(move_url(organisation, scenario, "H1")))
    field = form.select_one("input#id_manager")
    search = reverse("pickers:search", kwargs={"org_slug": organisation.slug, "source": "posts"})
    assert field["data-gt-autocomplete-url"] == f"{search}?scope={scenario.pk}"
    assert form.select_one("input#id_manager-value")["type"] == "hidden"
    # The search is over the scenario's posts.
    found = editor.get(search, {"q": "director", "scope": scenario.pk}).json()
    assert [option["value"] for option in found] == ["D1", "D2"]


def test_a_unit_of_a_bulk_change_is_chosen_by_its_path(editor, organisation, scenario):
    form = editor.get(url("scenario_bulk", organisation, snapshot_id=scenario.pk))
    units = texts(form, "select#id_unit option")
    assert [label.rsplit(" (", 1)[0] for label in units[1:]] == [
        "People",
        "People / Care",
        "Place",
    ]
    done = editor.post(
        url("scenario_bulk", organisation, snapshot_id=scenario.pk),
        {"unit": "People / Care", "action": "move", "manager": "D2", **WAVE},
    )
    assert done.status_code == 302
    assert ScenarioChange.objects.get().description == "Moved the 2 posts of Care under D2"
    wrong = editor.post(
        url("scenario_bulk", organisation, snapshot_id=scenario.pk),
        {"unit": "Nowhere", "action": "move", "manager": "D2", **WAVE},
    )
    assert texts(wrong, "#id_unit-error")[0].startswith("Error: There is no unit 'Nowhere'")
