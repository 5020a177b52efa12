"""Keeping Python's cyclic garbage collector off the data a run holds for its whole length.

A loaded dataset is millions of small objects (a ``Token`` per word, a ``Candidate`` per pair)
that live as long as the dataset is held, yet every full collection of the cyclic collector
walks all of them: parsing the 324 held-out explanations of sets ``d`` to ``g`` with their
datasets loaded took 13 CPU seconds, 6 of them in three full collections, one of which held up
a single explanation's parse for 2 s (``benchmarks/README.md``, parser coverage).
:func:`frozen_heap` moves what is alive on entry into the collector's permanent generation
(:func:`gc.freeze`) for the length of a ``with`` block; reference counting still frees those
objects as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Within the block, the objects alive on entry are out of the cyclic collector's scans.

    Left alone when something else has frozen objects already (the caller manages the
    collector then). Garbage cycles alive on entry are kept until the block ends; nothing is
    collected on entry, since that full collection is what this avoids.

    Examples
    --------
    >>> data = [[i] for i in range(1000)]
    >>> with frozen_heap():
    ...     gc.get_freeze_count() >= len(data)
    True
    >>> gc.get_freeze_count()
    0
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
