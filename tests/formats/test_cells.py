"""The neutralising rule: formula-looking text is written inert and read back unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.formats.cells import FORMULA_STARTS, neutralise, unneutralise

ATTACKS = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "@SUM(A1)",
    "-2+3",
    "\tcmd",
    "\r=1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_looking_text_gets_a_quote_in_front(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert unneutralise(neutralise(text)) == text


@pytest.mark.parametrize("text", ["People", "", "it's", "'quoted", "1-2", "a=b", "£5"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text
    assert unneutralise(text) == text


def test_text_that_already_starts_with_a_quote_survives_the_round_trip() -> None:
    assert neutralise("'=x") == "''=x"
    assert unneutralise("''=x") == "'=x"
    assert unneutralise("'=x") == "=x"


def test_a_hand_typed_formula_is_read_as_it_stands() -> None:
    # Only a quote the export added is taken off; text without it is not changed.
    assert unneutralise("-5") == "-5"


@given(st.text(alphabet=st.sampled_from(["'", "x", " ", *FORMULA_STARTS]), max_size=6))
def test_every_text_round_trips(text: str) -> None:
    written = neutralise(text)
    assert not written.startswith(FORMULA_STARTS)
    assert unneutralise(written) == text


@given(st.text())
def test_every_unicode_text_round_trips(text: str) -> None:
    assert unneutralise(neutralise(text)) == text
