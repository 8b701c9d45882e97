"""Job handlers by kind. Each app registers the jobs it runs when it is loaded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Job
    from .progress import Progress

Handler = Callable[["Progress"], None]
#: Told of a job lost with its worker, before the job is saved as failed: it
#: may settle what the job was working on (an import left "saving"), or, when
#: the job's own work was in fact committed, set the job's outcome instead.
LostHandler = Callable[["Job"], None]


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Handler
    on_lost: LostHandler | None = None


_KINDS: dict[str, JobKind] = {}


def register(name: str, *, on_lost: LostHandler | None = None) -> Callable[[Handler], Handler]:
    """Register ``handler`` as the runner of jobs of kind ``name``."""

    def decorator(handler: Handler) -> Handler:
        _KINDS[name] = JobKind(name, handler, on_lost)
        return handler

    return decorator


def get(name: str) -> JobKind:
    return _KINDS[name]


def find(name: str) -> JobKind | None:
    """The kind registered as ``name``, or ``None`` (a kind since removed)."""
    return _KINDS.get(name)
