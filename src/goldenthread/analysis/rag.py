"""Red, amber and green by thresholds: one engine for actions and for KPI tolerance bands.

A rule set names its measures. Each measure has an amber and a red threshold,
a direction (whether a higher value is worse or a lower one is) and says of
each threshold whether the value *at* it is inside the band (inclusive) or
only the values past it (exclusive). Assessing a set of measured values gives
the worst rating across the measures and, for each measure, a reason in plain
English that states the measured value and the band it falls in::

    Amber: forecast 18 days after the due date; amber is 1 to 30 days late.

Rules are plain data: :meth:`RuleSet.to_json` and :func:`rules_from_json`
write and read them (a programme keeps them in ``RagRuleSet.rules``), and
reading refuses rules that cannot be right with a :class:`RuleError` naming
the field at fault.

The measures of a programme's actions (:data:`ACTION_MEASURES`) are
slippage in whole days, milestones missed and overspend in per cent of the
budget; :func:`action_values` measures an action on a day and
:func:`assess_action` and :func:`forecast_action` rate it now and at the end
of the financial year.

Examples
--------
>>> rules = DEFAULT_ACTION_RULES
>>> result = rules.assess({"slippage": 18, "milestones": 0, "overspend": None})
>>> result.rating.value
'amber'
>>> print(result.reason)
Amber: forecast 18 days after the due date; amber is 1 to 30 days late.
>>> print(rules.assess({"slippage": -3}).reason)
Green: on track; forecast 3 days before the due date (amber from 1 day late).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from typing import Any

__all__ = [
    "ACTION_MEASURES",
    "DEFAULT_ACTION_RULES",
    "ActionFacts",
    "Assessment",
    "Direction",
    "Finding",
    "Measure",
    "MilestoneFacts",
    "Rating",
    "RuleError",
    "RuleSet",
    "Threshold",
    "Unit",
    "action_values",
    "assess_action",
    "financial_year_end",
    "forecast_action",
    "rules_from_json",
]

SCHEMA = 1

# Messages of the rules' validation; ``{field}`` is filled with the field at fault.
NOT_A_RULE_SET = "The rules must be an object with a list of measures"
UNKNOWN_UNIT = "{field}: the unit must be one of days, count, percent or number"
UNKNOWN_DIRECTION = "{field}: the direction must be higher_is_worse or lower_is_worse"
NOT_A_NUMBER = "{field}: enter a number"
NOT_WHOLE = "{field}: enter a whole number of {unit}"
NEGATIVE = "{field}: enter a number that is 0 or more"
NOT_A_FLAG = "{field}: inclusive must be true or false"
AMBER_NOT_BELOW_RED = "{field}: the amber band must sit below the red band"
AMBER_NOT_ABOVE_RED = "{field}: the amber band must sit above the red band (lower is worse)"
MISSING = "{field}: this is required"
DUPLICATE_MEASURE = "{field}: the measure {key} is named twice"
NO_LABEL = "{field}: give the measure a label"


class RuleError(ValueError):
    """Rules that cannot be right; ``field`` names the one at fault (``slippage.amber``)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Rating(enum.Enum):
    """A rating, ordered from best to worst by :attr:`severity`."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @property
    def label(self) -> str:
        return self.value.capitalize()


_SEVERITY = {Rating.GREEN: 0, Rating.AMBER: 1, Rating.RED: 2}


class Direction(enum.Enum):
    HIGHER_IS_WORSE = "higher_is_worse"
    LOWER_IS_WORSE = "lower_is_worse"


class Unit(enum.Enum):
    """What a measure counts: days and counts are whole and not negative."""

    DAYS = "days"
    COUNT = "count"
    PERCENT = "percent"
    NUMBER = "number"

    @property
    def whole(self) -> bool:
        return self in (Unit.DAYS, Unit.COUNT)

    @property
    def non_negative(self) -> bool:
        return self is not Unit.NUMBER


@dataclass(frozen=True)
class Threshold:
    """Where a band starts: ``inclusive`` means the value at the threshold is in the band."""

    value: Decimal
    inclusive: bool

    def reached_by(self, value: Decimal, direction: Direction) -> bool:
        """Whether ``value`` is at or past this threshold in the worse direction.

        >>> worse = Direction.HIGHER_IS_WORSE
        >>> Threshold(Decimal(30), inclusive=False).reached_by(Decimal(30), worse)
        False
        >>> Threshold(Decimal(30), inclusive=True).reached_by(Decimal(30), worse)
        True
        """
        if value == self.value:
            return self.inclusive
        if direction is Direction.HIGHER_IS_WORSE:
            return value > self.value
        return value < self.value


#: How a measure's value reads in a reason, and the word after its bands ("late").
ValueText = Callable[[Decimal], str]


@dataclass(frozen=True)
class Measure:
    """One measure of a rule set, with its two thresholds."""

    key: str
    label: str
    unit: Unit
    direction: Direction
    amber: Threshold
    red: Threshold
    enabled: bool = True

    def rate(self, value: Decimal) -> Rating:
        if self.red.reached_by(value, self.direction):
            return Rating.RED
        if self.amber.reached_by(value, self.direction):
            return Rating.AMBER
        return Rating.GREEN

    # -- words ---------------------------------------------------------------
    def _number(self, value: Decimal) -> str:
        text = _plain(value)
        return f"{text}%" if self.unit is Unit.PERCENT else text

    def _words(self, text: str, last: Decimal, plural: bool = False) -> str:
        """``text`` with the measure's noun after it ("1 to 30 days"), and its suffix."""
        one, many = _NOUNS.get(self.key, _UNIT_NOUNS[self.unit])
        noun = one if last == 1 and not plural else many
        words = f"{text} {noun}" if noun else text
        return f"{words} {_SUFFIX.get(self.key, '')}".rstrip()

    def band(self, rating: Rating) -> str:
        """The values of ``rating`` in words (worked out once for each measure and rating).

        >>> slippage, milestones, overspend = ACTION_MEASURES
        >>> [slippage.band(r) for r in (Rating.GREEN, Rating.AMBER, Rating.RED)]
        ['under 1 day late', '1 to 30 days late', 'over 30 days late']
        >>> [milestones.band(r) for r in (Rating.GREEN, Rating.AMBER, Rating.RED)]
        ['under 1 missed milestone', '1 missed milestone', '2 or more missed milestones']
        >>> [overspend.band(r) for r in (Rating.GREEN, Rating.AMBER, Rating.RED)]
        ['0% or less', 'over 0% up to 10%', 'over 10%']
        """
        return _band(self, rating)

    def band_text(self, rating: Rating) -> str:
        """:meth:`band`, worked out."""
        higher = self.direction is Direction.HIGHER_IS_WORSE
        a, r = self.amber, self.red
        n = self._number
        worse, better = ("over", "under") if higher else ("under", "over")
        most, least = ("or more", "or less") if higher else ("or less", "or more")
        if self.unit.whole:
            least = "or fewer" if higher else "or more"
            most = "or more" if higher else "or fewer"
        if rating is Rating.RED:
            text = f"{n(r.value)} {most}" if r.inclusive else f"{worse} {n(r.value)}"
            return self._words(text, r.value, plural=r.inclusive)
        if rating is Rating.GREEN:
            text = f"{better} {n(a.value)}" if a.inclusive else f"{n(a.value)} {least}"
            return self._words(text, a.value)
        if self.unit.whole:
            step = Decimal(1) if higher else Decimal(-1)
            first = a.value if a.inclusive else a.value + step
            last = r.value - step if r.inclusive else r.value
            if first == last:
                return self._words(n(first), first)
            join = "to" if higher else "down to"
            return self._words(f"{n(first)} {join} {n(last)}", last, plural=True)
        up = "up to" if higher else "down to"
        if a.inclusive and not r.inclusive:
            text = f"{n(a.value)} {'to' if higher else 'down to'} {n(r.value)}"
        elif not r.inclusive:
            text = f"{worse} {n(a.value)} {up} {n(r.value)}"
        elif a.inclusive:
            text = f"{n(a.value)} {most} and {better} {n(r.value)}"
        else:
            text = f"{worse} {n(a.value)} and {better} {n(r.value)}"
        return self._words(text, r.value, plural=True)

    def start(self, rating: Rating) -> str:
        """Where the band of ``rating`` starts, in words: "1 day late", "over 0%"."""
        threshold = self.red if rating is Rating.RED else self.amber
        higher = self.direction is Direction.HIGHER_IS_WORSE
        if threshold.inclusive:
            return self._words(self._number(threshold.value), threshold.value)
        word = "over" if higher else "under"
        return self._words(f"{word} {self._number(threshold.value)}", threshold.value)

    def rule(self, rating: Rating) -> str:
        """The rule for ``rating`` as a sentence: "Amber when the forecast completion is ..."."""
        lead, tail = _RULE_WORDS.get(self.key, (f"when {self.label_in_text} is", ""))
        band = self.band(rating)
        suffix = _SUFFIX.get(self.key, "")
        if suffix and band.endswith(f" {suffix}"):
            band = band[: -len(suffix) - 1]
        return f"{rating.label} {lead} {band}{tail}"

    @property
    def label_in_text(self) -> str:
        """The label within a sentence: its first word's capital dropped, acronyms kept.

        >>> replace(ACTION_MEASURES[2], label="KPI misses").label_in_text
        'KPI misses'
        >>> ACTION_MEASURES[2].label_in_text
        'overspend'
        """
        return in_text(self.label)

    def value_text(self, value: Decimal) -> str:
        describe = _VALUE_TEXT.get(self.key)
        if describe is not None:
            return describe(value)
        one, many = _NOUNS.get(self.key, _UNIT_NOUNS[self.unit])
        noun = one if value == 1 else many
        return f"{self.label_in_text} {self._number(value)} {noun}".rstrip()

    def reason(self, value: Decimal, text: str | None = None) -> str:
        """Why ``value`` rates as it does: the value and the band it is in.

        >>> print(ACTION_MEASURES[2].reason(Decimal("12.5")))
        Red: spend 12.5% over budget; red is over 10%.
        """
        rating = self.rate(value)
        what = text or self.value_text(value)
        return f"{rating.label}: {what}; {rating.value} is {self.band(rating)}."

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "unit": self.unit.value,
            "direction": self.direction.value,
            "amber": {"from": _json_number(self.amber.value), "inclusive": self.amber.inclusive},
            "red": {"from": _json_number(self.red.value), "inclusive": self.red.inclusive},
            "enabled": self.enabled,
        }


