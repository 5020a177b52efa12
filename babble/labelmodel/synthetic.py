"""Synthetic label matrices with known truth, for tests and the scale benchmark."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp


def synthetic_label_matrix(
    n: int,
    m: int,
    k: int = 2,
    *,
    balance: Sequence[float] | None = None,
    coverage: tuple[float, float] = (0.01, 0.20),
    accuracy: tuple[float, float] = (0.55, 0.95),
    seed: int = 0,
) -> tuple[sp.csr_matrix, npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Votes of ``m`` conditionally independent LFs on ``n`` rows, the true labels, the accuracies.

    The generator: ``y ~ balance`` (uniform when ``None``). LF ``j`` draws a coverage from
    ``U(*coverage)`` (the share of rows it votes on, independent of the class) and an accuracy
    from ``U(*accuracy)``; on each row it votes on, it votes ``y`` with that accuracy and
    otherwise a uniformly drawn other class. With the defaults a row gets about ``0.105 m``
    votes. The matrix is CSR storing vote + 1 (int8 for ``k < 127``), 0 = abstain.

    Examples
    --------
    >>> votes, y, acc = synthetic_label_matrix(1000, 5, 3, seed=1)
    >>> votes.shape, y.shape, acc.shape, int(votes.data.max()) <= 3
    ((1000, 5), (1000,), (5,), True)
    """
    rng = np.random.default_rng(seed)
    y = rng.choice(k, size=n, p=None if balance is None else np.asarray(balance, dtype=float))
    covered = rng.uniform(*coverage, size=m)
    accurate = rng.uniform(*accuracy, size=m)
    rows, cols, values = [], [], []
    for j in range(m):
        voted = np.flatnonzero(rng.random(n) < covered[j])
        vote = y[voted].copy()
        wrong = rng.random(voted.size) >= accurate[j]
        vote[wrong] = (vote[wrong] + rng.integers(1, k, size=int(wrong.sum()))) % k
        rows.append(voted)
        cols.append(np.full(voted.size, j))
        values.append(vote + 1)
    dtype = np.int8 if k < 127 else np.int32
    matrix = sp.csr_matrix(
        (
            np.concatenate(values).astype(dtype),
            (np.concatenate(rows), np.concatenate(cols)),
        ),
        shape=(n, m),
    )
    return matrix, y.astype(np.int64), accurate
