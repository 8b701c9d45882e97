"""How the RAG reads on a page: tags, the rules in words, an action's RAG and its panel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from goldenthread.accounts.models import Organisation
from goldenthread.analysis import rag as engine
from goldenthread.kit.lists import capped
from goldenthread.kit.panels import Panel
from goldenthread.programme.models import Action
from goldenthread.programme.plan import rags

from . import selectors, services

#: The GOV.UK tag colour of each RAG, the same on every page.
TAG_CLASSES = rags.TAG_CLASSES
NOT_RATED = rags.NOT_RATED

#: What the rules say of actions whatever the thresholds.
FIXED_RULES = [
    ("Complete actions", "Complete (blue), whatever the measures say"),
    ("Actions on hold", "Amber, with the reason “On hold”"),
    ("Cancelled actions", "Not rated"),
    (
        "Forecast year-end RAG",
        "The same rules measured at 31 March, the end of the financial year: the forecast "
        "completion against the due date, the planned milestones due before then and not "
        "complete, and spend to date against the budget",
    ),
]


def label(rag: str, status: str = "") -> str:
    return rags.label(rag, status)


def tag_class(rag: str) -> str:
    return rags.tag_class(rag)


@dataclass(frozen=True)
class RuleRow:
    measure: str
    sentences: tuple[str, ...]


def rule_rows(rules: engine.RuleSet) -> list[RuleRow]:
    """Each measure's rules as sentences: "Amber when the forecast completion is 1 to 30 ..."."""
    rows = []
    for measure in rules.measures:
        if not measure.enabled:
            rows.append(RuleRow(measure.label, ("Not used: actions are not rated by it",)))
            continue
        rows.append(
            RuleRow(
                measure.label,
                (
                    measure.rule(engine.Rating.AMBER),
                    measure.rule(engine.Rating.RED),
                    f"Green otherwise ({measure.band(engine.Rating.GREEN)})",
                ),
            )
        )
    rows.extend(RuleRow(what, (says,)) for what, says in FIXED_RULES)
    return rows


def action_rag(action: Action, setter: Any = None) -> dict[str, Any]:
    """The action's RAG as a page shows it: the one in force, why, and the override's state."""
    overridden = bool(action.override_rag)
    return {
        "rag": action.rag,
        "label": label(action.rag, action.status),
        "tag": tag_class(action.rag),
        "reason": action.rag_reason,
        "overridden": overridden,
        "computed_label": label(action.computed_rag),
        "computed_tag": tag_class(action.computed_rag),
        "computed_reason": action.computed_reason,
        "forecast_label": label(action.forecast_rag),
        "forecast_tag": tag_class(action.forecast_rag),
        "forecast_reason": action.forecast_reason,
        "override_by": services.person(setter.recorded_by) if setter else "",
        "override_until_update": action.override_until_update,
        "override_ends_on": action.override_ends_on,
        "override_set_on": action.override_set_on,
        "override_reason": action.override_reason.rstrip("."),
        "assessed_on": action.rag_assessed_on,
        "rules": action.rag_rules,
    }


def history_rows(records: Any) -> list[dict[str, Any]]:
    return [
        {
            "record": record,
            "previous": label(record.previous) if record.previous else "Not rated",
            "previous_tag": tag_class(record.previous),
            "rag": label(record.rag),
            "tag": tag_class(record.rag),
            "who": services.person(record.recorded_by),
        }
        for record in records
    ]


def action_panel(organisation: Organisation, action: Action) -> Panel:
    """The RAG panel of an action's page: now, at the year's end, the override, the history."""
    history = capped(selectors.rag_history(action=action))
    setter = next(
        (
            record
            for record in history.items
            if record.source == "override" and record.rag == action.override_rag
        ),
        None,
    )
    if action.override_rag and setter is None:
        setter = selectors.override_record(action=action)
    if action.rag_rules_id is not None and not Action.rag_rules.is_cached(action):
        # The rules of the latest change are nearly always those in force: no query then.
        for record in history.items:
            if record.rules_id == action.rag_rules_id:
                action.rag_rules = record.rules
                break
    return Panel(
        "programme/rag/_action_panel.html",
        {
            "action": action,
            "overridable": action.status not in services.NOT_OVERRIDABLE,
            "rag": action_rag(action, setter),
            "history": history,
            "history_rows": history_rows(history.items),
        },
    )
