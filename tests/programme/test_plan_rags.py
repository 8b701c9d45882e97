"""An action's RAG reads the same on every page: one tag colour and one word for each rating."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from goldenthread.programme.models import ActionStatus, Rag
from goldenthread.programme.plan import rags
from goldenthread.programme.plan.registrations import action_detail_words
from goldenthread.programme.plan.tables import rag_tag
from goldenthread.programme.rag import presenting
from tests.factories import OrganisationFactory
from tests.html import parse, text
from tests.programme.factories import make_action, make_programme

pytestmark = pytest.mark.django_db

COLOURS = [
    (Rag.RED, "govuk-tag--red", "Red"),
    (Rag.AMBER, "govuk-tag--orange", "Amber"),
    (Rag.GREEN, "govuk-tag--green", "Green"),
    (Rag.BLUE, "govuk-tag--blue", "Complete"),
    ("", "govuk-tag--grey", "Not rated"),
]


@pytest.mark.parametrize(("rag", "tag", "words"), COLOURS)
def test_every_part_shows_a_rag_in_one_colour_and_word(rag, tag, words) -> None:
    programme = make_programme(OrganisationFactory())
    action = make_action(programme, rag=rag, status=ActionStatus.IN_PROGRESS)
    register = str(rag_tag(action))
    assert tag in parse(register).select_one(".govuk-tag")["class"]
    assert text(register, ".govuk-tag") == words
    board = render_to_string("programme/overview/_rag_tag.html", {"rag": rag})
    assert tag in parse(board).select_one(".govuk-tag")["class"]
    assert text(board, ".govuk-tag") == words
    assert presenting.tag_class(rag) == rags.tag_class(rag) == tag
    assert presenting.label(rag) == words


def test_a_cancelled_action_is_not_rated_and_says_why() -> None:
    programme = make_programme(OrganisationFactory())
    action = make_action(programme, rag="", status=ActionStatus.CANCELLED)
    assert text(str(rag_tag(action)), ".govuk-tag") == "Not rated (cancelled)"
    html = render_to_string(
        "programme/overview/_rag_tag.html", {"rag": "", "status": ActionStatus.CANCELLED}
    )
    assert text(html, ".govuk-tag") == "Not rated (cancelled)"
    assert presenting.action_rag(action)["label"] == "Not rated (cancelled)"


def test_an_action_without_a_rag_is_not_rated_beside_its_title() -> None:
    programme = make_programme(OrganisationFactory())
    action = make_action(programme, rag="", status=ActionStatus.NOT_STARTED)
    assert action_detail_words(action) == "RAG not rated – Not started"
    action = make_action(programme, rag=Rag.AMBER, status=ActionStatus.IN_PROGRESS)
    assert action_detail_words(action) == "RAG amber – In progress"
