"""`make lint` enforces the layers: an app importing upward, or one beside it, fails it.

The check runs import-linter, with the project's own contracts, on a copy of
the package into which one wrong import has been written: the copy must fail
naming that import, and the package as it is must pass.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _copy_with(tmp_path: Path, module: str, line: str) -> Path:
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "goldenthread",
        src / "goldenthread",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates"),
    )
    path = src / "goldenthread" / module
    path.write_text(path.read_text() + f"\n{line}  # noqa\n")
    return src


def test_the_package_as_it_is_keeps_every_contract() -> None:
    result = _lint(ROOT / "src")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "named"),
    [
        # A shared service reaching up into a domain app.
        (
            "core/selectors.py",
            "from goldenthread.structure import selectors as _upward",
            "goldenthread.core.selectors -> goldenthread.structure.selectors",
        ),
        # Two apps of one layer: the operating model may not read the golden thread.
        (
            "operating_model/selectors.py",
            "from goldenthread.performance import selectors as _beside",
            "goldenthread.operating_model.selectors -> goldenthread.performance.selectors",
        ),
        # The kit below the apps.
        (
            "kit/pages.py",
            "from goldenthread.operating_model import models as _up",
            "goldenthread.kit.pages -> goldenthread.operating_model.models",
        ),
    ],
)
def test_an_upward_or_sideways_import_breaks_the_layers(tmp_path, module, line, named) -> None:
    result = _lint(_copy_with(tmp_path, module, line))
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert named in result.stdout
