"""Job handlers by kind. Each app registers the jobs it runs when it is loaded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .progress import Progress

Handler = Callable[["Progress"], None]


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Handler


_KINDS: dict[str, JobKind] = {}


def register(name: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` as the runner of jobs of kind ``name``."""

    def decorator(handler: Handler) -> Handler:
        _KINDS[name] = JobKind(name, handler)
        return handler

    return decorator


def get(name: str) -> JobKind:
    return _KINDS[name]
