"""The learned label model: what it learns, edge cases, bad input, persistence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from babble.errors import (
    LabelModelFileError,
    LabelModelInputError,
    LabelModelNotFittedError,
    LabelModelParameterError,
)
from babble.labelmodel import LabelModel, MajorityVoter, to_sparse
from babble.labelmodel.synthetic import synthetic_label_matrix


def accuracy(model: Any, votes: sp.csr_matrix, y: np.ndarray) -> float:
    return float(np.mean(model.predict(votes) == y))


@pytest.fixture(scope="module")
def skewed() -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Ten LFs of very different accuracy on an imbalanced three-class task."""
    return synthetic_label_matrix(
        20_000, 10, 3, balance=(0.6, 0.3, 0.1), coverage=(0.2, 0.5), accuracy=(0.4, 0.95), seed=3
    )


def test_it_learns_the_class_balance_and_which_lfs_to_trust(
    skewed: tuple[sp.csr_matrix, np.ndarray, np.ndarray],
) -> None:
    votes, y, true_accuracy = skewed
    model = LabelModel(random_state=0).fit(votes)
    # The majority-vote anchor shrinks the balance towards MV's (documented); plain EM does not.
    mv_balance = MajorityVoter().fit(votes).predict_proba(votes).mean(axis=0)
    error = np.abs(model.class_balance_ - [0.6, 0.3, 0.1])
    assert error.max() < 0.1 and error.sum() < np.abs(mv_balance - [0.6, 0.3, 0.1]).sum()
    plain = LabelModel(anchor=0.0).fit(votes)
    np.testing.assert_allclose(plain.class_balance_, [0.6, 0.3, 0.1], atol=0.03)
    # P(vote = y | y) on the diagonal, averaged over classes, follows each LF's accuracy.
    learned = np.mean([np.diagonal(p) / p.sum(axis=1) for p in model.conditional_probs_], axis=1)
    assert np.corrcoef(learned, true_accuracy)[0, 1] > 0.95
    assert model.converged_ and model.n_iter_ < model.max_iter
    assert accuracy(model, votes, y) > accuracy(MajorityVoter(random_state=0).fit(votes), votes, y)


def test_accuracies_are_the_chance_a_vote_is_right(
    skewed: tuple[sp.csr_matrix, np.ndarray, np.ndarray],
) -> None:
    votes, y, _ = skewed
    model = LabelModel(anchor=0.0).fit(votes)  # unshrunk: the definition, checked exactly
    dense = votes.toarray() - 1
    for j in (0, 5):
        voted_zero = dense[:, j] == 0
        assert model.accuracies_[j, 0] == pytest.approx(np.mean(y[voted_zero] == 0), abs=0.05)


def test_nineteen_classes() -> None:
    votes, y, _ = synthetic_label_matrix(5000, 30, 19, coverage=(0.1, 0.4), seed=1)
    model = LabelModel(random_state=0).fit(votes)
    assert model.conditional_probs_.shape == (30, 19, 19)
    mv = MajorityVoter(random_state=0).fit(votes)
    assert accuracy(model, votes, y) >= accuracy(mv, votes, y) - 0.01


def test_fit_is_deterministic_and_the_seed_only_breaks_ties(
    skewed: tuple[sp.csr_matrix, np.ndarray, np.ndarray],
) -> None:
    votes = skewed[0]
    probas = [LabelModel(random_state=s).fit(votes).predict_proba(votes) for s in (0, 1, 2)]
    for proba in probas[1:]:
        np.testing.assert_array_equal(proba, probas[0])


def test_the_structure_sample_is_seeded(
    skewed: tuple[sp.csr_matrix, np.ndarray, np.ndarray],
) -> None:
    votes = skewed[0]
    first = LabelModel(structure_sample=500, random_state=4).fit(votes).predict_proba(votes)
    again = LabelModel(structure_sample=500, random_state=4).fit(votes).predict_proba(votes)
    np.testing.assert_array_equal(first, again)


