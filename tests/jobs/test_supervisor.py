"""`goldenthread serve` keeps its task worker running: restarted when it stops, stopped with it."""

from __future__ import annotations

import sys
import time

import pytest

from goldenthread.jobs.supervisor import BACKOFF_SECONDS, STABLE_SECONDS, WorkerSupervisor


class FakeChild:
    count = 0

    def __init__(self, command) -> None:
        FakeChild.count += 1
        self.pid = 1000 + FakeChild.count
        self.command = list(command)
        self.returncode: int | None = None
        self.terminated = False

    def poll(self) -> int | None:
        return self.returncode

    def terminate(self) -> None:
        self.terminated = True
        self.returncode = -15

    def kill(self) -> None:
        self.returncode = -9

    def wait(self, timeout: float | None = None) -> int:
        assert self.returncode is not None
        return self.returncode


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def world():
    clock = Clock()
    spawned: list[FakeChild] = []
    deaths: list[str] = []
    maintained: list[float] = []

    def spawn(command):
        child = FakeChild(command)
        spawned.append(child)
        return child

    supervisor = WorkerSupervisor(
        lambda worker: ["worker", "--worker-id", worker],
        on_death=deaths.append,
        maintain=lambda: maintained.append(clock.now),
        maintain_seconds=60,
        spawn=spawn,
        clock=clock,
    )
    supervisor._start_child()  # as start() does, without the watching thread
    supervisor._next_maintenance = 60
    return supervisor, clock, spawned, deaths, maintained


def test_a_worker_that_dies_is_recovered_from_and_restarted_after_a_pause(world, caplog) -> None:
    supervisor, clock, spawned, deaths, _ = world
    first = spawned[0]
    assert first.command[-1] == supervisor.worker_id
    clock.now = STABLE_SECONDS + 5  # it ran a while, then was killed
    first.returncode = -9
    supervisor.check()
    assert deaths == [first.command[-1]]  # its jobs are recovered at once
    assert len(spawned) == 1  # a short pause before the restart
    clock.now += BACKOFF_SECONDS[0]
    supervisor.check()
    assert len(spawned) == 2 and supervisor.restarts == 1
    assert spawned[1].command[-1] == supervisor.worker_id != first.command[-1]
    assert "stopped with exit code -9" in caplog.text
    assert "Task worker restarted" in caplog.text


def test_a_worker_that_keeps_dying_at_once_is_restarted_ever_more_slowly(world) -> None:
    supervisor, clock, spawned, deaths, _ = world
    waits = []
    for _ in range(len(BACKOFF_SECONDS) + 1):
        spawned[-1].returncode = 1
        supervisor.check()
        died_at, count = clock.now, len(spawned)
        while len(spawned) == count:
            clock.now += 0.5
            supervisor.check()
        waits.append(clock.now - died_at)
    assert waits == [*BACKOFF_SECONDS, BACKOFF_SECONDS[-1]]
    assert len(deaths) == len(BACKOFF_SECONDS) + 1


def test_maintenance_runs_periodically(world) -> None:
    supervisor, clock, _spawned, _deaths, maintained = world
    for second in range(0, 181, 1):
        clock.now = float(second)
        supervisor.check()
    assert maintained == [60.0, 120.0, 180.0]


def test_stopping_stops_the_worker_and_it_is_not_restarted(world) -> None:
    supervisor, clock, spawned, _deaths, _ = world
    supervisor.stop()
    assert spawned[0].terminated
    clock.now += 100
    supervisor.check()
    assert len(spawned) == 1


def test_a_real_worker_process_killed_is_started_again() -> None:
    """With real processes and the watching thread: kill the child, a new one starts."""
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    deaths: list[str] = []
    supervisor = WorkerSupervisor(
        lambda worker: sleeper, on_death=deaths.append, poll_seconds=0.05, backoff=(0.0,)
    ).start()
    try:
        first = supervisor.child
        assert first is not None
        first.kill()
        first.wait()
        for _ in range(200):  # the watching thread notices within a poll or two
            if supervisor.restarts:
                break
            time.sleep(0.05)
        assert supervisor.restarts >= 1
        assert supervisor.child is not None and supervisor.child.pid != first.pid
        assert len(deaths) >= 1
    finally:
        last = supervisor.child
        supervisor.stop()
    assert last is not None and last.poll() is not None
