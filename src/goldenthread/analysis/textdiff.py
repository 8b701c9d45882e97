"""Compare two versions of a document made of statements: what was added, removed or reworded.

A revised version of a Target Operating Model starts as a copy of the adopted
one, and each copied statement keeps a pointer to the statement it came from
(its *lineage*). Matching by lineage is exact: a statement whose words changed
is *reworded*, not removed and added again. Statements without a lineage are
*added*; baseline statements that nothing points to any more are *removed*.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Change",
    "Entry",
    "Match",
    "Segment",
    "SegmentKind",
    "match_entries",
    "word_diff",
]

_TOKENS = re.compile(r"\s+|[^\s]+")


class SegmentKind(StrEnum):
    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class Segment:
    """A run of text that is the same in both versions, or only in one."""

    kind: SegmentKind
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """The word-level difference between ``old`` and ``new``.

    Whitespace is kept, so joining the ``same`` and ``added`` segments gives
    ``new`` back, and joining ``same`` and ``removed`` gives ``old``.

    Parameters
    ----------
    old, new : str
        The baseline text and the revised text.

    Returns
    -------
    list of Segment
        Adjacent segments of the same kind are merged.

    Examples
    --------
    >>> [(s.kind.value, s.text) for s in word_diff("one doorway to services",
    ...                                            "one digital doorway to all services")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('same', 'one'), ('added', ' digital'), ('same', ' doorway to '), ('added', 'all '),
     ('same', 'services')]
    >>> word_diff("same", "same")[0].kind.value
    'same'
    >>> word_diff("", "")
    []
    """
    before = _TOKENS.findall(old)
    after = _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    segments: list[Segment] = []

    def push(kind: SegmentKind, tokens: Sequence[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1].kind is kind:
            segments[-1] = Segment(kind, segments[-1].text + text)
        else:
            segments.append(Segment(kind, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push(SegmentKind.SAME, before[i1:i2])
        else:
            push(SegmentKind.REMOVED, before[i1:i2])
            push(SegmentKind.ADDED, after[j1:j2])
    return segments


class Change(StrEnum):
    UNCHANGED = "unchanged"
    REWORDED = "reworded"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class Entry:
    """One statement: its own key, the key of the baseline statement it came from, its text."""

    key: Hashable
    text: str
    baseline: Hashable | None = None


@dataclass(frozen=True)
class Match:
    """A statement of either version and how it changed against the baseline."""

    change: Change
    baseline: Entry | None
    revised: Entry | None

    def diff(self) -> list[Segment]:
        """The word-level difference (all ``same`` when unchanged)."""
        return word_diff(
            self.baseline.text if self.baseline else "",
            self.revised.text if self.revised else "",
        )


def match_entries(baseline: Sequence[Entry], revised: Sequence[Entry]) -> list[Match]:
    """Match the revised statements to the baseline by lineage.

    Parameters
    ----------
    baseline : sequence of Entry
        The statements of the adopted version, in order.
    revised : sequence of Entry
        The statements of the new version, in order; ``baseline`` names the
        key of the baseline statement each was copied from, if any.

    Returns
    -------
    list of Match
        The revised statements in their order, each followed by nothing: the
        removed baseline statements come last, in baseline order. A revised
        statement whose lineage points outside ``baseline`` counts as added.

    Examples
    --------
    >>> base = [Entry(1, "One doorway"), Entry(2, "Tell us once"), Entry(3, "Paper forms")]
    >>> new = [Entry(10, "One doorway", 1), Entry(11, "Tell us only once", 2),
    ...        Entry(12, "Track every request")]
    >>> [m.change.value for m in match_entries(base, new)]
    ['unchanged', 'reworded', 'added', 'removed']
    """
    by_key = {entry.key: entry for entry in baseline}
    used: set[Hashable] = set()
    matches: list[Match] = []
    for entry in revised:
        origin = by_key.get(entry.baseline) if entry.baseline is not None else None
        if origin is None or origin.key in used:
            matches.append(Match(Change.ADDED, None, entry))
            continue
        used.add(origin.key)
        same = _normalise(origin.text) == _normalise(entry.text)
        matches.append(Match(Change.UNCHANGED if same else Change.REWORDED, origin, entry))
    for entry in baseline:
        if entry.key not in used:
            matches.append(Match(Change.REMOVED, entry, None))
    return matches


def _normalise(text: str) -> str:
    """Text compared without regard to runs of whitespace.

    >>> _normalise("  a   b ")
    'a b'
    """
    return " ".join(text.split())