def one_sided_lfs(
    n: int, y: np.ndarray, targets: list[int], hit: np.ndarray, miss: np.ndarray, seed: int
) -> np.ndarray:
    """Keyword-like LFs: LF ``j`` votes only ``targets[j]``, on a share ``hit[j]`` of that
    class's rows and ``miss[j]`` of the others' (dense, -1 = abstain)."""
    rng = np.random.default_rng(seed)
    target = np.asarray(targets)
    fires = np.where(y[:, None] == target, hit, miss) > rng.random((n, target.size))
    return np.where(fires, target, -1)


def mean_score(model: Any, labels: np.ndarray, y: np.ndarray, metric: str) -> float:
    """``score`` averaged over five tie-breaking seeds (majority vote ties often)."""
    return float(
        np.mean([model.set_params(random_state=s).score(labels, y, metric) for s in range(5)])
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_rare_class_with_sms_like_keyword_lfs(seed: int) -> None:
    """As on WRENCH sms: 13% positives, 10 broad LFs for the majority class, 30 precise ones for
    the rare class, every LF one-sided, about 40% of the rows covered."""
    n, rng = 5000, np.random.default_rng(seed)
    y = (rng.random(n) < 0.13).astype(np.int64)
    targets = [0] * 10 + [1] * 30
    hit = np.r_[rng.uniform(0.02, 0.06, 10), rng.uniform(0.02, 0.06, 30)]
    labels = one_sided_lfs(n, y, targets, hit, rng.uniform(0.0005, 0.003, 40), seed)
    covered = (labels != -1).any(axis=1)
    assert 0.3 < covered.mean() < 0.5
    ours, mv = LabelModel(cardinality=2).fit(labels), MajorityVoter(cardinality=2).fit(labels)
    for metric in ("f1", "accuracy"):
        assert mean_score(ours, labels, y, metric) >= mean_score(mv, labels, y, metric)
    assert (ours.predict(labels)[~covered] == 0).all()  # the prior: the majority class
    # Estimated on the covered rows, where the precise LFs make positives more common.
    assert np.mean(y) < ours.class_balance_[1] < 0.5


def broad_and_rare(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """8 classes, class 7 rare (1%) with one noisy LF; three broad LFs (classes 0-2) that err on
    30% of every other class's rows; two precise LFs per class 0-6. Dense labels, gold."""
    n, rng = 6000, np.random.default_rng(seed)
    y = rng.choice(8, size=n, p=np.r_[[1.0] * 7, 0.1] / 7.1)
    targets = [0, 1, 2, *np.repeat(np.arange(7), 2).tolist(), 7]
    hit = np.r_[[0.8] * 3, [0.15] * 14, 0.1]
    miss = np.r_[[0.3] * 3, [0.005] * 14, 0.003]
    return one_sided_lfs(n, y, targets, hit, miss, seed), y


def covered_accuracy(model: Any, labels: np.ndarray, y: np.ndarray) -> float:
    covered = (labels != -1).any(axis=1)
    return float(np.mean(model.predict(labels)[covered] == y[covered]))


def test_a_rarely_voted_class_does_not_swallow_a_broad_lfs_errors() -> None:
    """Without pooled error rates, the rare class learns to explain the broad LFs' errors and
    takes their rows (on 3 of these 5 draws); with them it never does."""
    drifted = 0
    for seed in range(5):
        labels, y = broad_and_rare(seed)
        ours = LabelModel(random_state=0).fit(labels)
        assert ours.class_balance_[7] < 0.02 and ours.converged_
        mv = MajorityVoter(random_state=0).fit(labels)
        assert covered_accuracy(ours, labels, y) > covered_accuracy(mv, labels, y) + 0.03
        unpooled = LabelModel(error_pooling=0.0, random_state=0).fit(labels)
        if unpooled.class_balance_[7] > 0.1:
            drifted += 1
            gain = covered_accuracy(ours, labels, y) - covered_accuracy(unpooled, labels, y)
            assert gain > 0.04
    assert drifted >= 3


def test_error_pooling_changes_nothing_on_a_binary_task() -> None:
    votes, _, _ = synthetic_label_matrix(3000, 12, 2, balance=(0.3, 0.7), seed=5)
    pooled = LabelModel().fit(votes).predict_proba(votes)
    np.testing.assert_allclose(
        LabelModel(error_pooling=0.0).fit(votes).predict_proba(votes), pooled
    )


def test_all_abstain_rows_get_the_class_prior() -> None:
    labels = np.array([[0, 0], [1, 1], [0, -1], [-1, -1]])
    model = LabelModel(class_balance=[0.25, 0.75]).fit(labels)
    np.testing.assert_array_equal(model.class_balance_, [0.25, 0.75])
    np.testing.assert_allclose(model.predict_proba(labels)[3], [0.25, 0.75])
    assert model.predict(labels)[3] == 1


@pytest.mark.parametrize("balance", [None, [0.2, 0.3, 0.5]])
def test_an_all_abstain_matrix_fits_to_the_prior(balance: list[float] | None) -> None:
    labels = np.full((4, 3), -1)
    model = LabelModel(cardinality=3, class_balance=balance).fit(labels)
    prior = [1 / 3] * 3 if balance is None else balance
    np.testing.assert_allclose(model.predict_proba(labels), [prior] * 4)
    np.testing.assert_allclose(model.accuracies_, [prior] * 3)
    assert model.n_iter_ == 0


def test_a_single_lf_is_followed_where_it_votes() -> None:
    labels = np.array([[0], [1], [1], [-1], [2]])
    model = LabelModel(cardinality=3).fit(labels)
    assert model.predict(labels)[[0, 1, 2, 4]].tolist() == [0, 1, 1, 2]
    assert np.isfinite(model.predict_proba(labels)).all()


def test_a_class_no_lf_votes_keeps_a_small_finite_probability() -> None:
    labels = np.array([[0, 0], [1, 1], [0, 1], [1, -1]] * 5)
    model = LabelModel(cardinality=3).fit(labels)
    proba = model.predict_proba(labels)
    assert np.isfinite(proba).all() and (proba[:, 2] > 0).all() and (proba[:, 2] < 0.05).all()
    assert 2 not in model.predict(labels)
    assert model.class_balance_[2] == pytest.approx(1 / (20 + 3))  # its pseudo-count only


def test_a_vote_never_seen_in_training_carries_no_evidence() -> None:
    model = LabelModel(cardinality=3).fit(np.array([[0, 0], [1, 1], [1, 1], [0, -1]]))
    proba = model.predict_proba(np.array([[2, -1], [-1, -1]]))
    np.testing.assert_allclose(proba[0], proba[1])


def test_a_vote_outside_the_label_space_is_an_error() -> None:
    with pytest.raises(LabelModelInputError, match="row 1, column 0: vote 2 is outside"):
        LabelModel(cardinality=2).fit(np.array([[0, 1], [2, 1]]))
    model = LabelModel().fit(np.array([[0, 1], [1, 1]]))
    with pytest.raises(LabelModelInputError, match=r"vote 3 is outside the label space 0\.\.1"):
        model.predict_proba(np.array([[3, 1]]))


def test_no_rows_cannot_be_fitted_but_can_be_predicted() -> None:
    with pytest.raises(LabelModelInputError, match="no row"):
        LabelModel().fit(np.zeros((0, 3), dtype=int))
    model = LabelModel().fit(np.array([[0, 1, -1]]))
    assert model.predict_proba(np.zeros((0, 3), dtype=int)).shape == (0, 2)
    assert model.predict(sp.csr_matrix((0, 3))).shape == (0,)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"anchor": -1.0}, "anchor = -1.0 is invalid"),
        ({"prior_strength": 0.0}, "prior_strength = 0.0 is invalid"),
        ({"error_pooling": -0.1}, "error_pooling = -0.1 is invalid"),
        ({"max_iter": 0}, "max_iter = 0 is invalid"),
        ({"tol": 0}, "tol = 0 is invalid"),
        ({"tie_break": "coin"}, "tie_break must be one of"),
        ({"cardinality": 1}, "cardinality must be an integer >= 2"),
        ({"class_balance": [0.5, 0.6]}, "class_balance must be k positive numbers summing to 1"),
        ({"class_balance": [1.0, 0.0]}, "class_balance must be"),
        ({"class_balance": [0.5, 0.5], "cardinality": 3}, "must be 3 positive numbers"),
    ],
)
def test_bad_hyperparameters_are_reported_at_fit(params: dict[str, Any], fragment: str) -> None:
    model = LabelModel(**params)  # stored untouched
    with pytest.raises(LabelModelParameterError, match="E504") as info:
        model.fit(np.array([[0, 1]]))
    assert fragment in str(info.value)


