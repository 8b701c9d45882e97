"""The docs keep up with the code: every command and every setting is documented,
and the module guide's snippets import and call the kit as it is."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
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


# The worked example of a register module ------------------------------------------------

MODULE_GUIDE = DOCS / "adding-a-module.md"
#: The app the guide builds, not written yet: its own imports are not checked.
EXAMPLE_APP = "goldenthread.programme"
#: URL namespaces whose page names the guide may give.
URL_NAMESPACES = ("kit", "pickers", "performance", "operating_model", "core")
URL_NAME = re.compile(rf"\b(?:{'|'.join(URL_NAMESPACES)}):\w+")


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", MODULE_GUIDE.read_text(), re.S)


def _imports(blocks: list[str]) -> list[tuple[str, str]]:
    """``(module, name)`` of every ``from goldenthread... import name`` in the blocks."""
    found = []
    for block in blocks:
        for node in ast.walk(ast.parse(block)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("goldenthread"):
                found += [(str(node.module), alias.name) for alias in node.names]
    return found


def _namespace(blocks: list[str]) -> dict[str, Any]:
    """What each name in the snippets stands for: their imports, then the kit's public names."""
    import goldenthread.kit

    namespace: dict[str, Any] = {}
    seen: dict[str, list[Any]] = {}
    for path in Path(goldenthread.kit.__file__).parent.glob("*.py"):
        module = importlib.import_module(f"goldenthread.kit.{path.stem}")
        for name in getattr(module, "__all__", ()):
            seen.setdefault(name, []).append(getattr(module, name))
    # A name two kit modules both offer is ambiguous unless a snippet imports it.
    namespace.update({name: objs[0] for name, objs in seen.items() if len(objs) == 1})
    for module_name, name in _imports(blocks):
        if module_name.startswith(EXAMPLE_APP):
            continue
        module = importlib.import_module(module_name)
        if hasattr(module, name):
            namespace[name] = getattr(module, name)
        elif hasattr(module, "__path__") and importlib.util.find_spec(f"{module_name}.{name}"):
            namespace[name] = importlib.import_module(f"{module_name}.{name}")
        # A name that is not there is reported by the import test.
    return namespace


def _target(node: Any, namespace: dict[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _target(node.value, namespace)
        return getattr(base, node.attr, None) if base is not None else None
    return None


def test_the_module_guide_snippets_are_python() -> None:
    blocks = _python_blocks()
    assert len(blocks) >= 15
    for block in blocks:
        ast.parse(block)


def test_the_module_guide_imports_only_what_exists() -> None:
    missing = []
    for module_name, name in _imports(_python_blocks()):
        if module_name.startswith(EXAMPLE_APP):
            continue
        module = importlib.import_module(module_name)
        if not hasattr(module, name):
            try:
                importlib.import_module(f"{module_name}.{name}")
            except ModuleNotFoundError:
                missing.append(f"{module_name}.{name}")
    assert missing == []


def test_the_module_guide_calls_the_kit_with_its_real_arguments() -> None:
    """Each call of a kit function or class in the snippets fits its signature."""
    blocks = _python_blocks()
    namespace = _namespace(blocks)
    checked, wrong = 0, []
    for block in blocks:
        for call in (n for n in ast.walk(ast.parse(block)) if isinstance(n, ast.Call)):
            target = _target(call.func, namespace)
            if target is None or not callable(target):
                continue
            owner = getattr(target, "__module__", "") or ""
            if not owner.startswith(("goldenthread.kit", "goldenthread.accounts")):
                continue
            try:
                signature = inspect.signature(target)
            except (TypeError, ValueError):  # pragma: no cover - a builtin
                continue
            checked += 1
            where = f"{ast.unparse(call.func)} (line {call.lineno} of its block)"
            spread = any(isinstance(a, ast.Starred) for a in call.args) or any(
                k.arg is None for k in call.keywords
            )
            if spread:
                takes_any = any(
                    p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values()
                )
                unknown = [
                    k.arg
                    for k in call.keywords
                    if k.arg and k.arg not in signature.parameters and not takes_any
                ]
                if unknown:
                    wrong.append(f"{where}: no argument {unknown}")
                continue
            try:
                signature.bind(*call.args, **{k.arg: None for k in call.keywords if k.arg})
            except TypeError as error:
                wrong.append(f"{where}: {error}")
    assert wrong == []
    assert checked >= 30, "the check found too few kit calls: the namespace is broken"


def test_the_module_guide_names_real_kit_modules_templates_urls_and_files() -> None:
    from django.urls import get_resolver

    text = MODULE_GUIDE.read_text()
    problems = []
    for name in set(re.findall(r"goldenthread\.kit\.(\w+)", text)):
        try:
            importlib.import_module(f"goldenthread.kit.{name}")
        except ModuleNotFoundError:
            problems.append(f"goldenthread.kit.{name}")
    # The table of kit modules: each name offered is in its module.
    for name, offered in re.findall(r"^\| `goldenthread\.kit\.(\w+)` \| (.*) \|$", text, re.M):
        module = importlib.import_module(f"goldenthread.kit.{name}")
        problems += [
            f"goldenthread.kit.{name}.{each}"
            for each in re.findall(r"`(\w+)`", offered)
            if not hasattr(module, each)
        ]
    templates = ROOT / "src/goldenthread/kit/templates"
    for template in set(re.findall(r"\bkit/[\w/]+\.html", text)):
        if not (templates / template).is_file():
            problems.append(template)
    names = {
        f"{namespace}:{name}"
        for namespace in URL_NAMESPACES
        for name in get_resolver().namespace_dict[namespace][1].reverse_dict
        if isinstance(name, str)
    }
    for url_name in set(URL_NAME.findall(text)):
        if url_name not in names:
            problems.append(url_name)
    for path in set(re.findall(r"`((?:[\w.-]+/)+[\w.-]+\.(?:py|md))`", text)):
        if "programme" in path:
            continue
        if not any((base / path).exists() for base in (ROOT, ROOT / "src/goldenthread", DOCS)):
            problems.append(path)
    assert problems == []
