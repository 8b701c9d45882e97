def register() -> None:
    """Add this part's entries to the kit's registries."""
