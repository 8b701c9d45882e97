"""Counts shown to people in good English: "1 post", "3 posts", "2 Priorities"."""

from __future__ import annotations

__all__ = ["counted", "plural"]

#: Words whose plural does not follow the rules below.
IRREGULAR = {
    "person": "people",
    "staff": "staff",
    "analysis": "analyses",
    "criterion": "criteria",
    "child": "children",
}

_VOWELS = frozenset("aeiou")


def plural(noun: str) -> str:
    """The plural of an English noun or noun phrase (its last word made plural).

    The capital letter of a label is kept.

    >>> plural("post"), plural("Priority"), plural("Directorate"), plural("Service plan")
    ('posts', 'Priorities', 'Directorates', 'Service plans')
    >>> plural("day"), plural("box"), plural("match"), plural("person"), plural("analysis")
    ('days', 'boxes', 'matches', 'people', 'analyses')
    """
    head, space, last = noun.rpartition(" ")
    lower = last.lower()
    if lower in IRREGULAR:
        many = IRREGULAR[lower]
        if last[:1].isupper():
            many = many[:1].upper() + many[1:]
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        many = last + "es"
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in _VOWELS:
        many = last[:-1] + "ies"
    else:
        many = last + "s"
    return f"{head}{space}{many}"


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, the noun made plural unless the count is one.

    >>> counted(1, "post"), counted(4435, "post"), counted(0, "priority")
    ('1 post', '4,435 posts', '0 priorities')
    """
    return f"{count:,} {noun if count == 1 else plural(noun)}"