def test_the_class_balance_sets_the_number_of_classes() -> None:
    model = LabelModel(class_balance=[0.2, 0.2, 0.6]).fit(np.array([[0, 1], [1, 1]]))
    assert model.cardinality_ == 3


def test_plain_em_without_the_anchor_still_gives_finite_probabilities(
    skewed: tuple[sp.csr_matrix, np.ndarray, np.ndarray],
) -> None:
    votes = skewed[0]
    proba = LabelModel(anchor=0.0, max_iter=20).fit(votes).predict_proba(votes)
    assert np.isfinite(proba).all()


@pytest.mark.parametrize("suffix", [".json", ".npz"])
def test_save_and_load_round_trip(
    tmp_path: Path, suffix: str, skewed: tuple[sp.csr_matrix, np.ndarray, np.ndarray]
) -> None:
    votes = skewed[0][:2000]
    groups = [[0, 1]]
    model = LabelModel(class_balance=[0.5, 0.3, 0.2], random_state=3).fit(votes, groups=groups)
    path = model.save(tmp_path / f"model{suffix}")
    loaded = LabelModel.load(path)
    np.testing.assert_array_equal(loaded.predict_proba(votes), model.predict_proba(votes))
    assert loaded.dependencies_ == model.dependencies_
    assert loaded.get_params()["random_state"] == 3
    assert (loaded.n_iter_, loaded.converged_) == (model.n_iter_, model.converged_)
    if suffix == ".npz":
        with np.load(path, allow_pickle=False) as data:  # readable without unpickling
            assert "conditional_probs_" in data.files


