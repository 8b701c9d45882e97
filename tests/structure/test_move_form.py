"""The move form says whom the post reports to now, before a new manager is chosen."""

from __future__ import annotations

import pytest

from goldenthread.structure import services
from tests.factories import snapshot_of
from tests.html import texts
from tests.structure.test_pickers import POSTS, move_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(organisation):
    return services.scenario_create(snapshot=snapshot_of(organisation, POSTS), name="Option A")


@pytest.mark.parametrize(
    ("post_id", "shown"),
    [
        ("H1", "Director of People (D1)"),
        ("CX", "None: it is a top post"),
    ],
)
def test_the_move_form_shows_the_current_manager(
    editor, organisation, scenario, post_id, shown
) -> None:
    form = editor.get(move_url(organisation, scenario, post_id))
    assert texts(form, ".gt-current-manager dt") == ["Current manager"]
    assert texts(form, ".gt-current-manager dd") == [shown]
