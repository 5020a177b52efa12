"""The parse deadline's clock: the parsing thread's CPU time outside the garbage collector.

A full collection of Python's cyclic garbage collector walks every tracked object in the
process, and with a dataset loaded that is millions of them (a ``Token`` per word): one
collection took 2 s of the parsing thread's CPU time, and the wordy explanation it landed in ran
past the one-second deadline with no reading, though it parses in 150 ms (set ``e``,
``benchmarks/README.md``). Which parse a collection lands in depends on everything the
process allocated before, so the deadline counts only the parser's own work: the readings of
an explanation then depend on its text, not on what else the process holds.
"""

from __future__ import annotations

import gc
import threading
import time
from typing import Any

_collector = threading.local()


def _time_collections(phase: str, info: dict[str, Any]) -> None:
    """:data:`gc.callbacks` hook: add up the CPU time this thread spends collecting."""
    if phase == "start":
        _collector.started = time.thread_time()
    elif hasattr(_collector, "started"):
        spent = time.thread_time() - _collector.__dict__.pop("started")
        _collector.spent = getattr(_collector, "spent", 0.0) + spent


gc.callbacks.append(_time_collections)


def parse_time() -> float:
    """This thread's CPU seconds outside the garbage collector (a clock for deadlines).

    Examples
    --------
    >>> before = parse_time()
    >>> _ = gc.collect()
    >>> parse_time() >= before
    True
    """
    return time.thread_time() - getattr(_collector, "spent", 0.0)
