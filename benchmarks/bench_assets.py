"""First visit of a chart page: bytes over the wire and load time with an empty browser cache.

Run from the repository root after ``make install``; refreshes its section of
docs/benchmarks.md:

    .venv/bin/python benchmarks/bench_assets.py

It loads the demo council into a temporary directory (``goldenthread demo
--no-serve``), serves it on loopback with ``goldenthread serve --no-worker``
(local settings, as ``make demo`` does: whatever static pipeline those
settings choose), and signs in as the demo viewer. Then, for each run, it
opens a new browser context (an empty HTTP cache; only the session cookie is
carried over) and visits the dashboard of the demo's as-is structure, the page
with the most charts. Chromium (Debian's, driven by Playwright as the browser
tests do) reports each response's bytes over the wire (Resource Timing
``transferSize``: headers and the body as sent, compressed or not) and the
page's timings:

- *charts drawn*: from the start of navigation until every chart on the page
  has drawn its SVG (checked on each animation frame);
- *load event*: until the window's ``load`` event ends.

One visit before the measured runs warms the server (its figures cache, the
static files it has opened), so the runs measure what the browser fetches,
not the first computation of the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM_ARGS  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Chart page, first visit"
COMMAND = ".venv/bin/python benchmarks/bench_assets.py"
GOLDENTHREAD = [sys.executable, "-m", "goldenthread.cli"]
PASSWORD = "bench-assets-password-3810"
SLUG = "brackenford"
SNAPSHOT_NAME = "As-is structure, March 2024"
CHARTS = ("chart-layers", "chart-spans", "chart-units", "chart-line")
RUNS = 7
TARGET_SECONDS = 1.0
SERVER_START_SECONDS = 120

#: Resolves once every chart has drawn; returns milliseconds since navigation start.
CHARTS_DRAWN = """(ids) => new Promise((resolve) => {
  const check = () => ids.every((id) => document.querySelector('#' + id + ' .main-svg'))
    ? resolve(performance.now())
    : requestAnimationFrame(check);
  check();
})"""

#: Every response of the page: the document and each resource it fetched.
RESOURCES = """() => {
  const entries = [...performance.getEntriesByType('navigation'),
                   ...performance.getEntriesByType('resource')];
  return entries.map((e) => ({
    name: new URL(e.name).pathname, transfer: e.transferSize,
    encoded: e.encodedBodySize, decoded: e.decodedBodySize,
  }));
}"""

LOAD_EVENT = """() => new Promise((resolve) => {
  const done = () => resolve(performance.getEntriesByType('navigation')[0].loadEventEnd);
  const later = () => setTimeout(done, 0);
  document.readyState === 'complete' ? later() : addEventListener('load', later);
})"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(var_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GOLDENTHREAD_"))}
    env.update(
        GOLDENTHREAD_VAR_DIR=var_dir,
        GOLDENTHREAD_DEMO_PASSWORD=PASSWORD,
        DJANGO_SETTINGS_MODULE="goldenthread.web.settings.local",
    )
    return env


