"""The logistic-regression baseline: features, learning, C on dev, saving, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from toydata import SPACE, relation

from babble.datasets._common import simple_tokenize
from babble.endmodel import BaselineEndModel, load_end_model
from babble.endmodel.baseline import C_GRID, ngram_features
from babble.endmodel.embed import SpanEmbedder
from babble.endmodel.labels import prior_shift
from babble.errors import (
    CandidateRolesError,
    ConfigError,
    EmptyTrainingSetError,
    LabelSpaceMismatchError,
    NotFittedError,
)
from babble.types import Candidate, EntitySpan, LabelSpace


def test_learns_the_toy_task(pool: list[Candidate], soft: np.ndarray) -> None:
    model = BaselineEndModel(min_count=1).fit(pool, soft, label_space=SPACE)
    probs = model.predict_proba(pool)
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert (probs.argmax(axis=1) == [c.label for c in pool]).mean() == 1.0
    unseen = relation("x", "Eve", "married", "Finn", 1)
    assert model.predict([unseen]).tolist() == [1]


def test_soft_labels_move_the_model_less_than_hard_ones(pool: list[Candidate]) -> None:
    gold = np.array([c.label for c in pool])
    unsure = np.where(np.eye(2)[gold] == 1, 0.6, 0.4)
    sure = np.eye(2)[gold]
    soft_p = BaselineEndModel(C=1.0, min_count=1).fit(pool, unsure).predict_proba(pool)
    hard_p = BaselineEndModel(C=1.0, min_count=1).fit(pool, sure).predict_proba(pool)
    assert soft_p.max() < hard_p.max()


def test_dev_set_chooses_c(pool: list[Candidate], soft: np.ndarray) -> None:
    model = BaselineEndModel(min_count=1).fit(pool, soft, dev=pool, label_space=SPACE, metric="f1")
    assert set(model.dev_scores) == set(C_GRID) and model.C in C_GRID
    assert BaselineEndModel(C=2.0).fit(pool, soft).C == 2.0


def test_save_and_load_round_trip(pool: list[Candidate], soft: np.ndarray, tmp_path: Path) -> None:
    model = BaselineEndModel(min_count=1, class_weights="balanced").fit(
        pool, soft, label_space=SPACE
    )
    loaded = load_end_model(model.save(tmp_path / "base"))
    assert isinstance(loaded, BaselineEndModel)
    assert np.allclose(loaded.predict_proba(pool), model.predict_proba(pool))
    with pytest.raises(LabelSpaceMismatchError, match="has \\['a', 'b'\\]"):
        loaded.check_label_space(LabelSpace(("a", "b")))


def test_ngram_features_for_aspects_and_plain_text() -> None:
    text = "the soup was cold"
    aspect = Candidate(
        "a", "d", text, simple_tokenize(text), (EntitySpan("target", "ASPECT", 4, 8, "soup"),)
    )
    feats = ngram_features(aspect, 2)
    assert {"w:the <tgt>", "tgt:soup", "near:was", "near:cold"} <= set(feats)
    plain = Candidate("p", "d", "Good food!", ())
    assert ngram_features(plain, 1) == ["w:good", "w:food", "w:!"]


def test_embedding_features_with_a_tiny_encoder(
    tiny_model: Path, pool: list[Candidate], soft: np.ndarray
) -> None:
    model = BaselineEndModel("embeddings", model=str(tiny_model), device="cpu").fit(pool, soft)
    assert model.predict_proba(pool[:4]).shape == (4, 2)


def test_embedding_features_have_a_block_between_the_entities(
    tiny_model: Path, pool: list[Candidate]
) -> None:
    embedder = SpanEmbedder(str(tiny_model), device="cpu")
    relation_feats = embedder.embed(pool[:3], ("subject", "object"))
    assert relation_feats.shape == (3, 4 * 32)
    # "Ann married Bob": one word between, so a unit-length block; "Ann Bob": nothing, zeros.
    assert np.linalg.norm(relation_feats[:, 3 * 32 :], axis=1) == pytest.approx(1.0)
    adjacent = relation("adj", "Ann", "", "Bob", 1)
    assert not embedder.embed([adjacent], ("subject", "object"))[:, 3 * 32 :].any()
    text = Candidate("t", "d", "ann met bob", simple_tokenize("ann met bob"))
    assert embedder.embed([text], ()).shape == (1, 32)


@pytest.mark.parametrize("features", ["ngrams", "embeddings"])
def test_a_dev_set_moves_the_class_prior(
    features: str, tiny_model: Path, pool: list[Candidate]
) -> None:
    # Labels that call 90% of the pool "spouse" (half is): the dev set's gold prior corrects it.
    gold = np.array([c.label for c in pool])
    skewed = np.where(np.eye(2)[gold] == 1, 0.9, 0.1)
    skewed[: len(pool) // 2] = [0.1, 0.9]
    dev = pool[::3]
    settings = {"C": 1.0, "min_count": 1, "model": str(tiny_model), "device": "cpu"}
    moved = BaselineEndModel(features, class_prior="dev", **settings).fit(
        pool, skewed, dev, label_space=SPACE
    )
    kept = BaselineEndModel(features, **settings).fit(pool, skewed, dev, label_space=SPACE)
    shift = prior_shift(skewed, [c.label for c in dev])
    assert np.allclose(moved._bias - kept._bias, shift)
    assert moved.predict_proba(pool)[:, 1].mean() < kept.predict_proba(pool)[:, 1].mean()
    no_dev = BaselineEndModel(features, class_prior="dev", **settings).fit(
        pool, skewed, label_space=SPACE
    )
    assert np.allclose(no_dev._bias, kept._bias)


def test_bad_input() -> None:
    with pytest.raises(ConfigError, match="features must be one of"):
        BaselineEndModel("tfidf")
    with pytest.raises(ConfigError, match="class_prior must be one of"):
        BaselineEndModel(class_prior="uniform")
    with pytest.raises(ConfigError, match="unknown baseline settings \\['alpha'\\]"):
        BaselineEndModel(alpha=1.0)
    with pytest.raises(NotFittedError, match="not trained yet"):
        BaselineEndModel().predict_proba([])
    with pytest.raises(EmptyTrainingSetError):
        BaselineEndModel().fit([], np.zeros((0, 2)))


def test_candidates_of_another_kind_are_rejected(pool: list[Candidate], soft: np.ndarray) -> None:
    model = BaselineEndModel().fit(pool, soft)
    with pytest.raises(CandidateRolesError, match="trained on \\['subject', 'object'\\]"):
        model.predict([Candidate("p", "d", "ann met bob", ())])
