"""Metrics on small hand-computed examples, including the SemEval scorer's direction rules."""

from __future__ import annotations

import numpy as np
import pytest

from babble.datasets._common import label_space_from_table, task_table
from babble.errors import ConfigError, LabelError
from babble.metrics import PRF, accuracy, binary_f1, score, semeval_macro_f1
from babble.types import LabelSpace

# 0 C-E(e1,e2)  1 C-E(e2,e1)  2 M-T(e1,e2)  3 M-T(e2,e1)  4 Other
SMALL = LabelSpace(("C-E(e1,e2)", "C-E(e2,e1)", "M-T(e1,e2)", "M-T(e2,e1)", "Other"))
BINARY = LabelSpace(("negative", "positive"))


def test_accuracy() -> None:
    assert accuracy([0, 1, 2, 2], [0, 1, 1, 2]) == 0.75
    assert accuracy(np.array([1, 0]), np.array([-1, 0])) == 0.5  # an abstain is wrong


@pytest.mark.parametrize(
    ("gold", "pred", "positive", "expected"),
    [
        # tp 2, fp 1, fn 1
        ([1, 1, 1, 0, 0], [1, 1, 0, 1, 0], 1, PRF(2 / 3, 2 / 3, 2 / 3)),
        # tp 1 of 1 predicted, 3 gold: P 1, R 1/3, F1 0.5; abstains are not predictions
        ([1, 1, 1, 0], [1, -1, -1, 0], 1, PRF(1.0, 1 / 3, 0.5)),
        # nothing predicted positive: P and F1 are 0, not NaN
        ([1, 0], [0, 0], 1, PRF(0.0, 0.0, 0.0)),
        # another positive class
        ([2, 2, 0], [2, 0, 2], 2, PRF(0.5, 0.5, 0.5)),
    ],
)
def test_binary_f1(gold: list[int], pred: list[int], positive: int, expected: PRF) -> None:
    assert binary_f1(gold, pred, positive) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        # all right: 1.0; Other is never averaged
        ([0, 1, 2, 4], [0, 1, 2, 4], 1.0),
        # wrong direction: C-E gold 2, predicted 2 (both C-E), correct 1 -> F1 0.5; M-T F1 1
        ([0, 1, 2], [0, 0, 2], (0.5 + 1.0) / 2),
        # wrong direction everywhere: no credit although the relation type is right
        ([0, 2], [1, 3], 0.0),
        # a false M-T on an Other example costs M-T precision: P 1/2, R 1, F1 2/3; C-E 1
        ([0, 2, 4], [0, 2, 3], (1.0 + 2 / 3) / 2),
        # predicting Other or abstaining only costs recall: C-E R 1/2 -> F1 2/3
        ([0, 0, 4], [0, 4, -1], 2 / 3),
        ([0, 0], [0, -1], 2 / 3),
        # only relations that occur in gold are averaged (M-T never does): false M-T votes
        # count nowhere, as in the perl scorer
        ([0, 4], [0, 2], 1.0),
    ],
)
def test_semeval_macro_f1(gold: list[int], pred: list[int], expected: float) -> None:
    assert semeval_macro_f1(gold, pred, SMALL) == pytest.approx(expected)


def test_semeval_macro_f1_with_the_real_label_space() -> None:
    space = label_space_from_table(task_table("semeval"))
    ce12, ce21 = space.index("Cause-Effect(e1,e2)"), space.index("Cause-Effect(e2,e1)")
    cw12, other = space.index("Component-Whole(e1,e2)"), space.index("Other")
    gold = [ce12, ce12, ce21, cw12, other, other]
    pred = [ce12, ce21, ce21, other, cw12, other]
    # C-E: correct 2, predicted 3, gold 3 -> F1 2/3. C-W: correct 0 -> F1 0.
    assert semeval_macro_f1(gold, pred, space) == pytest.approx((2 / 3 + 0.0) / 2)


def test_semeval_macro_f1_undefined_without_relations() -> None:
    with pytest.raises(ValueError, match="gold holds no relation but 'Other'"):
        semeval_macro_f1([4, 4], [0, 4], SMALL)


@pytest.mark.parametrize(
    ("metric", "space", "expected"),
    [
        ("accuracy", BINARY, 0.5),
        ("f1", BINARY, 0.5),  # positive = the second label: tp 1, fp 1, fn 1
        ("semeval_macro_f1", LabelSpace(("R(e1,e2)", "R(e2,e1)", "Other")), 0.5),
    ],
)
def test_score_dispatch(metric: str, space: LabelSpace, expected: float) -> None:
    assert score(metric, [1, 1, 0, 0], [1, 0, 1, 0], space) == pytest.approx(expected)


def test_score_errors() -> None:
    with pytest.raises(ConfigError, match="unknown metric 'auc'"):
        score("auc", [0], [0], BINARY)
    with pytest.raises(ValueError, match="metric 'f1' needs two labels, got 5"):
        score("f1", [0], [0], SMALL)


@pytest.mark.parametrize(
    ("gold", "pred", "error", "fragment"),
    [
        ([0, 1], [0], ValueError, "gold has 2 labels but pred has 1"),
        ([], [], ValueError, "no labels to score"),
        ([0, -1], [0, 0], ValueError, "gold holds 1 unknown labels (-1)"),
        ([0, 1], [0, -2], LabelError, "pred holds -2"),
        ([0, 1], [0, 5], LabelError, "label 5 is outside 0..4"),
        ([0.5, 1], [0, 1], ValueError, "gold must be a 1-d sequence of integer labels"),
        ([[0, 1]], [[0, 1]], ValueError, "of shape (1, 2)"),
    ],
)
def test_bad_labels(gold: object, pred: object, error: type[Exception], fragment: str) -> None:
    with pytest.raises(error) as err:
        semeval_macro_f1(gold, pred, SMALL)  # type: ignore[arg-type]
    assert fragment in str(err.value)
