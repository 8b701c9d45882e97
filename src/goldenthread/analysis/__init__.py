"""Pure analysis: no Django, no files, no network. Arrays in, frozen dataclasses out."""
