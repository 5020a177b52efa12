"""Label-matrix validation, tie-breaking and metrics shared by every label model."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from babble.errors import LabelModelInputError, LabelModelParameterError
from babble.labelmodel import to_sparse
from babble.labelmodel._base import (
    break_ties,
    check_gold,
    check_label_matrix,
    infer_cardinality,
    score_predictions,
)

DENSE = np.array([[0, -1, 1], [-1, -1, -1], [2, 2, -1]])
STORED = [[1, 0, 2], [0, 0, 0], [3, 3, 0]]


class Wrapped:
    """Stands for babble.apply's LabelMatrix: an object whose ``.matrix`` is sparse."""

    def __init__(self, matrix: sp.csr_matrix) -> None:
        self.matrix = matrix


@pytest.mark.parametrize(
    "labels",
    [
        DENSE,
        DENSE.tolist(),
        DENSE.astype(np.int8),
        DENSE.astype(np.float32),
        sp.csr_matrix(STORED),
        sp.coo_matrix(STORED),
        sp.csc_matrix(np.array(STORED, dtype=np.float64)),
        Wrapped(sp.csr_matrix(np.array(STORED, dtype=np.int16))),
    ],
    ids=["int64", "list", "int8", "float", "csr", "coo", "csc-float", "wrapped"],
)
def test_every_encoding_gives_the_same_votes(labels: Any) -> None:
    votes = check_label_matrix(labels, cardinality=3)
    assert votes.format == "csr"
    assert votes.toarray().tolist() == STORED
    assert votes.indices.dtype == np.int32


def test_to_sparse_round_trips() -> None:
    assert (to_sparse(DENSE).toarray() - 1).tolist() == DENSE.tolist()


def test_stored_zeros_are_abstentions_and_the_input_is_not_modified() -> None:
    matrix = sp.csr_matrix((np.array([0, 2]), np.array([0, 1]), np.array([0, 2])), shape=(1, 2))
    votes = check_label_matrix(matrix)
    assert votes.nnz == 1 and votes.toarray().tolist() == [[0, 2]]
    assert matrix.nnz == 2


@pytest.mark.parametrize(
    ("labels", "fragment"),
    [
        (np.array([[0, np.nan]]), "row 0, column 1: value nan is not a whole number"),
        (np.array([[0.5, 1]]), "row 0, column 0: value 0.5"),
        (sp.csr_matrix(np.array([[0, 1.5]])), "row 0, column 1: value 1.5"),
        (np.array([["a", "b"]]), "dtype <U1"),
        (np.array([[True, False]]), "dtype bool"),
        ([[0, 1], [1]], "rectangular"),
        (np.array([0, 1]), "must be 2-d"),
        (np.zeros((2, 2, 2), dtype=int), "must be 2-d"),
        (np.zeros((3, 0), dtype=int), "no LF column"),
        (np.zeros((0, 3), dtype=int), "no row"),
        (np.array([[0, -2]]), "row 0, column 1: vote -2 is outside the label space"),
        (sp.csr_matrix(np.array([[-1, 1]])), "store vote + 1, so abstain is 0"),
        (np.array([[0, 5000]]), "vote 5000 would make 5001 classes"),
    ],
)
def test_bad_label_matrices_say_what_and_where(labels: Any, fragment: str) -> None:
    with pytest.raises(LabelModelInputError, match="E501") as info:
        check_label_matrix(labels)
    assert fragment in str(info.value)


def test_a_vote_outside_the_given_label_space_is_located() -> None:
    with pytest.raises(LabelModelInputError, match=r"row 2, column 0: vote 2 is outside .* 0\.\.1"):
        check_label_matrix(DENSE, cardinality=2)


def test_column_count_is_checked_against_the_fitted_model() -> None:
    with pytest.raises(LabelModelInputError, match="3 LF columns but the model was fitted on 4"):
        check_label_matrix(DENSE, n_lfs=4)


def test_empty_matrices_are_allowed_only_when_asked() -> None:
    assert check_label_matrix(np.zeros((0, 3), dtype=int), allow_empty=True).shape == (0, 3)


def test_cardinality_is_inferred_from_the_largest_vote_and_is_at_least_two() -> None:
    assert infer_cardinality(check_label_matrix(DENSE), None) == 3
    assert infer_cardinality(check_label_matrix([[0, -1]]), None) == 2
    assert infer_cardinality(check_label_matrix([[-1, -1]]), 5) == 5


def test_tie_breaking_policies() -> None:
    proba = np.array([[0.5, 0.5, 0.0], [0.1, 0.2, 0.7], [1 / 3, 1 / 3, 1 / 3]])
    rng = np.random.default_rng(0)
    assert break_ties(proba, "first", rng).tolist() == [0, 2, 0]
    assert break_ties(proba, "abstain", rng).tolist() == [-1, 2, -1]
    draws = np.array([break_ties(proba, "random", np.random.default_rng(s)) for s in range(300)])
    assert set(draws[:, 0]) == {0, 1} and set(draws[:, 1]) == {2} and set(draws[:, 2]) == {0, 1, 2}
    assert 0.4 < np.mean(draws[:, 0] == 0) < 0.6
    assert break_ties(np.zeros((0, 2)), "random", rng).shape == (0,)


def test_random_ties_are_reproducible_with_a_seed() -> None:
    proba = np.full((50, 2), 0.5)
    first = break_ties(proba, "random", np.random.default_rng(7))
    assert np.array_equal(first, break_ties(proba, "random", np.random.default_rng(7)))


@pytest.mark.parametrize(
    ("metric", "expected"),
    [("accuracy", 0.5), ("f1", 0.5), ("macro_f1", (0.5 + 2 / 3) / 2)],
)
def test_metrics_skip_unknown_gold_and_count_abstentions_wrong(
    metric: str, expected: float
) -> None:
    gold = np.array([1, 1, 0, 0, -1])
    predicted = np.array([1, -1, 0, 1, 1])
    assert score_predictions(gold, predicted, metric, 2) == pytest.approx(expected)


def test_binary_f1_refuses_a_multiclass_task() -> None:
    with pytest.raises(LabelModelParameterError, match="use 'macro_f1'"):
        score_predictions(np.array([0, 2]), np.array([0, 2]), "f1", 3)


def test_no_known_gold_scores_zero() -> None:
    assert score_predictions(np.array([-1]), np.array([0]), "accuracy", 2) == 0.0


@pytest.mark.parametrize(
    ("gold", "fragment"),
    [
        ([0, 1], "1-d array of 3 labels"),
        ([0.0, 1.0, 1.0], "dtype float64"),
        ([0, 3, 1], "row 1 is 3; expected 0..1"),
    ],
)
def test_bad_gold_labels(gold: list[Any], fragment: str) -> None:
    with pytest.raises(LabelModelInputError, match="E501") as info:
        check_gold(gold, 3, 2)
    assert fragment in str(info.value)
