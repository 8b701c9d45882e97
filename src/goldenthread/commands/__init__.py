"""Subcommands of the `goldenthread` command that need no Django."""
