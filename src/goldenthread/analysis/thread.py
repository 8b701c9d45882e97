"""The golden thread: which level may contribute to which, orphans, and the tree.

The thread runs from the vision down to each person's objectives::

    vision
    └ priority                 (a member priority)
      └ objective              (a corporate plan objective, with measures of success)
        └ service plan         (a directorate's or service's plan, by scorecard perspective)
          └ team objective
            └ individual objective  (held by a post)

An individual objective may also contribute straight to a service plan (a
director's own objectives). Every other link skips or reverses a level and is
refused.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "ALLOWED_PARENTS",
    "LEVELS",
    "Node",
    "allowed_parent",
    "orphans",
    "tree_order",
]

#: The levels of the thread, top first.
LEVELS: tuple[str, ...] = (
    "vision",
    "priority",
    "objective",
    "service_plan",
    "team_objective",
    "individual_objective",
)

#: For each level, the levels an item of it may contribute to.
ALLOWED_PARENTS: dict[str, frozenset[str]] = {
    "vision": frozenset(),
    "priority": frozenset({"vision"}),
    "objective": frozenset({"priority"}),
    "service_plan": frozenset({"objective"}),
    "team_objective": frozenset({"service_plan"}),
    "individual_objective": frozenset({"team_objective", "service_plan"}),
}


def allowed_parent(level: str, parent_level: str | None) -> bool:
    """Whether an item at ``level`` may contribute to one at ``parent_level``.

    ``None`` (contributing to nothing) is always allowed: below the vision such
    an item is an orphan, which is shown, not refused.

    Examples
    --------
    >>> allowed_parent("objective", "priority")
    True
    >>> allowed_parent("individual_objective", "vision")
    False
    >>> allowed_parent("team_objective", None)
    True
    """
    if parent_level is None:
        return True
    return parent_level in ALLOWED_PARENTS[level]


@dataclass(frozen=True)
class Node:
    key: Hashable
    level: str
    parent: Hashable | None


def orphans(nodes: Iterable[Node]) -> list[Node]:
    """Items below the vision that contribute to nothing, or to an item that is not there.

    Examples
    --------
    >>> items = [Node(1, "vision", None), Node(2, "priority", 1),
    ...          Node(3, "objective", None), Node(4, "team_objective", 99)]
    >>> [n.key for n in orphans(items)]
    [3, 4]
    """
    nodes = list(nodes)
    present = {node.key for node in nodes}
    return [
        node
        for node in nodes
        if node.level != "vision" and (node.parent is None or node.parent not in present)
    ]


def tree_order(nodes: Sequence[Node]) -> list[tuple[Node, int]]:
    """Nodes with their depth, each parent before its children, in the given order.

    Roots are the nodes whose parent is missing; a cycle is never followed twice.

    Examples
    --------
    >>> items = [Node("v", "vision", None), Node("o", "objective", "p"),
    ...          Node("p", "priority", "v"), Node("x", "objective", None)]
    >>> [(n.key, depth) for n, depth in tree_order(items)]
    [('v', 0), ('p', 1), ('o', 2), ('x', 0)]
    """
    present = {node.key for node in nodes}
    children: dict[Hashable | None, list[Node]] = {}
    for node in nodes:
        parent = node.parent if node.parent in present else None
        children.setdefault(parent, []).append(node)
    result: list[tuple[Node, int]] = []
    seen: set[Hashable] = set()
    stack = [(node, 0) for node in reversed(children.get(None, []))]
    while stack:
        node, depth = stack.pop()
        if node.key in seen:
            continue
        seen.add(node.key)
        result.append((node, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(node.key, [])))
    return result