def in_text(label: str) -> str:
    """``label`` within a sentence: "Overspend" is "overspend", "KPI misses" stays.

    >>> in_text("Calls to the NHS"), in_text("KPI misses"), in_text("")
    ('calls to the NHS', 'KPI misses', '')
    """
    first = label.split(" ", 1)[0]
    if not first or any(c.isupper() for c in first[1:]):
        return label
    return label[0].lower() + label[1:]


@functools.cache
def _band(measure: Measure, rating: Rating) -> str:
    return measure.band_text(rating)


@dataclass(frozen=True)
class Finding:
    """One measure's value, its rating and why."""

    measure: Measure
    value: Decimal
    rating: Rating
    #: The value in words: "forecast 18 days after the due date".
    text: str
    reason: str


@dataclass(frozen=True)
class Assessment:
    """The worst rating across the measures, and each measure's finding."""

    rating: Rating
    findings: tuple[Finding, ...]

    @property
    def reason(self) -> str:
        """The reasons of the measures that are not green, worst first; or why it is green."""
        if self.rating is not Rating.GREEN:
            worst_first = sorted(self.findings, key=lambda f: -f.rating.severity)
            return " ".join(f.reason for f in worst_first if f.rating is not Rating.GREEN)
        if not self.findings:
            return "Green: on track; nothing to measure yet."
        parts = [
            f"{finding.text} (amber from {finding.measure.start(Rating.AMBER)})"
            for finding in self.findings
        ]
        return "Green: on track; " + "; ".join(parts) + "."


