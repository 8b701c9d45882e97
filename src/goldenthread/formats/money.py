"""Money shown to people: pounds with a thousands separator, pence only when there are any."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

__all__ = ["NO_AMOUNT", "known_total", "pounds"]

#: What a missing amount shows as.
NO_AMOUNT = "–"


def pounds(value: Decimal | int | float | str | None) -> str:
    """Format money as pounds with a thousands separator and pence when there are any.

    >>> pounds(Decimal("30000"))
    '£30,000'
    >>> pounds(Decimal("-1234.5"))
    '−£1,234.50'
    >>> pounds(None)
    '–'
    """
    if value is None or value == "":
        return NO_AMOUNT
    amount = Decimal(value)
    sign = "−" if amount < 0 else ""
    amount = abs(amount).quantize(Decimal("0.01"))
    text = f"{amount:,.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return f"{sign}£{text}"


def known_total(amounts: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the amounts that are known; ``None`` when none is (unknown is never £0).

    >>> known_total([Decimal("100.50"), None, Decimal("20")])
    Decimal('120.50')
    >>> known_total([None, None]) is None
    True
    """
    known = [amount for amount in amounts if amount is not None]
    return sum(known, Decimal(0)) if known else None
