"""Problems (and notes, and repairs) kept within bounds while a job finds them.

A hostile file can hold millions of bad rows. :class:`Findings` keeps the
first entries in full, counts every one, and counts them by kind, so the
memory a job uses and the JSON it stores do not grow with the file: the page
shows the first problems and, under them, how many of each kind there were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, SupportsIndex

__all__ = ["KIND_LIMIT", "OTHER_KINDS", "PROBLEM_LIMIT", "Findings", "kind_of"]

#: Entries kept in full; the count and the count by kind cover every one.
PROBLEM_LIMIT = 1000
#: Kinds counted apart; a file whose messages name their values could make a
#: new kind of every row, so the rest are counted together.
KIND_LIMIT = 50
OTHER_KINDS = "other problems"
#: Longest kind kept, in characters.
KIND_LENGTH = 200

# Quoted text and numbers (row numbers, counts, codes' digits) vary from entry
# to entry; the rest of a message says what kind of problem it is.
_VARIABLE = re.compile(r"'[^']*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”|\d[\d,.]*")


def kind_of(message: str) -> str:
    """The kind of a problem: its message with the parts that vary left out.

    >>> kind_of("this has 212 characters; expected at most 200")
    'this has … characters; expected at most …'
    >>> kind_of("this cell is blank; expected a unit code")
    'this cell is blank; expected a unit code'
    >>> kind_of("the column 'Cost centre' is not one this import reads")
    'the column … is not one this import reads'
    """
    return _VARIABLE.sub("…", message)[:KIND_LENGTH]


class Findings(list[dict[str, Any]]):
    """The first :data:`PROBLEM_LIMIT` entries, the count of all, and the count by kind.

    It is a list of the kept entries (so it is stored as JSON as it is), whose
    ``append`` and ``extend`` count every entry and keep only the first ones.

    >>> findings = Findings(limit=2)
    >>> findings.extend({"message": f"row {n} is blank"} for n in range(5))
    >>> len(findings), findings.total, findings.summary()
    (2, 5, [{'kind': 'row … is blank', 'example': 'row 0 is blank', 'count': 5}])
    >>> findings.more
    3
    """

    def __init__(
        self,
        entries: Iterable[dict[str, Any]] = (),
        *,
        limit: int = PROBLEM_LIMIT,
        kind_limit: int = KIND_LIMIT,
    ) -> None:
        super().__init__()
        self.limit = limit
        self.kind_limit = kind_limit
        self.total = 0
        self.kinds: dict[str, int] = {}
        #: The first message of each kind, as it was written: what the pages show.
        self.examples: dict[str, str] = {}
        self.extend(entries)

    def append(self, entry: dict[str, Any]) -> None:
        self.add(entry)

    def add(self, entry: dict[str, Any], kind: str | None = None) -> None:
        """Count ``entry`` under ``kind`` (else its message without its values); keep it if room."""
        self.total += 1
        message = str(entry.get("message", ""))
        kind = (kind or kind_of(message))[:KIND_LENGTH]
        if kind not in self.kinds and len(self.kinds) >= self.kind_limit:
            kind = OTHER_KINDS
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        self.examples.setdefault(kind, OTHER_KINDS if kind == OTHER_KINDS else message)
        if len(self) < self.limit:
            super().append(entry)

    def extend(self, entries: Iterable[dict[str, Any]]) -> None:
        for entry in entries:
            self.append(entry)

    def insert(self, index: SupportsIndex, entry: dict[str, Any]) -> None:
        self.append(entry)

    def __iadd__(self, entries: Iterable[dict[str, Any]]) -> Findings:  # type: ignore[override,misc]
        self.extend(entries)
        return self

    def absorb(self, other: Findings) -> None:
        """Take in another's entries, counts and kinds (the counts stay exact)."""
        for entry in other:
            if len(self) < self.limit:
                super().append(entry)
        self.total += other.total
        for kind, count in other.kinds.items():
            example = other.examples.get(kind, kind)
            if kind not in self.kinds and len(self.kinds) >= self.kind_limit:
                kind, example = OTHER_KINDS, OTHER_KINDS
            self.kinds[kind] = self.kinds.get(kind, 0) + count
            self.examples.setdefault(kind, example)

    @property
    def more(self) -> int:
        """How many were counted but not kept."""
        return self.total - len(self)

    def summary(self) -> list[dict[str, Any]]:
        """Each kind with its count and its first message, the most frequent first:
        ``[{"kind", "example", "count"}]``. The pages show the example, which reads
        as written (``UTF-8`` keeps its digit); the kind only groups."""
        ranked = sorted(self.kinds.items(), key=lambda item: (-item[1], item[0]))
        return [
            {"kind": kind, "example": self.examples.get(kind, kind), "count": count}
            for kind, count in ranked
        ]