@dataclass(frozen=True)
class RuleSet:
    measures: tuple[Measure, ...]

    def measure(self, key: str) -> Measure | None:
        return next((m for m in self.measures if m.key == key), None)

    def assess(
        self,
        values: Mapping[str, Decimal | int | None],
        texts: Mapping[str, str] | None = None,
    ) -> Assessment:
        """Rate each enabled measure that has a value (``None`` is not measured).

        ``texts`` may say how a value reads instead of the measure's words
        ("still open 19 days after the due date").
        """
        findings = []
        for measure in self.measures:
            raw = values.get(measure.key)
            if raw is None or not measure.enabled:
                continue
            value = Decimal(raw)
            text = (texts or {}).get(measure.key) or measure.value_text(value)
            findings.append(
                Finding(measure, value, measure.rate(value), text, measure.reason(value, text))
            )
        worst = max((f.rating for f in findings), key=lambda r: r.severity, default=Rating.GREEN)
        return Assessment(worst, tuple(findings))

    def to_json(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "measures": [m.to_json() for m in self.measures]}

    def with_thresholds(self, key: str, **changes: Any) -> RuleSet:
        """A copy with one measure changed (``amber=Threshold(...)``, ``enabled=False``)."""
        return RuleSet(tuple(replace(m, **changes) if m.key == key else m for m in self.measures))


