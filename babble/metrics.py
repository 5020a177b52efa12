"""Task metrics: accuracy, binary precision/recall/F1 and the official SemEval-2010 Task 8 score.

Labels are integers ``0 .. k-1`` as in :class:`~babble.types.LabelSpace`. A prediction may be
``ABSTAIN`` (-1): it is never correct, and for F1 it is no prediction at all (the SemEval scorer's
"skipped"). Gold labels must all be known: score only the labelled candidates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from babble.errors import ConfigError, LabelError
from babble.types import ABSTAIN, LabelSpace

OTHER = "Other"
"""The SemEval label left out of the macro average."""

_DIRECTION_RE = re.compile(r"\(e[12],e[12]\)$")


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 of one class, each in [0, 1] (0 where undefined)."""

    precision: float
    recall: float
    f1: float


def accuracy(gold: npt.ArrayLike, pred: npt.ArrayLike) -> float:
    """Fraction of predictions equal to gold; an abstain counts as wrong.

    Examples
    --------
    >>> accuracy([0, 1, 1, 2], [0, 1, 2, -1])
    0.5
    """
    g, p = _labels(gold, pred)
    return float(np.mean(g == p))


def binary_f1(gold: npt.ArrayLike, pred: npt.ArrayLike, positive: int = 1) -> PRF:
    """Precision, recall and F1 of the ``positive`` class.

    Examples
    --------
    >>> binary_f1([1, 1, 0, 0, 1], [1, 0, 1, 0, -1])
    PRF(precision=0.5, recall=0.3333333333333333, f1=0.4)
    """
    g, p = _labels(gold, pred)
    return _prf(
        correct=int(np.sum((p == positive) & (g == positive))),
        predicted=int(np.sum(p == positive)),
        actual=int(np.sum(g == positive)),
    )


def semeval_macro_f1(gold: npt.ArrayLike, pred: npt.ArrayLike, label_space: LabelSpace) -> float:
    """The official SemEval-2010 Task 8 score, as a fraction (the perl scorer prints percent).

    This is scorer v1.2's "(9+1)-way evaluation with directionality taken into account": for each
    relation type R (the label name without ``(e1,e2)``/``(e2,e1)``) that occurs in ``gold``,
    ``Other`` excluded, a prediction is correct when it equals the gold label, direction
    included; precision divides by every prediction of type R (either direction), recall by
    every gold example of type R. The score is the mean of these per-type F1s.

    Examples
    --------
    >>> space = LabelSpace(("C-E(e1,e2)", "C-E(e2,e1)", "M-T(e1,e2)", "M-T(e2,e1)", "Other"))
    >>> # C-E: 1 correct, 2 predicted (one in the wrong direction), 2 gold -> F1 0.5
    >>> # M-T: 1 correct, 1 predicted, 2 gold -> P 1, R 0.5, F1 2/3
    >>> round(semeval_macro_f1([0, 1, 2, 3, 4], [0, 0, 2, 4, 4], space), 4)
    0.5833
    """
    g, p = _labels(gold, pred, label_space.k)
    types = [_DIRECTION_RE.sub("", name) for name in label_space.labels]
    names = sorted({types[i] for i in np.unique(g)} - {OTHER})
    if not names:
        raise ValueError(f"the SemEval score is undefined: gold holds no relation but {OTHER!r}")
    type_of = np.array([names.index(t) if t in names else -1 for t in types] + [-1])
    gold_type, pred_type = type_of[g], type_of[p]  # an abstain (-1) picks the trailing -1
    f1s = [
        _prf(
            correct=int(np.sum((p == g) & (gold_type == r))),
            predicted=int(np.sum(pred_type == r)),
            actual=int(np.sum(gold_type == r)),
        ).f1
        for r in range(len(names))
    ]
    return float(np.mean(f1s))


def _binary_f1_score(gold: npt.ArrayLike, pred: npt.ArrayLike, label_space: LabelSpace) -> float:
    """F1 of the positive class: the second of the two labels (the task tables' convention)."""
    if label_space.k != 2:
        raise ValueError(f"metric 'f1' needs two labels, got {label_space.k}: use 'accuracy'")
    _labels(gold, pred, label_space.k)
    return binary_f1(gold, pred, positive=1).f1


METRICS: Mapping[str, Callable[[npt.ArrayLike, npt.ArrayLike, LabelSpace], float]] = {
    "accuracy": lambda gold, pred, _: accuracy(gold, pred),
    "f1": _binary_f1_score,
    "semeval_macro_f1": semeval_macro_f1,
}
"""Metric name (as in :attr:`babble.types.Dataset.metric`) -> scoring function."""


def score(metric: str, gold: npt.ArrayLike, pred: npt.ArrayLike, label_space: LabelSpace) -> float:
    """Score predictions with a dataset's metric: ``"accuracy"``, ``"f1"`` (of the second
    label, the positive class) or ``"semeval_macro_f1"``.

    Examples
    --------
    >>> space = LabelSpace(("not_spouse", "spouse"))
    >>> score("f1", [1, 1, 0], [1, 0, 0], space), score("accuracy", [1, 1, 0], [1, 0, 0], space)
    (0.6666666666666666, 0.6666666666666666)
    """
    if metric not in METRICS:
        raise ConfigError(f"unknown metric {metric!r}; expected one of {sorted(METRICS)}")
    return METRICS[metric](gold, pred, label_space)


def _prf(correct: int, predicted: int, actual: int) -> PRF:
    precision = correct / predicted if predicted else 0.0
    recall = correct / actual if actual else 0.0
    total = precision + recall
    return PRF(precision, recall, 2 * precision * recall / total if total else 0.0)


def _labels(
    gold: npt.ArrayLike, pred: npt.ArrayLike, k: int | None = None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``gold`` and ``pred`` as equal-length, non-empty integer arrays, checked.

    Gold must be in ``0..k-1`` and predictions in ``0..k-1`` or ``ABSTAIN`` (``k`` unbounded
    when None).
    """
    g, p = _int_array(gold, "gold"), _int_array(pred, "pred")
    if g.shape != p.shape:
        raise ValueError(f"gold has {g.size} labels but pred has {p.size}; expected one each")
    if g.size == 0:
        raise ValueError("no labels to score")
    if np.any(g < 0):
        raise ValueError(
            f"gold holds {int(np.sum(g < 0))} unknown labels (-1); score only labelled examples"
        )
    if np.any(p < ABSTAIN):
        raise LabelError(f"pred holds {int(p.min())}; expected labels >= 0 or -1 (abstain)")
    top = int(max(g.max(), p.max()))
    if k is not None and top >= k:
        raise LabelError(f"label {top} is outside 0..{k - 1} (the task's {k} labels)")
    return g, p


def _int_array(values: npt.ArrayLike, name: str) -> npt.NDArray[np.int64]:
    array = np.asarray(values)
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise ValueError(
            f"{name} must be a 1-d sequence of integer labels, got {array.dtype} of shape "
            f"{array.shape}"
        )
    return array.astype(np.int64)
