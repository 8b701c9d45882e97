"""`goldenthread structure ...`: the structure engine from the command line."""

import typer

app = typer.Typer(help="Analyse and compare organisation structures (organogram, LGA, any table).")
