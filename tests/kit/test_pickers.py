"""The pickers: search endpoints (capped, one organisation only) and the form field."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.core.models import UnitKind
from goldenthread.kit.pickers import LIMIT, NO_SUCH, NO_SUCH_SOURCE, PickerField
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member, snapshot_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


@pytest.fixture
def other():
    return OrganisationFactory(name="Eastmere District Council", slug="eastmere")


@pytest.fixture
def viewer(client, organisation):
    member(organisation, Role.VIEWER, username="vic")
    client.login(username="vic", password=PASSWORD)
    return client


def search(client, organisation, source, q="", **params):
    url = reverse("pickers:search", kwargs={"org_slug": organisation.slug, "source": source})
    return client.get(url, {"q": q, **params})


@pytest.fixture
def commissioning(organisation):
    people = UnitFactory(
        organisation=organisation, code="PEO", name="People", kind=UnitKind.DIRECTORATE
    )
    place = UnitFactory(
        organisation=organisation, code="PLA", name="Place", kind=UnitKind.DIRECTORATE
    )
    UnitFactory(organisation=organisation, code="PEO-COM", name="Commissioning", parent=people)
    UnitFactory(organisation=organisation, code="PLA-COM", name="Commissioning", parent=place)
    return people, place


def test_two_units_of_the_same_name_are_told_apart_by_their_paths(
    viewer, organisation, commissioning
):
    response = search(viewer, organisation, "units", "commissioning")
    assert response.status_code == 200
    assert response.json() == [
        {"value": str(u.pk), "label": label}
        for u, label in zip(
            sorted(organisation.units.filter(name="Commissioning"), key=lambda u: u.parent.name),
            ["People / Commissioning (PEO-COM)", "Place / Commissioning (PLA-COM)"],
            strict=True,
        )
    ]
    only_place = search(viewer, organisation, "units", "place comm").json()
    assert [option["label"] for option in only_place] == ["Place / Commissioning (PLA-COM)"]


def test_a_search_answers_at_most_the_limit(viewer, organisation):
    for n in range(LIMIT + 10):
        UnitFactory(organisation=organisation, code=f"T{n:02d}", name=f"Team {n:02d}")
    options = search(viewer, organisation, "units", "team").json()
    assert len(options) == LIMIT
    assert options[0]["label"] == "Team 00 (T00)"


def test_another_organisations_records_are_never_returned(viewer, organisation, other):
    UnitFactory(organisation=organisation, code="RES", name="Resources")
    UnitFactory(organisation=other, code="RES", name="Resources shared")
    theirs = snapshot_of(other, [("E1", None, "Chief Executive", "Resources")])
    labels = [o["label"] for o in search(viewer, organisation, "units", "resources").json()]
    assert labels == ["Resources (RES)"]
    # Their snapshot's id, given as the scope, finds nothing here.
    assert search(viewer, organisation, "posts", "E1", scope=theirs.pk).json() == []
    # And their search address answers 404 to a member of this organisation only.
    assert search(viewer, other, "units", "resources").status_code == 404


def test_only_members_search(client, organisation):
    assert search(client, organisation, "units").status_code == 302


def test_an_unknown_picker_answers_404(viewer, organisation):
    response = search(viewer, organisation, "spreadsheets")
    assert response.status_code == 404
    assert response.json() == {"error": NO_SUCH_SOURCE.format(key="spreadsheets")}


POSTS = [
    ("CX", None, "Chief Executive", ""),
    ("D1", "CX", "Director of People", "People"),
    ("H1", "D1", "Head of Commissioning", "People / Commissioning"),
    ("S1", "H1", "Commissioning Officer", "People / Commissioning"),
]


def test_posts_are_found_by_id_title_or_unit_and_show_their_manager(viewer, organisation):
    snapshot = snapshot_of(organisation, POSTS)
    by_id = search(viewer, organisation, "posts", "s1", scope=snapshot.pk).json()
    assert by_id == [
        {
            "value": "S1",
            "label": "S1: Commissioning Officer – People / Commissioning – "
            "manager: Head of Commissioning (H1)",
        }
    ]
    by_title = search(viewer, organisation, "posts", "director", scope=snapshot.pk).json()
    assert [o["value"] for o in by_title] == ["D1"]
    by_unit = search(viewer, organisation, "posts", "commissioning", scope=snapshot.pk).json()
    assert [o["value"] for o in by_unit] == ["H1", "S1"]
    top = search(viewer, organisation, "posts", "CX", scope=snapshot.pk).json()
    assert top[0]["label"].endswith("top post")


# The form field -----------------------------------------------------------------------


def form_with(organisation, **options):
    class ManagerForm(forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["manager"] = PickerField(organisation=organisation, **options)

    return ManagerForm


def test_a_small_set_is_a_select_the_script_enhances(organisation, commissioning):
    form = form_with(organisation, source="units")()
    html = str(form["manager"])
    assert "<select" in html and "data-gt-autocomplete" in html
    assert "People / Commissioning (PEO-COM)" in html


def test_a_large_set_searches_on_the_server_and_takes_a_typed_id(organisation):
    snapshot = snapshot_of(organisation, POSTS)
    form_class = form_with(organisation, source="posts", scope=snapshot.pk, small_set=2)
    html = str(form_class(initial={"manager": "H1"})["manager"])
    url = reverse("pickers:search", kwargs={"org_slug": organisation.slug, "source": "posts"})
    assert f'data-gt-autocomplete-url="{url}?scope={snapshot.pk}"' in html
    assert 'type="hidden" name="manager-value" id="id_manager-value" value="H1"' in html
    assert 'value="H1: Head of Commissioning' in html
    # Without JavaScript: the ID typed in the text input, in any case.
    typed = form_class({"manager": "h1"})
    assert typed.is_valid() and typed.cleaned_data["manager"] == "H1"
    wrong = form_class({"manager": "ZZ9"})
    assert not wrong.is_valid()
    assert wrong.errors["manager"] == [
        NO_SUCH.format(
            noun="post",
            value="ZZ9",
            hint="enter the ID of a post in this structure, for example BBC-RES-0142",
        )
    ]


def test_the_chosen_value_wins_while_the_text_shows_its_label(organisation):
    snapshot = snapshot_of(organisation, POSTS)
    form_class = form_with(organisation, source="posts", scope=snapshot.pk, small_set=2)
    label = "D1: Director of People – People – manager: Chief Executive (CX)"
    chosen = form_class({"manager": label, "manager-value": "D1"})
    assert chosen.is_valid() and chosen.cleaned_data["manager"] == "D1"
    # Typed over after choosing: the typed ID is what is meant.
    retyped = form_class({"manager": "S1", "manager-value": "D1"})
    assert retyped.is_valid() and retyped.cleaned_data["manager"] == "S1"


def test_a_field_can_answer_the_record_and_be_left_empty(organisation, commissioning):
    people, _ = commissioning
    form_class = form_with(organisation, source="units", records=True, required=False)
    by_code = form_class({"manager": "PEO"})
    assert by_code.is_valid() and by_code.cleaned_data["manager"] == people
    empty = form_class({"manager": ""})
    assert empty.is_valid() and empty.cleaned_data["manager"] is None
