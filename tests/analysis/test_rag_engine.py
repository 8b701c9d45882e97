"""The RAG engine pinned at every threshold: the day before, of and after; and monotonic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.analysis import rag
from goldenthread.analysis.rag import (
    DEFAULT_ACTION_RULES,
    ActionFacts,
    MilestoneFacts,
    Rating,
    RuleError,
    Threshold,
    assess_action,
    forecast_action,
    rules_from_json,
)

DUE = dt.date(2026, 6, 30)
TODAY = dt.date(2026, 5, 1)
ORDER = {"green": 0, "amber": 1, "red": 2}


def _slipped(days: int) -> str:
    facts = ActionFacts("in_progress", due_on=DUE, forecast_on=DUE + dt.timedelta(days=days))
    return assess_action(DEFAULT_ACTION_RULES, facts, TODAY).rag


def _missed(count: int) -> str:
    milestones = [MilestoneFacts(TODAY - dt.timedelta(days=1 + i), "planned") for i in range(count)]
    facts = ActionFacts("in_progress", due_on=DUE, milestones=milestones)
    return assess_action(DEFAULT_ACTION_RULES, facts, TODAY).rag


def _overspent(percent: Decimal) -> str:
    budget = Decimal("10000.00")
    spend = budget + budget * percent / 100
    facts = ActionFacts("in_progress", due_on=DUE, budget=budget, spend=spend)
    return assess_action(DEFAULT_ACTION_RULES, facts, TODAY).rag


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (-1, "green"),
        (0, "green"),
        (1, "amber"),
        (2, "amber"),
        (29, "amber"),
        (30, "amber"),
        (31, "red"),
    ],
)
def test_slippage_at_its_thresholds(days: int, expected: str) -> None:
    assert _slipped(days) == expected


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "green"), (1, "amber"), (2, "red"), (3, "red")]
)
def test_milestones_at_their_thresholds(count: int, expected: str) -> None:
    assert _missed(count) == expected


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        ("-0.1", "green"),
        ("0", "green"),
        ("0.1", "amber"),
        ("9.9", "amber"),
        ("10", "amber"),
        ("10.1", "red"),
    ],
)
def test_overspend_at_its_thresholds(percent: str, expected: str) -> None:
    assert _overspent(Decimal(percent)) == expected


def test_a_milestone_due_on_the_day_is_not_yet_missed() -> None:
    for offset, expected in ((-1, "amber"), (0, "green"), (1, "green")):
        milestone = MilestoneFacts(TODAY + dt.timedelta(days=offset), "planned")
        facts = ActionFacts("in_progress", due_on=DUE, milestones=[milestone])
        assert assess_action(DEFAULT_ACTION_RULES, facts, TODAY).rag == expected, offset


def test_an_open_action_past_due_slips_by_the_day() -> None:
    facts = ActionFacts("in_progress", due_on=DUE)
    ratings = [
        assess_action(DEFAULT_ACTION_RULES, facts, DUE + dt.timedelta(days=d)).rag
        for d in (0, 1, 30, 31)
    ]
    assert ratings == ["green", "amber", "amber", "red"]
    late = assess_action(DEFAULT_ACTION_RULES, facts, DUE + dt.timedelta(days=18))
    assert late.reason == (
        "Amber: still open 18 days after the due date; amber is 1 to 30 days late."
    )


def test_the_reason_states_the_value_and_the_band() -> None:
    facts = ActionFacts("in_progress", due_on=DUE, forecast_on=DUE + dt.timedelta(days=18))
    assert assess_action(DEFAULT_ACTION_RULES, facts, TODAY).reason == (
        "Amber: forecast 18 days after the due date; amber is 1 to 30 days late."
    )
    two = [
        MilestoneFacts(dt.date(2026, 4, 1), "planned"),
        MilestoneFacts(dt.date(2026, 4, 2), "planned"),
    ]
    facts = ActionFacts(
        "in_progress", due_on=DUE, forecast_on=DUE + dt.timedelta(days=3), milestones=two
    )
    assert assess_action(DEFAULT_ACTION_RULES, facts, TODAY).reason == (
        "Red: 2 milestones missed; red is 2 or more missed milestones. "
        "Amber: forecast 3 days after the due date; amber is 1 to 30 days late."
    )
    green = assess_action(DEFAULT_ACTION_RULES, ActionFacts("not_started", due_on=DUE), TODAY)
    assert green.reason == (
        "Green: on track; forecast on the due date (amber from 1 day late); "
        "no milestones missed (amber from 1 missed milestone)."
    )


def test_complete_cancelled_and_on_hold() -> None:
    assert assess_action(DEFAULT_ACTION_RULES, ActionFacts("complete"), TODAY) == rag.ActionRating(
        "blue", "Complete."
    )
    assert assess_action(DEFAULT_ACTION_RULES, ActionFacts("cancelled"), TODAY).rag == ""
    assert assess_action(DEFAULT_ACTION_RULES, ActionFacts("on_hold"), TODAY) == rag.ActionRating(
        "amber", "Amber: on hold."
    )


def test_the_forecast_counts_only_milestones_already_overdue() -> None:
    # A milestone still to come is not missed: the owner may yet meet it.
    for offset, expected in ((-1, "amber"), (0, "green"), (1, "green"), (200, "green")):
        milestone = MilestoneFacts(TODAY + dt.timedelta(days=offset), "planned")
        facts = ActionFacts("in_progress", due_on=dt.date(2027, 6, 30), milestones=[milestone])
        assert forecast_action(DEFAULT_ACTION_RULES, facts, TODAY).rag == expected, offset
    overdue = [MilestoneFacts(TODAY - dt.timedelta(days=3), "planned")]
    facts = ActionFacts("in_progress", due_on=dt.date(2027, 6, 30), milestones=overdue)
    assert forecast_action(DEFAULT_ACTION_RULES, facts, TODAY).reason == (
        "Amber: 1 milestone already overdue; amber is 1 missed milestone."
    )


@given(
    st.integers(0, 400),
    st.lists(st.tuples(st.integers(0, 700), st.sampled_from(["planned", "complete"])), max_size=6),
)
def test_an_on_track_action_with_milestones_to_come_forecasts_green(
    due_in: int, milestones: list[tuple[int, str]]
) -> None:
    facts = ActionFacts(
        "in_progress",
        due_on=TODAY + dt.timedelta(days=due_in),
        milestones=[MilestoneFacts(TODAY + dt.timedelta(days=d), s) for d, s in milestones],
        budget=Decimal("1000.00"),
        spend=Decimal("400.00"),
    )
    assert forecast_action(DEFAULT_ACTION_RULES, facts, TODAY).rag == "green"


@pytest.mark.parametrize(
    ("spend", "expected"),
    [("1100.00", "amber"), ("1100.01", "red"), ("1100.40", "red"), ("1000.01", "amber")],
)
def test_overspend_rates_on_the_exact_figure(spend: str, expected: str) -> None:
    facts = ActionFacts("in_progress", due_on=DUE, budget=Decimal(1000), spend=Decimal(spend))
    assert assess_action(DEFAULT_ACTION_RULES, facts, TODAY).rag == expected


def test_overspend_reads_to_one_place() -> None:
    facts = ActionFacts("in_progress", due_on=DUE, budget=Decimal(1000), spend=Decimal("1100.40"))
    assert assess_action(DEFAULT_ACTION_RULES, facts, TODAY).reason == (
        "Red: spend 10.04% over budget; red is over 10%."
    )


def test_a_forecast_already_past_on_an_open_action_is_taken_as_today() -> None:
    # Forecast for 1 May, still open on 19 May, due 30 June: it now completes no
    # earlier than today, and slips with each day it stays open.
    facts = ActionFacts("in_progress", due_on=DUE, forecast_on=dt.date(2026, 5, 1))
    values, _texts = rag.action_values(facts, dt.date(2026, 5, 19))
    assert values["slippage"] == Decimal((dt.date(2026, 5, 19) - DUE).days)
    late = ActionFacts("in_progress", due_on=DUE, forecast_on=DUE - dt.timedelta(days=60))
    ratings = [
        assess_action(DEFAULT_ACTION_RULES, late, DUE + dt.timedelta(days=d)).rag
        for d in (0, 1, 31)
    ]
    assert ratings == ["green", "amber", "red"]


def test_a_measure_label_keeps_its_own_case_in_reasons() -> None:
    measure = rag.Measure(
        key="kpi",
        label="KPI misses",
        unit=rag.Unit.COUNT,
        direction=rag.Direction.HIGHER_IS_WORSE,
        amber=Threshold(Decimal(1), inclusive=True),
        red=Threshold(Decimal(2), inclusive=True),
    )
    assert measure.value_text(Decimal(3)).startswith("KPI misses 3")
    assert "when KPI misses is" in measure.rule(Rating.RED)
    named = rag.Measure(
        key="calls",
        label="Calls to the NHS",
        unit=rag.Unit.COUNT,
        direction=rag.Direction.HIGHER_IS_WORSE,
        amber=Threshold(Decimal(1), inclusive=True),
        red=Threshold(Decimal(2), inclusive=True),
    )
    assert named.value_text(Decimal(3)).startswith("calls to the NHS 3")


@given(st.integers(-400, 400), st.integers(0, 60))
def test_more_slippage_never_rates_better(days: int, more: int) -> None:
    assert ORDER[_slipped(days)] <= ORDER[_slipped(days + more)]


@given(st.integers(0, 8), st.integers(0, 4))
def test_more_missed_milestones_never_rate_better(count: int, more: int) -> None:
    assert ORDER[_missed(count)] <= ORDER[_missed(count + more)]


@given(
    st.decimals(min_value=-100, max_value=200, places=1),
    st.decimals(min_value=0, max_value=50, places=1),
)
def test_more_overspend_never_rates_better(percent: Decimal, more: Decimal) -> None:
    assert ORDER[_overspent(percent)] <= ORDER[_overspent(percent + more)]


@given(
    amber=st.integers(0, 100),
    width=st.integers(1, 100),
    amber_inclusive=st.booleans(),
    red_inclusive=st.booleans(),
    value=st.integers(-10, 300),
)
def test_any_valid_slippage_rule_is_pinned_at_its_thresholds(
    amber: int, width: int, amber_inclusive: bool, red_inclusive: bool, value: int
) -> None:
    measure = rag.ACTION_MEASURES[0]
    red = amber + width
    raw = DEFAULT_ACTION_RULES.to_json()
    raw["measures"][0]["amber"] = {"from": amber, "inclusive": amber_inclusive}
    raw["measures"][0]["red"] = {"from": red, "inclusive": red_inclusive}
    try:
        rules = rules_from_json(raw)
    except RuleError as error:
        assert error.field == "slippage.amber"
        assert width == 1 and amber_inclusive is False and red_inclusive is True
        return
    measure = rules.measures[0]
    # the threshold's own value is in the band exactly when it is inclusive
    assert (measure.rate(Decimal(amber)) is not Rating.GREEN) == amber_inclusive
    assert measure.rate(Decimal(amber - 1)) is Rating.GREEN
    assert measure.rate(Decimal(amber + 1)) is not Rating.GREEN
    assert (measure.rate(Decimal(red)) is Rating.RED) == red_inclusive
    assert measure.rate(Decimal(red - 1)) is not Rating.RED
    assert measure.rate(Decimal(red + 1)) is Rating.RED
    assert rules_from_json(rules.to_json()) == rules
    # the reason names the band the value is in
    rating = measure.rate(Decimal(value))
    assert measure.reason(Decimal(value)).startswith(rating.label)
    assert measure.band(rating) in measure.reason(Decimal(value))


@pytest.mark.parametrize(
    ("path", "value", "message", "field"),
    [
        (("amber", "from"), 31, rag.AMBER_NOT_BELOW_RED, "slippage.amber"),
        (("red", "from"), 0, rag.AMBER_NOT_BELOW_RED, "slippage.amber"),
        (("amber", "from"), "1.5", rag.NOT_WHOLE, "slippage.amber"),
        (("amber", "from"), -1, rag.NEGATIVE, "slippage.amber"),
        (("amber", "from"), "soon", rag.NOT_A_NUMBER, "slippage.amber"),
        (("red", "from"), None, rag.MISSING, "slippage.red"),
        (("red", "inclusive"), "yes", rag.NOT_A_FLAG, "slippage.red.inclusive"),
        (("unit",), "weeks", rag.UNKNOWN_UNIT, "slippage.unit"),
        (("direction",), "up", rag.UNKNOWN_DIRECTION, "slippage.direction"),
    ],
)
def test_bad_rules_name_their_field(path, value, message, field) -> None:
    raw = DEFAULT_ACTION_RULES.to_json()
    target = raw["measures"][0]
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(RuleError) as refused:
        rules_from_json(raw)
    assert refused.value.field == field
    assert refused.value.message == message.format(field=field, unit="days")


def test_lower_is_worse_reads_and_rates_as_a_tolerance_band() -> None:
    raw = {
        "measures": [
            {
                "key": "satisfaction",
                "label": "Satisfaction",
                "unit": "percent",
                "direction": "lower_is_worse",
                "amber": {"from": 80, "inclusive": False},
                "red": {"from": 70, "inclusive": False},
            },
        ]
    }
    rules = rules_from_json(raw)
    measure = rules.measures[0]
    rates = [measure.rate(Decimal(v)).value for v in (81, 80, "79.9", 70, "69.9")]
    assert rates == ["green", "green", "amber", "amber", "red"]
    assert measure.reason(Decimal(75)) == "Amber: satisfaction 75%; amber is under 80% down to 70%."
    raw["measures"][0]["red"]["from"] = 85
    with pytest.raises(RuleError) as refused:
        rules_from_json(raw)
    assert refused.value.message == rag.AMBER_NOT_ABOVE_RED.format(field="satisfaction.amber")


def test_the_default_rules_read_as_sentences() -> None:
    slippage, milestones, overspend = DEFAULT_ACTION_RULES.measures
    assert slippage.rule(Rating.AMBER) == (
        "Amber when the forecast completion is 1 to 30 days after the due date"
    )
    assert slippage.rule(Rating.RED) == (
        "Red when the forecast completion is over 30 days after the due date"
    )
    assert milestones.rule(Rating.RED) == "Red at 2 or more missed milestones"
    assert overspend.rule(Rating.AMBER) == "Amber when spend is over 0% up to 10% over budget"


def test_a_threshold_includes_its_own_value_only_when_inclusive() -> None:
    assert Threshold(Decimal(1), True).reached_by(Decimal(1), rag.Direction.HIGHER_IS_WORSE)
    assert not Threshold(Decimal(1), False).reached_by(Decimal(1), rag.Direction.HIGHER_IS_WORSE)


@given(
    measure_index=st.sampled_from([1, 2]),
    amber=st.integers(0, 50),
    width=st.integers(1, 50),
    amber_inclusive=st.booleans(),
    red_inclusive=st.booleans(),
)
def test_any_valid_milestone_or_overspend_rule_is_pinned_at_its_thresholds(
    measure_index: int, amber: int, width: int, amber_inclusive: bool, red_inclusive: bool
) -> None:
    # Milestones count in whole numbers; overspend in tenths of a per cent, so a step
    # either side of a threshold is 1 or 0.1.
    step = Decimal(1) if measure_index == 1 else Decimal("0.1")
    low = Decimal(amber) * step * 10 if measure_index == 2 else Decimal(amber)
    high = low + Decimal(width) * step
    raw = DEFAULT_ACTION_RULES.to_json()
    raw["measures"][measure_index]["amber"] = {"from": str(low), "inclusive": amber_inclusive}
    raw["measures"][measure_index]["red"] = {"from": str(high), "inclusive": red_inclusive}
    try:
        rules = rules_from_json(raw)
    except RuleError as error:
        assert error.field.endswith(".amber")
        assert width == 1 and not amber_inclusive and red_inclusive and measure_index == 1
        return
    measure = rules.measures[measure_index]
    assert (measure.rate(low) is not Rating.GREEN) == amber_inclusive
    assert measure.rate(low - step) is Rating.GREEN
    assert measure.rate(low + step) is not Rating.GREEN
    assert (measure.rate(high) is Rating.RED) == red_inclusive
    assert measure.rate(high - step) is not Rating.RED
    assert measure.rate(high + step) is Rating.RED
    assert rules_from_json(rules.to_json()) == rules
