"""Every read of the RAG: the rules' versions, an action's RAG history, moves and counts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from goldenthread.accounts.models import Organisation
from goldenthread.programme.models import (
    Action,
    Programme,
    Rag,
    RagRecord,
    RagRuleSet,
    RagSource,
    RagSubject,
)


def rag_rules_list(*, organisation: Organisation) -> QuerySet[RagRuleSet]:
    """Every version of the organisation's rules for actions, the newest first."""
    return (
        RagRuleSet.objects.filter(organisation=organisation, subject=RagSubject.ACTION)
        .select_related("created_by")
        .order_by("-version")
    )


def rag_rules_current(*, organisation: Organisation) -> RagRuleSet | None:
    """The rules in force, or ``None`` before the organisation's actions were first assessed."""
    return rag_rules_list(organisation=organisation).first()


def rag_rules_get(*, organisation: Organisation, version: int) -> RagRuleSet:
    return rag_rules_list(organisation=organisation).get(version=version)


def action_get(*, organisation: Organisation, pk: int) -> Action:
    """One action of the organisation, with its programme and the rules of its RAG."""
    return (
        Action.objects.filter(organisation=organisation)
        .select_related("programme", "rag_rules")
        .get(pk=pk)
    )


def rag_history(*, action: Action) -> QuerySet[RagRecord]:
    """Every change of the action's RAG, the newest first, with the rules and who made it."""
    return (
        RagRecord.objects.filter(action=action, organisation_id=action.organisation_id)
        .select_related("rules", "recorded_by")
        .order_by("-on", "-pk")
    )


def override_record(*, action: Action) -> RagRecord | None:
    """The record of the override in force (who set it and when), if the action has one."""
    if not action.override_rag:
        return None
    return (
        rag_history(action=action)
        .filter(source=RagSource.OVERRIDE, rag=action.override_rag)
        .first()
    )


def rag_changes(
    *, organisation: Organisation, since: dt.date, until: dt.date
) -> QuerySet[RagRecord]:
    """The moves of actions' RAG recorded on days from ``since`` to ``until`` (both included).

    For "what changed since last quarter": each record says what the RAG was,
    what it became, why, under which rules and by whom; current and forecast
    year-end moves both (filter on ``kind``).
    """
    return (
        RagRecord.objects.filter(organisation=organisation, on__gte=since, on__lte=until)
        .select_related("action", "action__programme", "rules", "recorded_by")
        .order_by("on", "pk")
    )


def rag_counts(*, organisation: Organisation, programme: Programme | None = None) -> dict[str, int]:
    """How many actions hold each RAG now (``""`` is not rated), in one query.

    >>> # {"red": 3, "amber": 10, "green": 25, "blue": 4, "": 1}
    """
    actions = Action.objects.filter(organisation=organisation)
    if programme is not None:
        actions = actions.filter(programme=programme)
    counts = dict.fromkeys(Rag.values, 0)
    counts[""] = 0
    for row in actions.order_by().values("rag").annotate(n=Count("pk")):
        counts[row["rag"]] = row["n"]
    return counts


__all__ = [
    "action_get",
    "override_record",
    "rag_changes",
    "rag_counts",
    "rag_history",
    "rag_rules_current",
    "rag_rules_get",
    "rag_rules_list",
]