@contextmanager
def demo_server() -> Iterator[tuple[str, int]]:
    """The demo council served on loopback from a temporary directory."""
    with tempfile.TemporaryDirectory() as var_dir:
        env = environment(var_dir)
        subprocess.run(
            [*GOLDENTHREAD, "demo", "--no-serve"], env=env, check=True, capture_output=True
        )
        port = free_port()
        server = subprocess.Popen(
            [*GOLDENTHREAD, "serve", "--no-worker", "--no-migrate", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + SERVER_START_SECONDS
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("the demo server did not start") from None
                    time.sleep(0.5)
            yield base, server.pid
        finally:
            server.terminate()
            server.wait(timeout=20)


def chromium() -> str:
    path = os.environ.get("GOLDENTHREAD_CHROMIUM") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise SystemExit(f"Chromium is not at {path} (set GOLDENTHREAD_CHROMIUM)")
    return path


def cpu_seconds() -> dict[int, tuple[int, str, float]]:
    """Each process: its parent, its name and the CPU time it has used (user and system)."""
    tick = os.sysconf("SC_CLK_TCK")
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        used = (int(fields[11]) + int(fields[12])) / tick
        processes[int(entry.name)] = (int(fields[1]), name, used)
    return processes


def descendants(processes: dict[int, tuple[int, str, float]], root: int) -> set[int]:
    found, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (ppid, _, _) in processes.items() if ppid == parent]
        found.update(children)
        frontier.extend(children)
    return found


def cpu_used(before: dict[int, Any], after: dict[int, Any], server: int) -> dict[str, float]:
    """CPU seconds between two readings: the server's, and Chromium's (every process of it)."""
    mine = descendants(after, os.getpid())
    served = descendants(after, server)

    def used(pid: int) -> float:
        return after[pid][2] - (before[pid][2] if pid in before else 0.0)

    return {
        "server_cpu_s": sum(used(pid) for pid in served),
        "browser_cpu_s": sum(
            used(pid) for pid in mine - served if after[pid][1].startswith("chrom")
        ),
    }


def visit(browser: Any, state: dict[str, Any], url: str, server: int) -> dict[str, Any]:
    """One first visit: a new context, so nothing is cached."""
    context = browser.new_context(storage_state=state, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        before = cpu_seconds()
        page.goto(url, wait_until="commit")
        drawn = page.evaluate(CHARTS_DRAWN, list(CHARTS))
        load = page.evaluate(LOAD_EVENT)
        cpu = cpu_used(before, cpu_seconds(), server)
        resources = page.evaluate(RESOURCES)
        if page.locator("h1").count() == 0:  # pragma: no cover
            raise RuntimeError(f"{url} has no heading")
        return {"drawn_ms": drawn, "load_ms": load, "resources": resources, **cpu}
    finally:
        context.close()


def run(runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with demo_server() as (base, server), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        signing_in = browser.new_context()
        page = signing_in.new_page()
        page.goto(f"{base}/sign-in/")
        page.get_by_label("Username").fill("demo-viewer")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("networkidle")
        page.goto(f"{base}/o/{SLUG}/structures/")
        href = page.get_by_role("link", name=SNAPSHOT_NAME).first.get_attribute("href")
        state = signing_in.storage_state()
        signing_in.close()
        url = f"{base}{href}"
        visit(browser, state, url, server)  # warms the server
        visits = [visit(browser, state, url, server) for _ in range(runs)]
        version = browser.version
        browser.close()
    return {"url": href, "visits": visits, "chromium": version}


def summary(results: dict[str, Any]) -> dict[str, Any]:
    visits = results["visits"]
    resources = visits[-1]["resources"]
    return {
        "drawn_ms": statistics.median(v["drawn_ms"] for v in visits),
        "drawn_max_ms": max(v["drawn_ms"] for v in visits),
        "load_ms": statistics.median(v["load_ms"] for v in visits),
        "browser_cpu_s": statistics.median(v["browser_cpu_s"] for v in visits),
        "server_cpu_s": statistics.median(v["server_cpu_s"] for v in visits),
        "transfer": sum(r["transfer"] for r in resources),
        "decoded": sum(r["decoded"] for r in resources),
        "requests": len(resources),
        "resources": resources,
    }


def machine() -> str:
    cpu = "unknown CPU"
    try:
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        if match:
            cpu = match.group(1).strip()
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}"


def kib(size: int) -> str:
    return f"{size / 1024:,.1f}"


def report(results: dict[str, Any], figures: dict[str, Any], runs: int) -> str:
    met = "met" if figures["drawn_ms"] / 1000 < TARGET_SECONDS else "not met"
    load = os.getloadavg()[0]
    lines = [
        SECTION,
        "",
        f"Machine: {machine()}; Chromium {results['chromium']} (headless); "
        f"one-minute load average {load:.1f} at the end of the run.",
        "",
        f"Command: `{COMMAND}`",
        "",
        "The demo council served by `goldenthread serve` on loopback (local settings, as "
        "`make demo` serves it); the page is the as-is structure's dashboard, which draws four "
        "plotly charts (two bar charts, a treemap, an icicle). Each visit is a new browser "
        f"context, so its cache is empty; the figures are the median of {runs} visits after "
        "one that warms the server.",
        "",
        "| Measure | Figure |",
        "| --- | ---: |",
        f"| Charts drawn (median) | {figures['drawn_ms']:.0f} ms |",
        f"| Charts drawn (slowest) | {figures['drawn_max_ms']:.0f} ms |",
        f"| Load event (median) | {figures['load_ms']:.0f} ms |",
        f"| Chromium's CPU time, all its processes (median) | "
        f"{figures['browser_cpu_s'] * 1000:.0f} ms |",
        f"| The server's CPU time (median) | {figures['server_cpu_s'] * 1000:.0f} ms |",
        f"| Bytes over the wire | {kib(figures['transfer'])} KiB |",
        f"| Bytes after decompression | {kib(figures['decoded'])} KiB |",
        f"| Requests | {figures['requests']} |",
        "",
        f"Target: charts drawn in under {TARGET_SECONDS:.0f} s on loopback with an empty "
        f"cache: {met}.",
        "",
        "| Response | Over the wire (KiB) | Decompressed (KiB) |",
        "| --- | ---: | ---: |",
    ]
    for resource in figures["resources"]:
        name = "the page" if resource["name"] == results["url"] else f"`{resource['name']}`"
        lines.append(f"| {name} | {kib(resource['transfer'])} | {kib(resource['decoded'])} |")
    return "\n".join(lines) + "\n"


def update_doc(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section.rstrip("\n") + "\n\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-doc", action="store_true", help="do not update the docs")
    parser.add_argument("--runs", type=int, default=RUNS, help="measured visits")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    results = run(args.runs)
    figures = summary(results)
    section = report(results, figures, args.runs)
    print(section)
    if args.json:
        args.json.write_text(json.dumps({**results, **figures}, indent=2), encoding="utf-8")
    if not args.no_doc:
        update_doc(section)


if __name__ == "__main__":
    main()
