"""Confidence of delivery: a percentage, or low/medium/high turned into the organisation's.

A benefit holds either ``confidence_percent`` (0–100) or ``confidence_level``
(low, medium, high); the organisation's settings say what each level is worth
(``ProgrammeSettings.confidence_low`` and so on), so changing them re-weights
every benefit given by level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from goldenthread.programme.models import Confidence, ProgrammeSettings

BAD_CONFIDENCE = "Enter the confidence as a percentage from 0 to 100, or low, medium or high"
#: What the import says of a confidence it cannot read.
CONFIDENCE_EXPECTED = "a percentage from 0 to 100 (such as 70%), or low, medium or high"

_PERCENT = re.compile(r"(\d{1,3})\s*%?")
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Reading:
    """A confidence as typed: a percentage, or a level (never both); neither when blank."""

    percent: int | None = None
    level: str = ""


def read_confidence(text: str | None) -> Reading:
    """``"70%"``, ``"70"``, ``"Medium"`` or blank; ``ValueError`` for anything else.

    >>> read_confidence("70%")
    Reading(percent=70, level='')
    >>> read_confidence(" High "), read_confidence("")
    (Reading(percent=None, level='high'), Reading(percent=None, level=''))
    """
    cleaned = (text or "").strip().lower()
    if not cleaned:
        return Reading()
    if cleaned in Confidence.values:
        return Reading(level=cleaned)
    found = _PERCENT.fullmatch(cleaned)
    if found is None or int(found[1]) > 100:
        raise ValueError(BAD_CONFIDENCE)
    return Reading(percent=int(found[1]))


def level_percents(settings: ProgrammeSettings) -> dict[str, int]:
    """What each level is worth in this organisation."""
    return {
        Confidence.LOW: settings.confidence_low,
        Confidence.MEDIUM: settings.confidence_medium,
        Confidence.HIGH: settings.confidence_high,
    }


def effective_percent(percent: int | None, level: str, settings: ProgrammeSettings) -> int | None:
    """The percentage a benefit's confidence stands for, or ``None`` when it has none."""
    if percent is not None:
        return percent
    return level_percents(settings).get(level) if level else None


def confidence_text(percent: int | None, level: str) -> str:
    """The confidence as a file holds it: ``70%`` or ``medium``; blank for none."""
    if percent is not None:
        return f"{percent}%"
    return level


def confidence_shown(percent: int | None, level: str, settings: ProgrammeSettings) -> str:
    """Both ways at once: ``Medium (50%)``, or ``70%``; ``Not given`` for none."""
    if percent is not None:
        return f"{percent}%"
    if level:
        return f"{Confidence(level).label} ({level_percents(settings)[level]}%)"
    return "Not given"


def weighted(amount: Decimal, percent: int | None) -> Decimal:
    """``amount`` × confidence, to the penny; no confidence weighs nothing.

    >>> weighted(Decimal("12345.67"), 50)
    Decimal('6172.84')
    """
    if percent is None:
        return Decimal("0.00")
    return (amount * percent / 100).quantize(PENNY, rounding=ROUND_HALF_UP)
