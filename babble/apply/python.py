"""Hand-written LFs: called once per candidate; a failure abstains there and is counted."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from babble.apply.matrix import LFErrors
from babble.lf import LabelingFunction
from babble.types import ABSTAIN, Candidate


def _bad_label(value: object, n_labels: int | None) -> str | None:
    """Why ``value`` is not a label (or ``ABSTAIN``), or ``None`` when it is one."""
    top = "" if n_labels is None else f"..{n_labels - 1}"
    expected = f"expected an int label in -1{top or '..'} (-1 = abstain)"
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        return f"returned {value!r} of type {type(value).__name__}: {expected}"
    if value < ABSTAIN or (n_labels is not None and value >= n_labels):
        return f"returned {value}: {expected}"
    return None


def run_python_lf(
    lf: LabelingFunction, candidates: Sequence[Candidate], n_labels: int | None = None
) -> tuple[np.ndarray, np.ndarray, LFErrors | None]:
    """Call a hand-written LF on every candidate.

    Returns the rows it voted on, its votes there, and, when it raised (or returned something
    that is not a label) on some candidates, how often and the first error; it abstains there.

    Examples
    --------
    >>> from babble.lf import labeling_function
    >>> @labeling_function()
    ... def first_char(c: Candidate) -> int:
    ...     return int(c.text[0] == "A")
    >>> cands = [Candidate("a", "d", "Ann", ()), Candidate("b", "d", "", ())]
    >>> rows, votes, errors = run_python_lf(first_char, cands)
    >>> rows.tolist(), votes.tolist(), errors.count, errors.candidate
    ([0], [1], 1, 'b')
    """
    rows: list[int] = []
    votes: list[int] = []
    failures, first = 0, None
    assert lf.func is not None
    for j, candidate in enumerate(candidates):
        try:
            value = lf.func(candidate)
        except Exception as exc:  # an LF failing on one candidate must not stop the run
            problem: str | None = f"{type(exc).__name__}: {exc}"
        else:
            problem = _bad_label(value, n_labels)
        if problem is not None:
            failures += 1
            first = first or (candidate.id, problem)
        elif value != ABSTAIN:
            rows.append(j)
            votes.append(int(value))
    errors = None if first is None else LFErrors(lf.name, failures, first[0], first[1])
    return np.array(rows, dtype=np.int64), np.array(votes, dtype=np.int64), errors
