"""The `goldenthread` command: help, the demo, and serving."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from goldenthread.cli import app

GOLDENTHREAD = [sys.executable, "-m", "goldenthread.cli"]


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "serve", "manage", "structure"):
        assert command in result.output


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GOLDENTHREAD_"))}
    env.update(
        GOLDENTHREAD_VAR_DIR=str(tmp_path / "var"),
        GOLDENTHREAD_DEMO_PASSWORD="cli-test-password-1",
        DJANGO_SETTINGS_MODULE="goldenthread.web.settings.local",
    )
    return env


def test_demo_loads_twice_without_error(tmp_path: Path) -> None:
    env = _env(tmp_path)
    for _ in range(2):
        result = subprocess.run(
            [*GOLDENTHREAD, "demo", "--no-serve"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert "demo-editor" in result.stdout and "cli-test-password-1" in result.stdout
    assert "Refreshed the demo" in result.stdout
    assert (tmp_path / "var" / "goldenthread.sqlite3").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_serves_the_start_page_and_static_files(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [*GOLDENTHREAD, "demo", "--port", str(port)],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        body = b""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read()
                    break
            except OSError:
                time.sleep(0.5)
        assert b"Design your target operating model" in body
        # The demo collected the static files: the page links the stylesheet
        # by its hashed name, served compressed and cached for ever.
        stylesheet = re.search(rb'<link rel="stylesheet" href="([^"]+)"', body)
        assert stylesheet is not None
        href = stylesheet.group(1).decode()
        assert re.fullmatch(r"/static/build/goldenthread\.[0-9a-f]{12}\.css", href), href
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{href}", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
            assert response.headers["Content-Encoding"] == "gzip"
            assert "immutable" in response.headers["Cache-Control"]
    finally:
        process.terminate()
        process.wait(timeout=20)
