"""The one-off cost of the redundancies a structure change implies.

Each filled post removed is costed at its grade's band when the organisation
has one, and at the flat cost per redundancy otherwise (seed 001 assumes
£30,000 a post). The estimate says which it used, grade by grade.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["BASIS_BANDS", "BASIS_FLAT", "GradeCost", "RedundancyEstimate", "redundancy_estimate"]

#: The estimate used the organisation's flat cost for every post.
BASIS_FLAT = "flat"
#: The estimate used the cost of each grade's band (and the flat cost for grades with none).
BASIS_BANDS = "bands"
#: How the estimate names posts with no grade.
NO_GRADE = "No grade"


@dataclass(frozen=True)
class GradeCost:
    """The posts of one grade in the estimate.

    Attributes
    ----------
    grade : str
        As the posts give it (or ``"No grade"``).
    posts : int
    cost_each : Decimal
        The band's cost, or the flat cost when ``banded`` is false.
    total : Decimal
        ``posts * cost_each``.
    banded : bool
        Whether the grade has a band.
    """

    grade: str
    posts: int
    cost_each: Decimal
    total: Decimal
    banded: bool


@dataclass(frozen=True)
class RedundancyEstimate:
    """The redundancy estimate and how it was made.

    Attributes
    ----------
    basis : str
        ``"flat"`` when no band was given, else ``"bands"``.
    posts : int
        Filled posts removed.
    flat : Decimal
        The flat cost per redundancy, applied to grades with no band.
    total : Decimal
    by_grade : tuple of GradeCost
        One line per grade, in grade order (empty for a flat estimate).
    unbanded : int
        Posts costed at the flat amount because their grade has no band.
    """

    basis: str
    posts: int
    flat: Decimal
    total: Decimal
    by_grade: tuple[GradeCost, ...]
    unbanded: int

    @property
    def unbanded_grades(self) -> tuple[str, ...]:
        """The grades with no band, costed at the flat amount."""
        return tuple(line.grade for line in self.by_grade if not line.banded)


def _key(grade: str) -> str:
    return grade.strip().casefold()


def redundancy_estimate(
    grades: Sequence[str],
    *,
    flat: Decimal,
    bands: Iterable[tuple[str, Decimal]] = (),
) -> RedundancyEstimate:
    """Cost the redundancies of the filled posts removed, whose grades are ``grades``.

    Parameters
    ----------
    grades : sequence of str
        The grade of each filled post removed ("" for none).
    flat : Decimal
        The cost of one redundancy where no band applies.
    bands : iterable of (grade, cost)
        The organisation's bands; grades match whatever their case and
        surrounding spaces.

    Examples
    --------
    Without bands, every post costs the flat amount:

    >>> e = redundancy_estimate(["PO1", "PO1", "SM2"], flat=Decimal("30000"))
    >>> e.basis, e.posts, e.total
    ('flat', 3, Decimal('90000'))

    With a band for PO1 only, SM2 falls back to the flat amount:

    >>> e = redundancy_estimate(
    ...     ["PO1", "po1 ", "SM2", ""], flat=Decimal("30000"),
    ...     bands=[("PO1", Decimal("18500.00"))])
    >>> e.basis, e.total, e.unbanded, e.unbanded_grades
    ('bands', Decimal('97000.00'), 2, ('No grade', 'SM2'))
    >>> for g in e.by_grade:
    ...     print(g.grade, g.posts, g.cost_each, g.banded)
    No grade 1 30000 False
    PO1 2 18500.00 True
    SM2 1 30000 False
    """
    band_of = {_key(grade): (grade.strip(), Decimal(cost)) for grade, cost in bands}
    if not band_of:
        return RedundancyEstimate(
            basis=BASIS_FLAT,
            posts=len(grades),
            flat=flat,
            total=flat * len(grades),
            by_grade=(),
            unbanded=len(grades),
        )
    counts: dict[str, tuple[str, int]] = {}
    for grade in grades:
        key = _key(grade)
        name = band_of[key][0] if key in band_of else (grade.strip() or NO_GRADE)
        counts[key] = (name, counts.get(key, (name, 0))[1] + 1)
    lines = []
    for key, (name, posts) in sorted(counts.items(), key=lambda item: item[1][0].casefold()):
        banded = key in band_of
        each = band_of[key][1] if banded else flat
        lines.append(GradeCost(name, posts, each, each * posts, banded))
    return RedundancyEstimate(
        basis=BASIS_BANDS,
        posts=len(grades),
        flat=flat,
        total=sum((line.total for line in lines), Decimal(0)),
        by_grade=tuple(lines),
        unbanded=sum(line.posts for line in lines if not line.banded),
    )