def test_load_refuses_another_class_and_unreadable_files(tmp_path: Path) -> None:
    path = MajorityVoter().fit(np.array([[0, 1]])).save(tmp_path / "mv.json")
    with pytest.raises(LabelModelFileError, match="holds a MajorityVoter, not a LabelModel"):
        LabelModel.load(path)
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip file")
    with pytest.raises(LabelModelFileError, match="E503"):
        LabelModel.load(garbage)
    other = tmp_path / "other.json"
    other.write_text('{"format": "something else"}')
    with pytest.raises(LabelModelFileError, match=r"is not a babble\.labelmodel file"):
        LabelModel.load(other)
    with pytest.raises(LabelModelFileError, match=r"use a \.json or \.npz"):
        LabelModel().fit(np.array([[0, 1]])).save(tmp_path / "model.pkl")


def test_predicting_before_fit_is_an_error(tmp_path: Path) -> None:
    model = LabelModel()
    for call in (
        lambda: model.predict_proba([[0]]),
        lambda: model.predict([[0]]),
        lambda: model.score([[0]], [0]),
        lambda: model.save(tmp_path / "m.json"),
    ):
        with pytest.raises(LabelModelNotFittedError, match="not fitted yet; call fit"):
            call()


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda k: st.tuples(
            st.just(k),
            st.integers(1, 25).flatmap(
                lambda n: st.integers(1, 5).flatmap(
                    lambda m: st.lists(
                        st.lists(st.integers(-1, k - 1), min_size=m, max_size=m),
                        min_size=n,
                        max_size=n,
                    )
                )
            ),
        )
    )
)
def test_probabilities_are_always_finite_and_sum_to_one(case: tuple[int, list[list[int]]]) -> None:
    k, rows = case
    labels = np.array(rows)
    for model in (LabelModel(cardinality=k), MajorityVoter(cardinality=k)):
        proba = model.fit(labels).predict_proba(labels)
        assert proba.shape == (len(rows), k)
        assert np.isfinite(proba).all()
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_sparse_and_dense_inputs_agree(
    skewed: tuple[sp.csr_matrix, np.ndarray, np.ndarray],
) -> None:
    votes = skewed[0][:3000]
    dense = votes.toarray().astype(np.int64) - 1
    from_dense = LabelModel().fit(dense).predict_proba(dense)
    np.testing.assert_allclose(LabelModel().fit(votes).predict_proba(votes), from_dense)
    np.testing.assert_allclose(LabelModel().fit(to_sparse(dense)).predict_proba(dense), from_dense)
