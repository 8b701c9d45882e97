"""What the other parts of the programme do when an action changes or a quarter closes.

The plan is the base of the programme's parts and imports none of them; the
RAG, for one, must be assessed again whenever an action or its milestones
change. A part adds its function here in its ``registrations.register()``,
keyed so a second ``ready()`` replaces rather than doubles it, and every
service that changes an action calls :func:`action_changed` in its
transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from goldenthread.accounts.services import Actor
from goldenthread.kit.registry import Registry
from goldenthread.programme.models import Action, QuarterlyUpdate

#: ``fn(*, actions, by)``: the actions whose fields, milestones or savings just changed.
ACTIONS_CHANGED: Registry[Callable[..., Any]] = Registry("actions-changed hooks")
#: ``fn(*, update, by)``: a quarterly update of a programme was closed.
QUARTER_CLOSED: Registry[Callable[..., Any]] = Registry("quarter-closed hooks")


#: The actions changed inside :func:`batched`, by id, to be followed once at its end.
_pending: ContextVar[set[int] | None] = ContextVar("programme_actions_pending", default=None)


@contextmanager
def batched(*, by: Actor) -> Iterator[None]:
    """Follow every action changed inside the block once, together, at its end.

    An import of 5,000 rows changes 5,000 actions one service call at a time;
    inside this block the hooks run once for all of them (the RAG assesses
    them in bulk) instead of once a row. Nothing runs when the block raises.
    """
    if _pending.get() is not None:
        yield
        return
    token = _pending.set(set())
    try:
        yield
        pending = _pending.get() or set()
    finally:
        _pending.reset(token)
    if pending:
        actions_changed(actions=Action.objects.filter(pk__in=pending).order_by("pk"), by=by)


def actions_changed(*, actions: Iterable[Action], by: Actor) -> None:
    pending = _pending.get()
    if pending is not None:
        pending.update(action.pk for action in actions)
        return
    changed = list(actions)
    if changed:
        for hook in ACTIONS_CHANGED:
            hook(actions=changed, by=by)


def action_changed(*, action: Action, by: Actor) -> None:
    actions_changed(actions=[action], by=by)


def quarter_closed(*, update: QuarterlyUpdate, by: Actor) -> None:
    for hook in QUARTER_CLOSED:
        hook(update=update, by=by)


__all__ = [
    "ACTIONS_CHANGED",
    "QUARTER_CLOSED",
    "action_changed",
    "actions_changed",
    "batched",
    "quarter_closed",
]
