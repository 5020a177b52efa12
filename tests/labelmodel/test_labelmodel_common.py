"""The estimator contract every label model keeps (in the spirit of sklearn's test_common)."""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from babble.errors import LabelModelNotFittedError, LabelModelParameterError
from babble.labelmodel import BaseLabelModel, LabelModel, MajorityVoter, to_sparse
from babble.labelmodel.synthetic import synthetic_label_matrix

MODELS = [MajorityVoter, LabelModel]
VOTES, GOLD, _ = synthetic_label_matrix(600, 8, 3, coverage=(0.2, 0.5), seed=5)
DENSE = VOTES.toarray().astype(np.int64) - 1


class Wrapped:
    """An object whose ``.matrix`` is the sparse encoding, like babble.apply's LabelMatrix."""

    matrix = VOTES


@pytest.fixture(params=MODELS, ids=lambda cls: cls.__name__)
def model_class(request: pytest.FixtureRequest) -> type[BaseLabelModel]:
    cls: type[BaseLabelModel] = request.param
    return cls


def test_hyperparameters_are_keyword_only_with_defaults(model_class: type) -> None:
    parameters = list(inspect.signature(model_class.__init__).parameters.values())[1:]
    assert parameters and all(p.kind is p.KEYWORD_ONLY for p in parameters)
    assert all(p.default is not p.empty for p in parameters)
    assert "random_state" in {p.name for p in parameters}


def test_init_stores_hyperparameters_untouched(model_class: type) -> None:
    odd = object()
    model = model_class(tie_break=odd, cardinality="three", random_state=odd)
    assert model.tie_break is odd and model.cardinality == "three" and model.random_state is odd


def test_get_params_set_params_and_cloning(model_class: type) -> None:
    model = model_class(random_state=11, tie_break="first")
    params = model.get_params()
    assert set(params) == {p for p in inspect.signature(model_class.__init__).parameters} - {"self"}
    clone = model_class(**params)
    assert clone.get_params() == params
    assert model.set_params(tie_break="abstain") is model and model.tie_break == "abstain"
    with pytest.raises(LabelModelParameterError, match="has no hyperparameter 'seed'"):
        model.set_params(seed=1)
    assert "random_state=11" in repr(model_class(random_state=11))


def test_fit_returns_self_and_learned_state_ends_with_underscore(model_class: type) -> None:
    model = model_class(random_state=0)
    before = set(vars(model))
    assert not any(name.endswith("_") for name in before)
    with pytest.raises(LabelModelNotFittedError, match="E502"):
        model.check_is_fitted()
    assert model.fit(VOTES) is model
    learned = set(vars(model)) - before
    assert learned and all(name.endswith("_") for name in learned)
    assert set(model._fitted_attributes) <= learned
    assert model.get_params() == model_class(random_state=0).get_params()


def test_predictions_have_the_documented_shapes(model_class: type) -> None:
    model = model_class(random_state=0).fit(VOTES)
    proba = model.predict_proba(VOTES)
    assert proba.shape == (600, 3) and proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    predicted = model.predict(VOTES)
    assert predicted.shape == (600,) and predicted.dtype == np.int64
    assert set(np.unique(predicted)) <= {-1, 0, 1, 2}
    score = model.score(VOTES, GOLD)
    assert 0.5 < score <= 1.0
    assert model.score(VOTES, GOLD, metric="macro_f1") <= 1.0
    with pytest.raises(LabelModelParameterError, match="metric must be one of"):
        model.score(VOTES, GOLD, metric="auc")


def test_every_input_encoding_gives_the_same_result(model_class: type) -> None:
    reference = model_class(random_state=0).fit(VOTES).predict_proba(VOTES)
    for labels in (DENSE, DENSE.tolist(), to_sparse(DENSE), sp.coo_matrix(VOTES), Wrapped()):
        proba = model_class(random_state=0).fit(labels).predict_proba(labels)
        np.testing.assert_allclose(proba, reference)


def test_same_seed_same_predictions_and_no_global_rng(model_class: type) -> None:
    np.random.seed(123)
    state = np.random.get_state()[1].copy()
    first = model_class(random_state=9).fit(VOTES).predict(VOTES)
    second = model_class(random_state=9).fit(VOTES).predict(VOTES)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_refitting_replaces_the_learned_state(model_class: type) -> None:
    model = model_class().fit(DENSE)
    model.fit(DENSE[:, :4])
    assert model.n_lfs_ == 4 and model.predict_proba(DENSE[:, :4]).shape == (600, 3)


@pytest.mark.parametrize("suffix", [".json", ".npz"])
def test_save_load_round_trip(model_class: type, tmp_path: Path, suffix: str) -> None:
    model = model_class(random_state=2).fit(VOTES, groups=[[0, 1]])
    loaded = model_class.load(model.save(tmp_path / f"model{suffix}"))
    assert loaded.get_params() == model.get_params()
    np.testing.assert_array_equal(loaded.predict_proba(VOTES), model.predict_proba(VOTES))
    np.testing.assert_array_equal(loaded.predict(VOTES), model.predict(VOTES))
