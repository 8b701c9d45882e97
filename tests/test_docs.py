"""The docs keep up with the code: every command and every setting is documented."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main

from goldenthread.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _command_paths(command: Any, prefix: str) -> list[str]:
    paths = [prefix]
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            paths.extend(_command_paths(sub, f"{prefix} {name}"))
    return paths


def test_every_command_has_a_section_in_the_cli_docs() -> None:
    text = (DOCS / "cli.md").read_text()
    group = typer.main.get_command(app)
    leaves = [
        path
        for path in _command_paths(group, "goldenthread")
        if not hasattr(_resolve(group, path), "commands")
    ]
    missing = [path for path in leaves if f"## {path}\n" not in text]
    assert missing == []
    assert len(leaves) >= 5


def _resolve(group: Any, path: str) -> Any:
    command = group
    for name in path.split()[1:]:
        command = command.commands[name]  # type: ignore[attr-defined]
    return command


def test_every_environment_variable_is_documented() -> None:
    sources = [*ROOT.joinpath("src").rglob("*.py"), *ROOT.joinpath("tests").rglob("conftest.py")]
    names = set()
    for source in sources:
        names |= set(re.findall(r"GOLDENTHREAD_[A-Z_]+[A-Z]", source.read_text()))
    documented = (DOCS / "configuration.md").read_text()
    assert names, "no settings found: the search is broken"
    assert sorted(name for name in names if f"`{name}`" not in documented) == []


def test_every_link_in_the_docs_leads_somewhere() -> None:
    broken = []
    for page in [ROOT / "README.md", *DOCS.rglob("*.md")]:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.read_text()):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            if not (page.parent / target).resolve().exists():
                broken.append(f"{page.relative_to(ROOT)} → {target}")
    assert broken == []


def test_the_readme_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme
    assert "make test" in readme
