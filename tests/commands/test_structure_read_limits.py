"""The structure command reads a person's own file within its own, larger limit on cells."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from goldenthread.commands import structure
from goldenthread.formats.sources import DEFAULT_LIMITS

runner = CliRunner()

POSTS = "post_id,reports_to,title\nP1,,Chief\nP2,P1,Director\nP3,P1,Director\n"


def test_the_command_allows_more_cells_than_an_upload() -> None:
    # A million posts of a few columns is past an upload's limit on cells.
    assert structure.LOCAL_MAX_CELLS >= 1_000_000 * 40 > DEFAULT_LIMITS.max_cells


def test_the_command_reads_within_its_limit_on_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(POSTS)
    args = ["analyse", str(path), "--format", "table", "--json"]
    assert runner.invoke(structure.app, args).exit_code == 0
    monkeypatch.setattr(structure, "LOCAL_MAX_CELLS", 8)
    result = runner.invoke(structure.app, args)
    assert result.exit_code != 0
    assert "this file has more than 8 cells" in result.output
