from goldenthread.kit import panels

#: The dashboard's counts come first on a programme's page; the other parts' panels follow.
PANEL_ORDER = 10


def register() -> None:
    """Add this part's entries to the kit's registries."""
    from . import cards  # noqa: F401  (the card registers itself when imported)
    from .panels import programme_panel

    panels.slot(panels.PAGE_PANELS, "programme-page").add(
        "programme.overview", programme_panel, order=PANEL_ORDER
    )
