"""The RAG's entries in the kit's registries and the plan's hooks."""

from goldenthread.kit import panels
from goldenthread.programme.plan import hooks

from . import presenting, services


def register() -> None:
    """Add this part's entries to the kit's registries."""
    panels.slot(panels.PAGE_PANELS, "programme-action").add(
        "rag", presenting.action_panel, order=10
    )
    hooks.ACTIONS_CHANGED.add("rag", services.actions_changed)
    hooks.QUARTER_CLOSED.add("rag", services.update_overrides_end)