# -- reading rules -------------------------------------------------------------


def _json_number(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else _plain(value)


def _plain(value: Decimal) -> str:
    """A number as a person writes it: 30, 12.5, -3.

    >>> _plain(Decimal("12.50")), _plain(Decimal("30")), _plain(Decimal("1E+1"))
    ('12.5', '30', '10')
    """
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _number(raw: Any, field: str, unit: Unit) -> Decimal:
    if raw is None:
        raise RuleError(MISSING.format(field=field), field)
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise RuleError(NOT_A_NUMBER.format(field=field), field)
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise RuleError(NOT_A_NUMBER.format(field=field), field) from None
    if not value.is_finite():
        raise RuleError(NOT_A_NUMBER.format(field=field), field)
    if unit.whole and value != value.to_integral_value():
        raise RuleError(NOT_WHOLE.format(field=field, unit=unit.value), field)
    if unit.non_negative and value < 0:
        raise RuleError(NEGATIVE.format(field=field), field)
    return value


def _threshold(raw: Any, field: str, unit: Unit) -> Threshold:
    if not isinstance(raw, Mapping):
        raise RuleError(MISSING.format(field=field), field)
    inclusive = raw.get("inclusive")
    if not isinstance(inclusive, bool):
        raise RuleError(NOT_A_FLAG.format(field=f"{field}.inclusive"), f"{field}.inclusive")
    return Threshold(_number(raw.get("from"), field, unit), inclusive)


def _amber_empty(measure: Measure) -> bool:
    """Whether no value could be amber: the red band starts at or before the amber one."""
    a, r = measure.amber, measure.red
    if measure.unit.whole:
        step = 1 if measure.direction is Direction.HIGHER_IS_WORSE else -1
        first_amber = a.value if a.inclusive else a.value + step
        first_red = r.value if r.inclusive else r.value + step
        return first_amber == first_red or (first_red - first_amber) * step < 0
    if a.value == r.value:
        return not (a.inclusive and not r.inclusive)
    if measure.direction is Direction.HIGHER_IS_WORSE:
        return a.value > r.value
    return a.value < r.value


def _measure(raw: Any, index: int) -> Measure:
    if not isinstance(raw, Mapping):
        raise RuleError(MISSING.format(field=f"measures[{index}]"), f"measures[{index}]")
    key = raw.get("key")
    if not isinstance(key, str) or not key.strip():
        field = f"measures[{index}].key"
        raise RuleError(MISSING.format(field=field), field)
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        raise RuleError(NO_LABEL.format(field=f"{key}.label"), f"{key}.label")
    try:
        unit = Unit(raw.get("unit"))
    except ValueError:
        raise RuleError(UNKNOWN_UNIT.format(field=f"{key}.unit"), f"{key}.unit") from None
    try:
        direction = Direction(raw.get("direction"))
    except ValueError:
        field = f"{key}.direction"
        raise RuleError(UNKNOWN_DIRECTION.format(field=field), field) from None
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RuleError(NOT_A_FLAG.format(field=f"{key}.enabled"), f"{key}.enabled")
    measure = Measure(
        key=key,
        label=label.strip(),
        unit=unit,
        direction=direction,
        amber=_threshold(raw.get("amber"), f"{key}.amber", unit),
        red=_threshold(raw.get("red"), f"{key}.red", unit),
        enabled=enabled,
    )
    if _amber_empty(measure):
        message = (
            AMBER_NOT_BELOW_RED if direction is Direction.HIGHER_IS_WORSE else AMBER_NOT_ABOVE_RED
        )
        raise RuleError(message.format(field=f"{key}.amber"), f"{key}.amber")
    return measure


def rules_from_json(raw: Any) -> RuleSet:
    """Read rules written by :meth:`RuleSet.to_json`, refusing any that cannot be right.

    >>> rules_from_json(DEFAULT_ACTION_RULES.to_json()) == DEFAULT_ACTION_RULES
    True
    >>> bad = DEFAULT_ACTION_RULES.to_json()
    >>> bad["measures"][0]["amber"]["from"] = 40
    >>> rules_from_json(bad)
    Traceback (most recent call last):
    ...
    goldenthread.analysis.rag.RuleError: slippage.amber: the amber band must sit below the red band
    """
    if not isinstance(raw, Mapping) or not isinstance(raw.get("measures"), list):
        raise RuleError(NOT_A_RULE_SET, "measures")
    measures = []
    seen: set[str] = set()
    for index, item in enumerate(raw["measures"]):
        measure = _measure(item, index)
        if measure.key in seen:
            field = f"measures[{index}].key"
            raise RuleError(DUPLICATE_MEASURE.format(field=field, key=measure.key), field)
        seen.add(measure.key)
        measures.append(measure)
    return RuleSet(tuple(measures))


# -- the measures of an action -------------------------------------------------


def _days(value: Decimal) -> str:
    n = abs(int(value))
    return f"{n} day" if n == 1 else f"{n} days"


def _slippage_text(value: Decimal) -> str:
    if value > 0:
        return f"forecast {_days(value)} after the due date"
    if value < 0:
        return f"forecast {_days(value)} before the due date"
    return "forecast on the due date"


def _milestones_text(value: Decimal) -> str:
    n = int(value)
    if n == 0:
        return "no milestones missed"
    return "1 milestone missed" if n == 1 else f"{n} milestones missed"


def _overspend_text(value: Decimal) -> str:
    if value > 0:
        return f"spend {_plain(value)}% over budget"
    if value < 0:
        return f"spend {_plain(-value)}% under budget"
    return "spend exactly on budget"


_VALUE_TEXT: dict[str, ValueText] = {
    "slippage": _slippage_text,
    "milestones": _milestones_text,
    "overspend": _overspend_text,
}
#: The word after a measure's band ("1 to 30 days late").
_SUFFIX = {"slippage": "late"}
#: How a rule reads on the rules page: "Amber when the forecast completion is ...".
_RULE_WORDS = {
    "slippage": ("when the forecast completion is", " after the due date"),
    "milestones": ("at", ""),
    "overspend": ("when spend is", " over budget"),
}
_NOUNS = {"milestones": ("missed milestone", "missed milestones")}
_UNIT_NOUNS = {
    Unit.DAYS: ("day", "days"),
    Unit.COUNT: ("", ""),
    Unit.PERCENT: ("", ""),
    Unit.NUMBER: ("", ""),
}

#: The measures of an action, with the thresholds many councils use: slippage
#: of 1 to 30 days is amber and over 30 red; one missed milestone amber, two
#: or more red; any overspend up to 10% of the budget amber, over 10% red.
ACTION_MEASURES = (
    Measure(
        key="slippage",
        label="Slippage",
        unit=Unit.DAYS,
        direction=Direction.HIGHER_IS_WORSE,
        amber=Threshold(Decimal(1), inclusive=True),
        red=Threshold(Decimal(30), inclusive=False),
    ),
    Measure(
        key="milestones",
        label="Milestones missed",
        unit=Unit.COUNT,
        direction=Direction.HIGHER_IS_WORSE,
        amber=Threshold(Decimal(1), inclusive=True),
        red=Threshold(Decimal(2), inclusive=True),
    ),
    Measure(
        key="overspend",
        label="Overspend",
        unit=Unit.PERCENT,
        direction=Direction.HIGHER_IS_WORSE,
        amber=Threshold(Decimal(0), inclusive=False),
        red=Threshold(Decimal(10), inclusive=False),
    ),
)
DEFAULT_ACTION_RULES = RuleSet(ACTION_MEASURES)

# Action statuses as the programme stores them.
COMPLETE = "complete"
CANCELLED = "cancelled"
ON_HOLD = "on_hold"
#: Ratings beside red, amber and green: delivered, and not rated at all.
BLUE = "blue"
NONE = ""

PERCENT_PLACES = Decimal("0.1")


@dataclass(frozen=True)
class MilestoneFacts:
    due_on: dt.date
    #: "planned", "complete" or "cancelled"; only planned milestones can be missed.
    status: str


@dataclass(frozen=True)
class ActionFacts:
    status: str
    due_on: dt.date | None = None
    forecast_on: dt.date | None = None
    milestones: Sequence[MilestoneFacts] = field(default_factory=tuple)
    budget: Decimal | None = None
    spend: Decimal | None = None


@dataclass(frozen=True)
class ActionRating:
    """An action's rating: ``rag`` is red, amber, green, blue (complete) or "" (not rated)."""

    rag: str
    reason: str


def financial_year_end(on: dt.date) -> dt.date:
    """31 March of the financial year holding ``on``.

    >>> financial_year_end(dt.date(2026, 3, 31)), financial_year_end(dt.date(2026, 4, 1))
    (datetime.date(2026, 3, 31), datetime.date(2027, 3, 31))
    """
    year = on.year if on.month <= 3 else on.year + 1
    return dt.date(year, 3, 31)


def action_values(
    facts: ActionFacts, on: dt.date, *, today: dt.date | None = None
) -> tuple[dict[str, Decimal | None], dict[str, str]]:
    """An open action's measures on day ``on``, and how any of them reads when not as usual.

    Slippage is the forecast completion (the due date when none is given)
    less the due date, in days; an open action past its due date with no
    forecast, or with a forecast already past, is taken to complete
    ``today`` (the day of assessment, which is ``on`` unless the forecast is
    for a later day); an open action's forecast already past is likewise
    taken as ``today``. Milestones missed are the planned ones due before
    ``today``: one still to come is not missed yet. Overspend is spend over
    budget in per cent of the budget, rated exactly and read to one place
    (not measured without a budget above zero).

    >>> facts = ActionFacts("in_progress", due_on=dt.date(2026, 5, 1))
    >>> values, texts = action_values(facts, dt.date(2026, 5, 19))
    >>> values["slippage"], texts["slippage"]
    (Decimal('18'), 'still open 18 days after the due date')
    """
    today = today or on
    values: dict[str, Decimal | None] = {"slippage": None, "milestones": None, "overspend": None}
    texts: dict[str, str] = {}
    if facts.due_on is not None:
        forecast = facts.forecast_on or facts.due_on
        if forecast < today:
            forecast = today
            if today > facts.due_on:
                days = (today - facts.due_on).days
                texts["slippage"] = f"still open {_days(Decimal(days))} after the due date"
        values["slippage"] = Decimal((forecast - facts.due_on).days)
    overdue = sum(1 for m in facts.milestones if m.status == "planned" and m.due_on < today)
    values["milestones"] = Decimal(overdue)
    if today < on and overdue:
        texts["milestones"] = (
            "1 milestone already overdue"
            if overdue == 1
            else f"{overdue} milestones already overdue"
        )
    if facts.budget is not None and facts.budget > 0 and facts.spend is not None:
        over = (facts.spend - facts.budget) / facts.budget * 100
        values["overspend"] = over
        texts["overspend"] = _overspend_text(_percent_shown(over))
    return values, texts


def _percent_shown(value: Decimal) -> Decimal:
    """A percentage to one place, or two (away from zero) when one would read as whole.

    So 10.04% over budget never reads as "10%" beside "red is over 10%".

    >>> _percent_shown(Decimal("12.46")), _percent_shown(Decimal("10.04"))
    (Decimal('12.5'), Decimal('10.04'))
    >>> _percent_shown(Decimal("10")), _percent_shown(Decimal("-0.001"))
    (Decimal('10.0'), Decimal('-0.01'))
    """
    shown = value.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)
    if shown != value and shown == shown.to_integral_value():
        return value.quantize(Decimal("0.01"), rounding=ROUND_UP)
    return shown


