"""Design rules for spans and layers, and the money helpers shared by the engine."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

import numpy as np
import numpy.typing as npt

__all__ = ["DEFAULT_RULES", "PENCE", "DesignRules", "in_pounds", "pence", "pounds"]

PENCE = Decimal("0.01")
_WIDE = Context(prec=400)


def pounds(value: float | None) -> Decimal | None:
    """A float amount of pounds as a Decimal quantised to pence; NaN is unknown.

    Examples
    --------
    >>> pounds(97499.5)
    Decimal('97499.50')
    >>> pounds(1_846_487.876)
    Decimal('1846487.88')
    >>> pounds(float("nan")) is None
    True
    >>> pounds(1e30)
    Decimal('1000000000000000000000000000000.00')
    >>> pounds(float("inf"))
    Traceback (most recent call last):
    ...
    ValueError: an amount of money must be finite, not inf
    """
    if value is None or math.isnan(value):
        return None
    if math.isinf(value):
        raise ValueError(f"an amount of money must be finite, not {value}")
    # Enough digits for the largest float to pence, whatever the context holds.
    return Decimal(repr(float(value))).quantize(PENCE, rounding=ROUND_HALF_UP, context=_WIDE)


def pence(values: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Amounts in pounds as whole pence, half a penny rounded away from zero; NaN as 0.

    Every sum of money in the engine adds these whole pence, so a total is the
    sum of the figures shown for its parts, in whatever order they are added.

    An amount is rounded as it is written (its shortest decimal form), as
    :func:`pounds` rounds it, so 1.005 is 101 pence although the float is a
    hair below 1.005:

    >>> pence([1.005, -2.5, 0.125, -0.005, float("nan")]).tolist()
    [101, -250, 13, -1, 0]
    """
    arr = np.asarray(values, dtype=np.float64).reshape(-1)
    known = np.where(np.isnan(arr), 0.0, arr)
    scaled = np.abs(known) * 100
    whole = np.floor(scaled + 0.5)
    # Within a hair of half a penny the float product may fall either side:
    # round those few as their decimal form says.
    near = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    for i in near:
        whole[i] = float(pounds(abs(float(known[i]))) / PENCE)  # type: ignore[operator]
    return (np.sign(known) * whole).astype(np.int64)


def in_pounds(whole_pence: int | np.integer) -> Decimal:
    """Whole pence as a Decimal amount of pounds.

    >>> in_pounds(-65749850), in_pounds(0)
    (Decimal('-657498.50'), Decimal('0.00'))
    """
    return Decimal(int(whole_pence)) * PENCE


@dataclass(frozen=True)
class DesignRules:
    """The spans and layers a design aims for.

    Attributes
    ----------
    target_span_min, target_span_max : int
        The span of control a manager should have (inclusive). Managers below
        the minimum or above the maximum are reported.
    narrow_span_max : int
        A manager with at least one and at most this many direct reports has
        a *narrow* span (default 1-2).
    max_layers : int or None
        The most layers the structure should have; posts below that layer are
        reported. ``None`` means no limit.
    cost_per_redundancy : Decimal
        The one-off cost assumed for each post made redundant (default
        £30,000).
    redundancy_bands : tuple of (str, Decimal)
        The cost of a redundancy by grade, where the organisation has one;
        grades without a band cost ``cost_per_redundancy``.

    Examples
    --------
    >>> rules = DesignRules(target_span_min=6, target_span_max=10, max_layers=6)
    >>> rules.is_wide(12), rules.is_narrow(2), rules.is_narrow(0)
    (True, True, False)
    """

    target_span_min: int = 5
    target_span_max: int = 8
    narrow_span_max: int = 2
    max_layers: int | None = None
    cost_per_redundancy: Decimal = Decimal("30000")
    redundancy_bands: tuple[tuple[str, Decimal], ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.target_span_min <= self.target_span_max:
            raise ValueError("need 1 <= target_span_min <= target_span_max")
        if self.narrow_span_max < 0:
            raise ValueError("narrow_span_max must not be negative")
        if self.max_layers is not None and self.max_layers < 1:
            raise ValueError("max_layers must be at least 1")
        if self.cost_per_redundancy < 0:
            raise ValueError("cost_per_redundancy must not be negative")
        if any(cost < 0 for _, cost in self.redundancy_bands):
            raise ValueError("a redundancy band's cost must not be negative")

    def is_narrow(self, span: int) -> bool:
        """Whether a manager with ``span`` direct reports has a narrow span."""
        return 1 <= span <= self.narrow_span_max

    def is_wide(self, span: int) -> bool:
        """Whether ``span`` direct reports is above the target range."""
        return span > self.target_span_max


DEFAULT_RULES = DesignRules()
