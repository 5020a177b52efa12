"""A guard for work that must not grow with a number written in an explanation."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def returns_soon(call: Callable[[], T]) -> T:
    """``call()``, failing the test if it is still running after a generous minute (a hang, not
    a speed check: the work in question takes milliseconds)."""
    result: list[T] = []
    worker = threading.Thread(target=lambda: result.append(call()), daemon=True)
    worker.start()
    worker.join(60.0)
    assert not worker.is_alive(), "still running: the work grows with the number's size"
    return result[0]
