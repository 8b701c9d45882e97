"""The baseline comparison shows each replaced word apart from its replacement."""

from __future__ import annotations

from goldenthread.analysis.textdiff import Change, Entry, Match
from goldenthread.operating_model.templatetags.tom import word_diff
from tests.html import normalise, parse


def _cell(old: str, new: str):
    match = Match(Change.REWORDED, Entry(1, old), Entry(2, new, 1))
    return parse(f"<div>{word_diff(match)}</div>")


def test_a_replaced_word_and_its_replacement_are_separated_and_marked() -> None:
    cell = _cell("Fill in paper forms", "Fill in digital forms")
    assert [normalise(d.get_text()) for d in cell.select("del.gt-diff-del")] == ["[removed: paper]"]
    assert [normalise(i.get_text()) for i in cell.select("ins.gt-diff-ins")] == ["[added: digital]"]
    # Without the marks a reader sees "paper digital", not "paperdigital".
    for hidden in cell.select(".govuk-visually-hidden"):
        hidden.decompose()
    assert cell.get_text() == "Fill in paper digital forms"


def test_added_words_keep_their_own_spaces() -> None:
    cell = _cell("one doorway to services", "one digital doorway to services")
    for hidden in cell.select(".govuk-visually-hidden"):
        hidden.decompose()
    assert cell.get_text() == "one digital doorway to services"
