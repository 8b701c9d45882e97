"""Risk scoring on a 5×5 matrix: a score from likelihood and impact, its band, its review cycle.

An organisation may draw its own matrix (``matrix[likelihood - 1][impact - 1]``)
or leave it empty for likelihood × impact; it names bands of score, each with
how often a risk in it is reviewed. The bands must cover every score from 1 to
25 once.

>>> score(4, 5)
20
>>> bands = [Band("Low", 1, 4, 180), Band("Medium", 5, 11, 90), Band("High", 12, 25, 30)]
>>> band_of(bands, score(3, 4)).name, review_days(bands, 12, default=30)
('High', 30)
>>> band_gap(bands) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "HIGHEST",
    "LOWEST",
    "SCALE",
    "TOP_SCORE",
    "Band",
    "BandProblem",
    "band_gap",
    "band_of",
    "review_days",
    "score",
]

#: Likelihood and impact are each scored from 1 to 5.
LOWEST, HIGHEST = 1, 5
SCALE = range(LOWEST, HIGHEST + 1)
#: The highest score on a 5×5 matrix, and so the top of the last band.
TOP_SCORE = HIGHEST * HIGHEST


@dataclass(frozen=True)
class Band:
    """A band of scores, both ends included, and the days between reviews of a risk in it."""

    name: str
    low: int
    high: int
    review_days: int | None = None


@dataclass(frozen=True)
class BandProblem:
    """What is wrong with a list of bands: the band (from 0) and which end, in words."""

    index: int
    end: str
    message: str


def score(likelihood: int, impact: int, matrix: Sequence[Sequence[int]] = ()) -> int:
    """The score of ``likelihood`` and ``impact``: from the matrix, else their product.

    >>> score(2, 3), score(2, 3, [[1] * 5, [1, 2, 9, 4, 5]] + [[1] * 5] * 3)
    (6, 9)
    """
    if matrix:
        return int(matrix[likelihood - 1][impact - 1])
    return likelihood * impact


def band_of(bands: Sequence[Band], value: int) -> Band | None:
    """The band ``value`` falls in, or ``None``.

    >>> band_of([Band("Low", 1, 4)], 5) is None
    True
    """
    for band in bands:
        if band.low <= value <= band.high:
            return band
    return None


def review_days(bands: Sequence[Band], value: int, *, default: int) -> int:
    """Days between reviews of a risk scoring ``value``: its band's, else ``default``.

    >>> review_days([Band("Low", 1, 25, None)], 3, default=30)
    30
    """
    band = band_of(bands, value)
    if band is not None and band.review_days:
        return band.review_days
    return default


def band_gap(bands: Sequence[Band]) -> BandProblem | None:
    """The first thing that stops ``bands`` covering 1 to 25 once, lowest first; else ``None``.

    >>> band_gap([Band("Low", 1, 4), Band("High", 6, 25)]).message
    'starts at 6; expected 5, the score after the band before it'
    >>> band_gap([Band("Low", 1, 4), Band("High", 5, 20)]).message
    'ends at 20; expected the last band to end at 25'
    >>> band_gap([Band("Low", 2, 25)]).message
    'starts at 2; expected the first band to start at 1'
    >>> band_gap([Band("Low", 1, 4), Band("Odd", 5, 3)]).message
    'ends at 3, before it starts'
    """
    if not bands:
        return BandProblem(0, "from", "expected at least one band")
    expected = LOWEST
    for index, band in enumerate(bands):
        if band.low != expected:
            wanted = (
                "the first band to start at 1"
                if index == 0
                else f"{expected}, the score after the band before it"
            )
            return BandProblem(index, "from", f"starts at {band.low}; expected {wanted}")
        if band.high < band.low:
            return BandProblem(index, "to", f"ends at {band.high}, before it starts")
        expected = band.high + 1
    if expected - 1 != TOP_SCORE:
        return BandProblem(
            len(bands) - 1,
            "to",
            f"ends at {expected - 1}; expected the last band to end at {TOP_SCORE}",
        )
    return None
