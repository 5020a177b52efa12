"""The label models on the shared WRENCH label matrices (fit on train, scored on test)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from babble.datasets import load_dataset
from babble.labelmodel import LabelModel, MajorityVoter
from babble.labelmodel._base import break_ties, score_predictions
from babble.types import Dataset

SHAPES = {
    "youtube": ((1686, 10), (250, 10)),
    "trec": ((5033, 68), (500, 68)),
    "semeval": ((1749, 164), (600, 164)),
}
FLOORS = {"youtube": 85.0, "trec": 62.0, "semeval": 82.0}
"""Our test score (mean over 5 tie-breaking seeds) measured at 86.0, 63.0 and 82.5."""


@pytest.fixture(scope="module", params=sorted(SHAPES))
def wrench(request: pytest.FixtureRequest, shared_data: Path) -> tuple[str, Dataset]:
    name: str = request.param
    return name, load_dataset("wrench", shared_data / "wrench" / name)


def mean_score(proba: np.ndarray, ds: Dataset, seeds: int = 5) -> float:
    """Mean test metric (percent) of the seeded random-tie predictions from ``proba``."""
    gold, k = ds.gold("test"), ds.label_space.k
    return float(
        np.mean(
            [
                100.0
                * score_predictions(
                    gold, break_ties(proba, "random", np.random.default_rng(s)), ds.metric, k
                )
                for s in range(seeds)
            ]
        )
    )


def test_matrix_shapes(wrench: tuple[str, Dataset]) -> None:
    name, ds = wrench
    assert (ds.label_matrices["train"].shape, ds.label_matrices["test"].shape) == SHAPES[name]


def test_ours_beats_majority_vote_on_test(wrench: tuple[str, Dataset]) -> None:
    name, ds = wrench
    train, k = ds.label_matrices["train"], ds.label_space.k
    ours = mean_score(
        LabelModel(cardinality=k).fit(train).predict_proba(ds.label_matrices["test"]), ds
    )
    mv = mean_score(
        MajorityVoter(cardinality=k).fit(train).predict_proba(ds.label_matrices["test"]), ds
    )
    assert ours >= FLOORS[name]
    assert ours > mv


def test_sms_rare_spam_on_the_train_matrix(shared_data: Path) -> None:
    """sms is scored on train: WRENCH's stored sms test matrix is not what its LFs give on the
    test texts (see benchmarks/label_model.py), so it cannot rank label models. Measured: F1
    57.3 (ours) vs 36.5 (majority vote, which guesses on the 59% of rows where no LF votes)."""
    ds = load_dataset("wrench", shared_data / "wrench" / "sms")
    train, gold = ds.label_matrices["train"], ds.gold("train")
    assert train.shape == (4571, 73)
    ours = LabelModel(cardinality=2).fit(train)
    mv = MajorityVoter(cardinality=2).fit(train)
    scores = [
        100.0 * score_predictions(gold, model.predict(train), "f1", 2) for model in (ours, mv)
    ]
    assert scores[0] > 55.0 and scores[0] > scores[1] + 15.0


def test_semeval_broad_lf_is_fixed_by_the_precise_ones(shared_data: Path) -> None:
    ds = load_dataset("wrench", shared_data / "wrench" / "semeval")
    model = LabelModel().fit(ds.label_matrices["train"])
    assert model.dependencies_.fixes == ((40, 136), (41, 136), (43, 136))


def test_copies_of_the_busiest_lfs_leave_ours_unchanged(shared_data: Path) -> None:
    ds = load_dataset("wrench", shared_data / "wrench" / "trec")
    train, test = ds.label_matrices["train"], ds.label_matrices["test"]
    busiest = np.argsort(-(train != -1).sum(axis=0), kind="stable")[:5]
    extra = np.repeat(busiest, 10)
    groups = [[int(j), *range(68 + 10 * i, 68 + 10 * (i + 1))] for i, j in enumerate(busiest)]
    plain = LabelModel(cardinality=6).fit(train).predict_proba(test)
    copied = LabelModel(cardinality=6).fit(np.hstack([train, train[:, extra]]), groups=groups)
    np.testing.assert_allclose(copied.predict_proba(np.hstack([test, test[:, extra]])), plain)


@pytest.mark.slow
def test_ours_keeps_up_with_snorkel(wrench: tuple[str, Dataset]) -> None:
    """Statistical check against Snorkel 0.10 (the ``bench`` extra), one seed: opt-in."""
    snorkel = pytest.importorskip("snorkel.labeling.model")
    _, ds = wrench
    train, k = ds.label_matrices["train"], ds.label_space.k
    baseline = snorkel.LabelModel(cardinality=k, verbose=False)
    baseline.fit(train, n_epochs=500, lr=0.01, seed=0, progress_bar=False)
    test = ds.label_matrices["test"]
    ours = mean_score(LabelModel(cardinality=k).fit(train).predict_proba(test), ds)
    assert ours >= mean_score(baseline.predict_proba(test), ds) - 0.5
