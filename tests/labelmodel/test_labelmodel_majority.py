"""Majority vote: vote shares, ties, all-abstain rows, groups."""

from __future__ import annotations

import numpy as np
import pytest

from babble.errors import LabelModelInputError
from babble.labelmodel import MajorityVoter, to_sparse
from babble.labelmodel.majority import vote_counts

L = np.array([[0, 0, 1], [2, -1, 1], [-1, -1, -1], [1, 1, -1]])


def test_probabilities_are_vote_shares_and_all_abstain_rows_are_uniform() -> None:
    proba = MajorityVoter(cardinality=3).fit(L).predict_proba(L)
    expected = [[2 / 3, 1 / 3, 0], [0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3], [0, 1, 0]]
    np.testing.assert_allclose(proba, expected)


@pytest.mark.parametrize(
    ("policy", "expected"), [("first", [0, 1, 0, 1]), ("abstain", [0, -1, -1, 1])]
)
def test_ties_follow_the_policy(policy: str, expected: list[int]) -> None:
    assert MajorityVoter(cardinality=3, tie_break=policy).fit(L).predict(L).tolist() == expected


def test_random_ties_choose_among_the_tied_classes_only() -> None:
    draws = {
        tuple(MajorityVoter(cardinality=3, random_state=s).fit(L).predict(L)) for s in range(40)
    }
    assert {d[1] for d in draws} == {1, 2}
    assert {d[2] for d in draws} == {0, 1, 2}
    assert {(d[0], d[3]) for d in draws} == {(0, 1)}


def test_sparse_and_dense_inputs_agree() -> None:
    dense = MajorityVoter(cardinality=3).fit(L).predict_proba(L)
    sparse = MajorityVoter(cardinality=3).fit(to_sparse(L)).predict_proba(to_sparse(L))
    np.testing.assert_array_equal(dense, sparse)


def test_a_group_casts_one_vote_per_row() -> None:
    copies = np.hstack([L, L[:, [0, 0, 0]]])
    grouped = MajorityVoter(cardinality=3).fit(copies, groups=[[0, 3, 4, 5]])
    np.testing.assert_allclose(
        grouped.predict_proba(copies), MajorityVoter(cardinality=3).fit(L).predict_proba(L)
    )


def test_a_vote_outside_the_fitted_label_space_is_an_error() -> None:
    model = MajorityVoter().fit([[0, 1]])
    with pytest.raises(LabelModelInputError, match=r"vote 2 is outside the label space 0\.\.1"):
        model.predict_proba([[2, 1]])


def test_vote_counts_are_weighted() -> None:
    counts = vote_counts(to_sparse([[0, 0, 1]]), 2, np.array([0.5, 0.5, 1.0]))
    assert counts.tolist() == [[1.0, 1.0]]
