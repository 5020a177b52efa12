"""The transformer end model on a tiny random BERT: learning, saving, resuming, bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from toydata import SPACE, relation, toy_pool

import babble.endmodel.train as train_module
from babble.datasets._common import simple_tokenize
from babble.endmodel import EndModel, load_end_model
from babble.endmodel.labels import prior_shift, softmax
from babble.errors import (
    CandidateRolesError,
    CheckpointError,
    ConfigError,
    EmptyTrainingSetError,
    EndModelError,
    LabelSpaceMismatchError,
    ModelNotFoundError,
    NotFittedError,
    ProbabilisticLabelsError,
)
from babble.types import Candidate, LabelSpace

FAST = {"batch_size": 8, "lr": 2e-3, "warmup": 0.0, "progress": False, "cpu_threads": 1}


def _model(tiny_model: Path, **settings: Any) -> EndModel:
    return EndModel(tiny_model, **{**FAST, **settings})


@pytest.fixture(scope="module")
def trained(tiny_model: Path) -> EndModel:
    """A model fitted on the toy pool with soft labels (0.9 on the gold class)."""
    pool = toy_pool()
    gold = np.array([c.label for c in pool])
    probs = np.where(np.eye(2)[gold] == 1, 0.9, 0.1)
    return _model(tiny_model, steps=60).fit(pool, probs, label_space=SPACE)


def test_learns_the_toy_task(trained: EndModel, pool: list[Candidate]) -> None:
    probs = trained.predict_proba(pool)
    assert probs.shape == (len(pool), 2)
    assert np.allclose(probs.sum(axis=1), 1.0)
    accuracy = float((probs.argmax(axis=1) == [c.label for c in pool]).mean())
    assert accuracy >= 0.9
    assert trained.result is not None and trained.result.steps == 60


def test_save_and_load_round_trip(trained: EndModel, pool: list[Candidate], tmp_path: Path) -> None:
    folder = trained.save(tmp_path / "model")
    assert {"endmodel.json", "encoder", "head.safetensors"} <= {p.name for p in folder.iterdir()}
    loaded = load_end_model(folder, device="cpu")
    assert isinstance(loaded, EndModel)
    assert loaded.label_space is not None and loaded.label_space.labels == SPACE.labels
    assert np.allclose(loaded.predict_proba(pool), trained.predict_proba(pool), atol=1e-6)
    assert loaded.predict(pool[:3]).dtype == np.int64


def test_predicting_nothing_gives_an_empty_array(trained: EndModel) -> None:
    assert trained.predict_proba([]).shape == (0, 2)


def test_seeded_runs_are_reproducible(
    tiny_model: Path, pool: list[Candidate], soft: np.ndarray
) -> None:
    a = _model(tiny_model, steps=6, seed=3).fit(pool, soft).predict_proba(pool)
    b = _model(tiny_model, steps=6, seed=3).fit(pool, soft).predict_proba(pool)
    c = _model(tiny_model, steps=6, seed=4).fit(pool, soft).predict_proba(pool)
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)


def test_interrupted_run_resumes_exactly(
    tiny_model: Path,
    pool: list[Candidate],
    soft: np.ndarray,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 72 candidates, batch 8: 9 steps an epoch, so a checkpoint every 9 steps.
    settings = {"steps": 27, "dropout": 0.2}
    reference = _model(tiny_model, **settings).fit(pool, soft).predict_proba(pool)
    step = train_module._step
    calls = {"n": 0}

    def interrupted(trainer: Any, batch: Any) -> float:
        calls["n"] += 1
        if calls["n"] > 13:
            raise KeyboardInterrupt
        return step(trainer, batch)

    monkeypatch.setattr(train_module, "_step", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _model(tiny_model, **settings).fit(pool, soft, checkpoint_dir=tmp_path)
    assert (tmp_path / "LATEST").read_text().strip() == "step-0000009"
    monkeypatch.setattr(train_module, "_step", step)
    resumed = _model(tiny_model, **settings).fit(pool, soft, checkpoint_dir=tmp_path)
    assert resumed.result is not None and resumed.result.resumed_from == 9
    assert np.allclose(resumed.predict_proba(pool), reference, atol=1e-6)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["LATEST", "step-0000027"]
    other = _model(tiny_model, steps=27, lr=1e-3)
    with pytest.raises(CheckpointError, match="belongs to a different run"):
        other.fit(pool, soft, checkpoint_dir=tmp_path)
    other.fit(pool, soft, checkpoint_dir=tmp_path, resume=False)  # starts over
    assert other.result is not None and other.result.resumed_from is None


def test_early_stopping_keeps_the_best_round(
    tiny_model: Path, pool: list[Candidate], soft: np.ndarray
) -> None:
    model = _model(tiny_model, steps=45, patience=1, lr=1e-4).fit(
        pool, soft, dev=pool, label_space=SPACE, metric="f1"
    )
    result = model.result
    assert result is not None and result.best_score is not None
    assert all("dev" in h for h in result.history)
    if result.stopped_early:
        assert result.steps < 45
    gold = np.array([c.label for c in pool])
    from babble.metrics import score

    assert score("f1", gold, model.predict(pool), SPACE) == pytest.approx(result.best_score)


def test_a_dev_set_moves_the_class_prior_and_the_move_is_saved(
    tiny_model: Path, pool: list[Candidate], tmp_path: Path
) -> None:
    gold = np.array([c.label for c in pool])
    skewed = np.where(np.eye(2)[gold] == 1, 0.9, 0.1)
    skewed[: len(pool) // 2] = [0.1, 0.9]  # labels that call 90% of the pool "spouse"
    dev = pool[::3]
    moved = _model(tiny_model, steps=9, class_prior="dev").fit(
        pool, skewed, dev=dev, label_space=SPACE
    )
    kept = _model(tiny_model, steps=9).fit(pool, skewed, dev=dev, label_space=SPACE)
    shift = prior_shift(skewed, [c.label for c in dev])
    assert np.allclose(moved._logit_shift, shift)
    logits = np.log(kept.predict_proba(pool))
    assert np.allclose(moved.predict_proba(pool), softmax(logits + shift), atol=1e-6)
    loaded = load_end_model(moved.save(tmp_path / "model"), device="cpu")
    assert np.allclose(loaded.predict_proba(pool), moved.predict_proba(pool), atol=1e-6)


def test_text_classification_and_class_weights(tiny_model: Path) -> None:
    texts = ["ann married bob", "ann met bob", "bob is the wife of cy", "cy saw dee"]
    cands = [
        Candidate(str(i), "d", t, simple_tokenize(t), label=i % 2) for i, t in enumerate(texts)
    ]
    probs = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.9, 0.1]])
    model = _model(tiny_model, steps=4, class_weights="balanced").fit(cands, probs)
    assert model.predict_proba(cands).shape == (4, 2)
    assert model.label_space is not None and model.label_space.labels == ("0", "1")


def test_unknown_model_offline_is_a_clear_error(pool: list[Candidate], soft: np.ndarray) -> None:
    with pytest.raises(
        ModelNotFoundError, match=r"cannot load model 'no-such-org/no-such-model'.*offline"
    ):
        EndModel("no-such-org/no-such-model", progress=False).fit(pool, soft)


def test_model_path_that_is_a_file_or_empty_folder(
    tmp_path: Path, pool: list[Candidate], soft: np.ndarray
) -> None:
    (tmp_path / "weights.bin").write_bytes(b"")
    with pytest.raises(ModelNotFoundError, match="is a file; expected a model folder"):
        EndModel(tmp_path / "weights.bin", progress=False).fit(pool, soft)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelNotFoundError, match="holds no loadable model"):
        EndModel(tmp_path / "empty", progress=False).fit(pool, soft)


@pytest.mark.parametrize(
    ("probs", "covered", "error", "fragment"),
    [
        (np.full((5, 2), 0.5), None, ProbabilisticLabelsError, "5 rows for 72 candidates"),
        (np.full((72, 2), 0.6), None, ProbabilisticLabelsError, "row 0 sums to 1.2"),
        (
            np.full((72, 3), 1 / 3),
            None,
            ProbabilisticLabelsError,
            "3 columns, but the label space has 2",
        ),
        (np.full((72, 2), 0.5), np.zeros(72, dtype=bool), EmptyTrainingSetError, "no LF voted"),
    ],
)
def test_bad_training_input(
    tiny_model: Path,
    pool: list[Candidate],
    probs: np.ndarray,
    covered: np.ndarray | None,
    error: type[Exception],
    fragment: str,
) -> None:
    with pytest.raises(error, match=fragment):
        _model(tiny_model, steps=1).fit(pool, probs, label_space=SPACE, covered=covered)


def test_empty_pool(tiny_model: Path) -> None:
    with pytest.raises(EmptyTrainingSetError, match="the pool is empty"):
        _model(tiny_model, steps=1).fit([], np.zeros((0, 2)), label_space=SPACE)


def test_label_space_must_match_the_models(trained: EndModel) -> None:
    trained.check_label_space(SPACE)
    with pytest.raises(
        LabelSpaceMismatchError, match="trained on labels \\['not_spouse', 'spouse'\\]"
    ):
        trained.check_label_space(LabelSpace(("spouse", "not_spouse")))


def test_candidates_of_another_kind_are_rejected(
    trained: EndModel, tiny_model: Path, pool: list[Candidate], soft: np.ndarray
) -> None:
    text = "ann met bob"
    plain = Candidate("t", "d", text, simple_tokenize(text))
    with pytest.raises(CandidateRolesError, match="trained on \\['subject', 'object'\\]"):
        trained.predict_proba([plain])
    with pytest.raises(CandidateRolesError, match="mix entity roles"):
        _model(tiny_model, steps=1).fit([*pool[:2], plain], soft[:3])


def test_dev_set_without_gold_is_an_error(
    tiny_model: Path, pool: list[Candidate], soft: np.ndarray
) -> None:
    dev = [relation("d0", "Ann", "met", "Bob", None)]
    with pytest.raises(EndModelError, match="has no gold labels"):
        _model(tiny_model, steps=1).fit(pool, soft, dev=dev)


def test_not_fitted_unknown_settings_and_missing_folders(tmp_path: Path) -> None:
    with pytest.raises(NotFittedError, match="not trained yet"):
        EndModel().predict_proba([])
    with pytest.raises(ConfigError, match="unknown end model settings \\['learning_rate'\\]"):
        EndModel(learning_rate=1e-3)
    with pytest.raises(ConfigError, match="must be positive"):
        EndModel(steps=0)
    with pytest.raises(ConfigError, match="class_prior must be one of"):
        EndModel(class_prior="uniform")
    with pytest.raises(CheckpointError, match="is not a saved end model"):
        load_end_model(tmp_path)
