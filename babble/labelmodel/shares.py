"""How probabilistic labels divide the rows among the classes, and how two label models agree.

A label model can be accurate per LF and still wrong about the classes as a whole: LFs that are
near-copies of one rule, voting together, make it confident about their class on many rows. The
class shares of its labels, beside majority vote's, show this before any gold label does (a
class at 9% where the task has about 7%, majority vote's labels at 3%).

Examples
--------
>>> import numpy as np
>>> shares = LabelShares.of(np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.8]]))
>>> shares.mass, shares.top
((0.533, 0.467), (0.5, 0.5))
>>> top_agreement(np.array([[0.9, 0.1], [0.5, 0.5]]), np.array([[0.6, 0.4], [0.1, 0.9]]))
0.75
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

ROUND = 3
"""Decimals kept of each share."""


def _top(proba: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    """Per row, 1 / (number of most probable classes) on each of them, 0 elsewhere: a tie
    counts as a fair coin among the tied classes, so no class gains from an order."""
    best = proba.max(axis=1, keepdims=True)
    tied = np.isclose(proba, best, rtol=0.0, atol=1e-9)
    top: npt.NDArray[np.float64] = tied / tied.sum(axis=1, keepdims=True)
    return top


@dataclass(frozen=True)
class LabelShares:
    """How ``n x k`` probabilistic labels divide their rows among the ``k`` classes.

    Attributes
    ----------
    mass
        Mean probability of each class over the rows (sums to 1).
    top
        Share of the rows on which each class is the most probable (ties shared evenly).
    rows
        Number of rows.
    """

    mass: tuple[float, ...]
    top: tuple[float, ...]
    rows: int

    @classmethod
    def of(cls, proba: npt.ArrayLike) -> LabelShares:
        """The shares of ``proba`` (``n x k``, rows summing to 1); all zero when ``n == 0``."""
        array = np.asarray(proba, dtype=np.float64)
        if array.ndim != 2:
            raise ValueError(f"expected n x k probabilities, got shape {array.shape}")
        if array.shape[0] == 0:
            zeros = (0.0,) * array.shape[1]
            return cls(mass=zeros, top=zeros, rows=0)
        return cls(
            mass=tuple(round(float(v), ROUND) for v in array.mean(axis=0)),
            top=tuple(round(float(v), ROUND) for v in _top(array).mean(axis=0)),
            rows=int(array.shape[0]),
        )


def top_agreement(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """Share of rows on which ``a`` and ``b`` (``n x k`` each) pick the same most probable
    class, ties broken uniformly at random (the expected share); ``nan`` for no rows."""
    left, right = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if left.shape != right.shape:
        raise ValueError(f"shapes differ: {left.shape} and {right.shape}")
    if left.shape[0] == 0:
        return float("nan")
    return round(float((_top(left) * _top(right)).sum(axis=1).mean()), ROUND)
