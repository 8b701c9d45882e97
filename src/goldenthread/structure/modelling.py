"""The reporting lines of a scenario, checked by the structure engine.

A change to a scenario is tried on its reporting lines (post ID → manager's
post ID) before anything is written: a post left without its manager, or a
reporting loop found by the engine's :func:`~goldenthread.analysis.hierarchy.find_cycles`,
refuses the change with a message naming the posts.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from goldenthread.analysis.hierarchy import find_cycles

#: Posts named in full in a message; beyond this many, the message says how many more.
NAMED_IN_MESSAGE = 8

LOOP = "{action} would make a loop: {loop}"
ORPHANS = (
    "{action} would leave {posts} without a manager: "
    "move {them} to another manager in the same change"
)


def name_posts(post_ids: Iterable[str]) -> str:
    """``A, B and C``, or the first few and how many more."""
    ids = list(post_ids)
    if len(ids) > NAMED_IN_MESSAGE:
        shown = ", ".join(ids[:NAMED_IN_MESSAGE])
        return f"{shown} and {len(ids) - NAMED_IN_MESSAGE} more"
    if len(ids) <= 1:
        return "".join(ids)
    return f"{', '.join(ids[:-1])} and {ids[-1]}"


def orphans(managers: dict[str, str | None]) -> list[str]:
    """Posts whose manager is not in the structure."""
    return [
        pid for pid, manager in managers.items() if manager is not None and manager not in managers
    ]


def loops(managers: dict[str, str | None], starting: Iterable[str] = ()) -> list[list[str]]:
    """Every reporting loop, each as post IDs along the reporting line.

    A loop through one of ``starting`` begins at that post, so a message reads
    from the post that was moved.
    """
    ids = list(managers)
    index = {pid: i for i, pid in enumerate(ids)}

    def _index_of(index: dict[str, int], manager: str | None) -> int:
        return -1 if manager is None else index.get(manager, -1)

    parent = np.asarray(
        [_index_of(index, managers[pid]) for pid in ids],
        dtype=np.int64,
    )
    first = list(starting)
    found = []
    for cycle in find_cycles(parent):
        names = [ids[i] for i in cycle]
        for pid in first:
            if pid in names:
                at = names.index(pid)
                names = names[at:] + names[:at]
                break
        found.append(names)
    return found


def check(managers: dict[str, str | None], *, action: str, moved: Iterable[str] = ()) -> str | None:
    """The reason the reporting lines cannot stand, or None when they can."""
    lost = orphans(managers)
    if lost:
        return ORPHANS.format(
            action=action, posts=name_posts(lost), them="it" if len(lost) == 1 else "them"
        )
    found = loops(managers, moved)
    if found:
        loop = found[0]
        return LOOP.format(action=action, loop=" → ".join([*loop, loop[0]]))
    return None
