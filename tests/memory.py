"""The peak memory of the test process over a stretch of code, on Linux.

``ru_maxrss`` is the process's peak since it started, so an earlier, higher
peak hides whatever a later stretch of code uses. Linux resets the peak on
request instead: writing ``5`` to ``/proc/self/clear_refs`` sets the
high-water mark (``VmHWM`` in ``/proc/self/status``) back to the memory
resident now (``VmRSS``).

>>> with peak_growth() as growth:
...     block = b"x" * (64 * 1024 * 1024)
>>> growth.mib >= 60
True
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")


def status_mib(field: str) -> float:
    """A memory line of ``/proc/self/status`` (given in kB) in MiB."""
    for line in STATUS.read_text().splitlines():
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0]) / 1024
    raise LookupError(f"{STATUS} has no {field}")


@dataclass
class Growth:
    """How far the peak rose above the memory resident at the start, in MiB."""

    mib: float = 0.0


@contextmanager
def peak_growth() -> Iterator[Growth]:
    """Measure the peak resident memory of the code inside, above where it started.

    ``growth.mib`` is set when the block ends: the high-water mark, reset at
    the start, less the memory resident at the start.
    """
    CLEAR_REFS.write_text("5")
    start = status_mib("VmRSS")
    growth = Growth()
    yield growth
    growth.mib = status_mib("VmHWM") - start
