"""The `goldenthread` command.

Thin by design: each subcommand calls one function. Django is imported only by
the subcommands that need it, so the analysis commands start fast.
"""

from __future__ import annotations

import os
import sys

import typer

from goldenthread.commands.structure import app as structure_app

app = typer.Typer(
    help="goldenthread: a council's Target Operating Model as connected data.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(structure_app, name="structure")


def main() -> None:
    """Entry point of the console script."""
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