def _special(facts: ActionFacts) -> ActionRating | None:
    if facts.status == COMPLETE:
        return ActionRating(BLUE, "Complete.")
    if facts.status == CANCELLED:
        return ActionRating(NONE, "Cancelled: not rated.")
    if facts.status == ON_HOLD:
        return ActionRating(Rating.AMBER.value, "Amber: on hold.")
    return None


def assess_action(rules: RuleSet, facts: ActionFacts, on: dt.date) -> ActionRating:
    """The action's rating on day ``on``.

    >>> facts = ActionFacts("in_progress", due_on=dt.date(2026, 6, 30),
    ...                     forecast_on=dt.date(2026, 8, 15))
    >>> rated = assess_action(DEFAULT_ACTION_RULES, facts, dt.date(2026, 5, 1))
    >>> print(rated.rag, rated.reason, sep=": ")
    red: Red: forecast 46 days after the due date; red is over 30 days late.
    >>> assess_action(DEFAULT_ACTION_RULES, ActionFacts("complete"), dt.date(2026, 5, 1)).rag
    'blue'
    """
    special = _special(facts)
    if special is not None:
        return special
    values, texts = action_values(facts, on)
    result = rules.assess(values, texts)
    return ActionRating(result.rating.value, result.reason)


def forecast_action(rules: RuleSet, facts: ActionFacts, today: dt.date) -> ActionRating:
    """The rating the action is forecast to have on 31 March, the financial year's end.

    The same rules, measured at the year's end: slippage of the forecast
    completion against the due date (an open action past due with no forecast
    is taken to complete today), the planned milestones already overdue today
    (one still to come may yet be met), and spend to date against the budget.

    >>> facts = ActionFacts("in_progress", due_on=dt.date(2026, 6, 30),
    ...                     milestones=[MilestoneFacts(dt.date(2026, 9, 1), "planned"),
    ...                                 MilestoneFacts(dt.date(2027, 1, 1), "planned")])
    >>> forecast_action(DEFAULT_ACTION_RULES, facts, dt.date(2026, 5, 1)).rag
    'green'
    >>> print(forecast_action(DEFAULT_ACTION_RULES, facts, dt.date(2026, 9, 2)).reason[70:])
    Amber: 1 milestone already overdue; amber is 1 missed milestone.
    """
    special = _special(facts)
    if special is not None:
        return special
    year_end = financial_year_end(today)
    values, texts = action_values(facts, year_end, today=today)
    result = rules.assess(values, texts)
    return ActionRating(result.rating.value, result.reason)
