from goldenthread.kit import panels

from .panels import action_updates_panel, programme_changes_panel


def register() -> None:
    """Add this part's entries to the kit's registries."""
    from . import importing  # noqa: F401  (the importer registers itself)

    panels.slot(panels.PAGE_PANELS, "programme-page").add(
        "updates.changes", programme_changes_panel, order=50
    )
    panels.slot(panels.PAGE_PANELS, "programme-action").add(
        "updates.entries", action_updates_panel, order=50
    )
