"""Majority vote: the baseline every label model must beat, vectorised over a sparse matrix."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self

import numpy as np
import scipy.sparse as sp

from babble.labelmodel._base import (
    BaseLabelModel,
    FloatArray,
    check_label_matrix,
    infer_cardinality,
)
from babble.labelmodel.dependencies import Dependencies, normalize_groups, vote_weights


def vote_counts(
    votes: sp.csr_matrix, cardinality: int, weights: FloatArray | None = None
) -> FloatArray:
    """Per row and class, the (weighted) number of votes; ``votes`` stores vote + 1.

    Examples
    --------
    >>> vote_counts(sp.csr_matrix([[1, 2, 2], [0, 0, 0]]), 3).tolist()
    [[1.0, 2.0, 0.0], [0.0, 0.0, 0.0]]
    """
    data = np.ones(votes.nnz) if weights is None else weights
    # One column per class: densifying sums the entries a row has in the same column.
    by_class = sp.csr_matrix(
        (data, votes.data.astype(np.int32) - 1, votes.indptr),
        shape=(votes.shape[0], cardinality),
    )
    counts: FloatArray = np.asarray(by_class.toarray(), dtype=np.float64)
    return counts


class MajorityVoter(BaseLabelModel):
    """Majority vote over the LFs that do not abstain.

    ``predict_proba`` gives each row's vote shares; a row where every LF abstains gets the uniform
    distribution (majority vote has no class prior). ``predict`` takes the most voted class, ties
    settled by ``tie_break``: ``"random"`` (uniform among the tied classes, seeded by
    ``random_state``, as WRENCH does), ``"abstain"`` (``-1``) or ``"first"`` (lowest index, which
    favours class 0). ``fit`` only records the number of LFs and classes, and the LF ``groups``
    whose members share one vote per row (see :mod:`babble.labelmodel.dependencies`).

    Parameters
    ----------
    cardinality
        Number of classes; ``None`` infers it at ``fit`` as the largest vote + 1.
    tie_break
        ``"random"``, ``"abstain"`` or ``"first"``.
    random_state
        Seed of the tie-breaking generator (``None``: fresh entropy on each ``predict``).

    Examples
    --------
    >>> L = np.array([[0, 0, 1], [1, -1, 1], [-1, -1, -1]])
    >>> mv = MajorityVoter(tie_break="abstain").fit(L)
    >>> mv.predict_proba(L).round(2).tolist()
    [[0.67, 0.33], [0.0, 1.0], [0.5, 0.5]]
    >>> mv.predict(L).tolist()
    [0, 1, -1]
    """

    def __init__(
        self,
        *,
        cardinality: int | None = None,
        tie_break: str = "random",
        random_state: int | None = None,
    ) -> None:
        self.cardinality = cardinality
        self.tie_break = tie_break
        self.random_state = random_state

    _fitted_attributes = ("cardinality_", "n_lfs_", "groups_")
    groups_: tuple[tuple[int, ...], ...]

    def fit(self, labels: object, *, groups: Iterable[Iterable[int]] | None = None) -> Self:
        """Record the shape of ``labels`` (and validate it) and the LF ``groups``; return self."""
        self._check_common_params()
        votes = check_label_matrix(labels, cardinality=self.cardinality)
        self.n_lfs_ = votes.shape[1]
        self.cardinality_ = infer_cardinality(votes, self.cardinality)
        self.groups_ = normalize_groups(groups, self.n_lfs_)
        return self

    def predict_proba(self, labels: object) -> FloatArray:
        """Vote shares per row; all-abstain rows get ``1 / k`` for every class."""
        votes = self._check_predict_input(labels)
        weights = vote_weights(votes, Dependencies(self.groups_))
        counts = vote_counts(votes, self.cardinality_, weights)
        total = counts @ np.ones(self.cardinality_)  # faster than sum(axis=1) on many rows
        empty = total == 0
        counts[empty] = 1.0
        total[empty] = self.cardinality_
        counts /= total[:, None]
        return counts

    def _get_state(self) -> dict[str, Any]:
        return {
            "cardinality_": self.cardinality_,
            "n_lfs_": self.n_lfs_,
            "groups_": [list(g) for g in self.groups_],
        }

    def _set_state(self, state: dict[str, Any]) -> None:
        self.cardinality_ = int(state["cardinality_"])
        self.n_lfs_ = int(state["n_lfs_"])
        self.groups_ = normalize_groups(state["groups_"], self.n_lfs_)
