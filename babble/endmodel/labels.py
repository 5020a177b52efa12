"""Probabilistic labels: checking them, reading them from disk, and choosing the rows to train on.

Probabilistic labels are an ``(n, k)`` float array, row ``i`` the label model's distribution over
the ``k`` classes for candidate ``i`` of the pool. A row is *covered* when at least one LF voted on
that candidate; an uncovered row only repeats the class prior, so it is left out of training by
default. Files (never pickles) come in three forms, chosen by suffix:

``.npy``
    one ``(n, k)`` float array in pool order (``numpy.save``); every row counts as covered.
``.npz``
    arrays ``probs`` ``(n, k)`` and, optionally, ``covered`` ``(n,)`` bool, in pool order.
``.jsonl``
    one object a line, ``{"id": "<candidate id>", "probs": [p_0, ..., p_k-1]}`` or ``"probs":
    {"<label name>": p, ...}``, optionally ``"covered": false``; any order, one line per
    candidate of the pool.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from babble.datasets._common import read_jsonl, require_file
from babble.endmodel.store import default_label_space
from babble.errors import (
    ConfigError,
    DataFormatError,
    EmptyTrainingSetError,
    EndModelError,
    ProbabilisticLabelsError,
)
from babble.types import Candidate, LabelSpace, SourceLocation

ROW_SUM_TOLERANCE = 1e-3
"""How far a row's sum may be from 1 (label models write float32)."""

SUFFIXES = (".npy", ".npz", ".jsonl")


@dataclass(frozen=True)
class ProbabilisticLabels:
    """Probabilities for a pool, in pool order, and which rows any LF voted on."""

    probs: np.ndarray
    covered: np.ndarray


def check_probs(
    probs: Any, n: int, k: int | None = None, what: str = "probabilistic labels"
) -> np.ndarray:
    """``probs`` as a float64 ``(n, k)`` array, or :class:`ProbabilisticLabelsError` saying why not.

    Examples
    --------
    >>> check_probs([[0.2, 0.8]], n=1).tolist()
    [[0.2, 0.8]]
    >>> check_probs([[0.2, 0.7]], n=1)
    Traceback (most recent call last):
    babble.errors.ProbabilisticLabelsError: [E602] probabilistic labels: row 0 sums to 0.9, ...
    """
    try:
        arr = np.asarray(probs, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ProbabilisticLabelsError(f"{what}: not a numeric array ({exc})") from exc
    if arr.ndim != 2:
        raise ProbabilisticLabelsError(
            f"{what}: expected a 2-D array (candidates x classes), got shape {arr.shape}"
        )
    if arr.shape[0] != n:
        raise ProbabilisticLabelsError(
            f"{what}: {arr.shape[0]} rows for {n} candidates; expected one row per candidate, "
            "in pool order"
        )
    if k is not None and arr.shape[1] != k:
        raise ProbabilisticLabelsError(
            f"{what}: {arr.shape[1]} columns, but the label space has {k} classes"
        )
    if arr.shape[1] < 2:
        raise ProbabilisticLabelsError(f"{what}: expected at least 2 classes, got {arr.shape[1]}")
    bad = ~np.isfinite(arr).all(axis=1) | (arr < 0).any(axis=1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ProbabilisticLabelsError(
            f"{what}: row {i} has a NaN, infinite or negative value ({arr[i].tolist()}); "
            f"{int(bad.sum())} such rows"
        )
    sums = arr.sum(axis=1)
    off = np.abs(sums - 1.0) > ROW_SUM_TOLERANCE
    if off.any():
        i = int(np.flatnonzero(off)[0])
        raise ProbabilisticLabelsError(
            f"{what}: row {i} sums to {sums[i]:.4g}, {int(off.sum())} rows do not sum to 1 "
            f"(tolerance {ROW_SUM_TOLERANCE}); expected a probability distribution per row"
        )
    normalised: np.ndarray = arr / sums[:, None]
    return normalised


def check_covered(covered: Any, n: int) -> np.ndarray:
    """``covered`` as a bool ``(n,)`` array (``None``: every row is covered)."""
    if covered is None:
        return np.ones(n, dtype=bool)
    arr = np.asarray(covered)
    if arr.shape != (n,) or arr.dtype != np.bool_:
        raise ProbabilisticLabelsError(
            f"covered mask: expected {n} booleans (one per candidate), got dtype {arr.dtype} "
            f"shape {arr.shape}"
        )
    return arr


def training_rows(
    candidates: Sequence[Candidate],
    probs: Any,
    label_space: LabelSpace | None = None,
    covered: Any = None,
    include_uncovered: bool = False,
) -> tuple[list[Candidate], np.ndarray, LabelSpace]:
    """The candidates and probability rows to train on, after checking them, and the label
    space (labels named ``"0".."k-1"`` when none is given).

    Rows no LF voted on (``covered`` False) are left out unless ``include_uncovered``. Raises
    :class:`ProbabilisticLabelsError` for bad labels and :class:`EmptyTrainingSetError` when no
    row is left.
    """
    k = None if label_space is None else label_space.k
    arr = check_probs(probs, len(candidates), k)
    label_space = label_space or default_label_space(arr.shape[1])
    mask = check_covered(covered, len(candidates))
    if not include_uncovered:
        arr = arr[mask]
        candidates = [c for c, keep in zip(candidates, mask, strict=True) if keep]
    if not candidates:
        why = (
            "the pool is empty"
            if not len(mask)
            else f"no LF voted on any of the {len(mask)} candidates (pass include_uncovered "
            "to train on the class prior anyway)"
        )
        raise EmptyTrainingSetError(f"nothing to train on: {why}")
    return list(candidates), arr, label_space


def gold_candidates(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The dev candidates that have a gold label; a dev set with none is an error."""
    gold = [c for c in candidates if c.label is not None]
    if candidates and not gold:
        raise EndModelError(
            f"the dev set ({len(candidates)} candidates) has no gold labels; early stopping and "
            "model selection need them (leave dev out to train without it)"
        )
    return gold


def hard_labels(probs: np.ndarray) -> np.ndarray:
    """One-hot rows of each row's most probable class (ties: the lowest class index).

    Examples
    --------
    >>> hard_labels(np.array([[0.3, 0.7], [0.5, 0.5]])).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    out = np.zeros_like(probs, dtype=np.float64)
    out[np.arange(len(probs)), probs.argmax(axis=1)] = 1.0
    return out


def one_hot(labels: Sequence[int | None], k: int, what: str = "gold labels") -> np.ndarray:
    """Gold integer labels as one-hot probability rows; a missing label is an error."""
    missing = [i for i, y in enumerate(labels) if y is None or not 0 <= y < k]
    if missing:
        raise ProbabilisticLabelsError(
            f"{what}: {len(missing)} candidates have no gold label in 0..{k - 1} "
            f"(e.g. row {missing[0]})"
        )
    out = np.zeros((len(labels), k))
    out[np.arange(len(labels)), np.asarray(labels, dtype=np.int64)] = 1.0
    return out


def class_weights(probs: np.ndarray, spec: str | Sequence[float] | None) -> np.ndarray | None:
    """Per-class loss weights: ``None``, ``"balanced"`` (``n / (classes present * expected
    count of the class)``, scikit-learn's rule) or explicit numbers, one per class.

    Examples
    --------
    >>> class_weights(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), "balanced").tolist()
    [0.75, 1.5]
    """
    k = probs.shape[1]
    if spec is None:
        return None
    if isinstance(spec, str):
        if spec != "balanced":
            raise ProbabilisticLabelsError(
                f"class weights: expected 'balanced' or {k} numbers, got {spec!r}"
            )
        mass = probs.sum(axis=0)
        present = mass > 0
        weights = np.zeros(k)
        weights[present] = len(probs) / (present.sum() * mass[present])
        return weights
    arr = np.asarray(spec, dtype=np.float64)
    if arr.shape != (k,) or (arr < 0).any() or not np.isfinite(arr).all():
        raise ProbabilisticLabelsError(
            f"class weights: expected {k} non-negative numbers, got {list(spec)}"
        )
    return arr


CLASS_PRIORS = ("labels", "dev")
"""The end models' ``class_prior`` setting: ``"labels"`` (default) keeps the training labels'
class balance; ``"dev"`` moves the predictions to the class frequencies of the gold dev set when
one is given (see :func:`prior_shift`). ``"dev"`` is the accuracy-optimal choice when the label
model's class balance is off, but it costs F1 of a minority class: predicting that class *more*
often than its prior is what F1 rewards (measured on CDR, 34 explanations, n-gram baseline:
accuracy 55.9 -> 63.5, F1 55.1 -> 46.7; see ``benchmarks/README.md``)."""


def check_class_prior(value: str) -> None:
    """Raise :class:`~babble.errors.ConfigError` unless ``value`` is one of :data:`CLASS_PRIORS`."""
    if value not in CLASS_PRIORS:
        raise ConfigError(f"class_prior must be one of {CLASS_PRIORS}, got {value!r}")


def prior_shift(
    targets: np.ndarray, dev_labels: Any, weights: np.ndarray | None = None
) -> np.ndarray:
    """Logit offsets ``log(pi_dev / pi_train)`` that move a classifier trained on ``targets``
    (class prior ``pi_train``: their mean, weighted by the loss ``weights``) to the class prior
    ``pi_dev`` of the gold ``dev_labels``.

    A label model's class balance is poorly determined when one class's LFs vote far more often
    than the other's (the founders demo: 77% of the covered pool labelled ``founder``, 49% in
    truth), and an end model trained on its labels inherits it. Adding these offsets to the
    logits is the accuracy-optimal correction when only the class prior differs (Saerens, Latinne
    & Decaestecker, 2002, "Adjusting the outputs of a classifier to new a priori probabilities").
    Both priors get one pseudo-count per class, so a small dev set or a class missing from it
    stays finite.

    Examples
    --------
    >>> targets = np.array([[0.2, 0.8], [0.2, 0.8]])
    >>> prior_shift(targets, [0, 0, 1, 1]).round(3).tolist()  # train 35/65, dev 50/50
    [0.357, -0.262]
    """
    k = targets.shape[1]
    mass = (targets if weights is None else targets * weights).sum(axis=0)
    train = (len(targets) * mass / mass.sum() + 1) / (len(targets) + k)
    dev = (np.bincount(np.asarray(dev_labels, dtype=np.int64), minlength=k) + 1) / (
        len(dev_labels) + k
    )
    shift: np.ndarray = np.log(dev / train)
    return shift


def dev_prior_shift(
    class_prior: str, targets: np.ndarray, dev_labels: Any, weights: np.ndarray | None = None
) -> np.ndarray:
    """The logit offsets an end model adds for its ``class_prior`` setting: :func:`prior_shift`
    for ``"dev"`` with a non-empty dev set, else zeros.

    Examples
    --------
    >>> dev_prior_shift("labels", np.array([[0.2, 0.8]]), [0, 1]).tolist()
    [0.0, 0.0]
    """
    if class_prior == "dev" and len(dev_labels):
        return prior_shift(targets, dev_labels, weights)
    return np.zeros(targets.shape[1])


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of ``(n, k)`` logits, in float64.

    Examples
    --------
    >>> softmax(np.array([[0.0, 0.0], [0.0, np.log(3.0)]])).tolist()
    [[0.5, 0.5], [0.25, 0.75]]
    """
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


def read_probs(
    path: str | Path, candidates: Sequence[Candidate], label_space: LabelSpace
) -> ProbabilisticLabels:
    """Read a probabilistic labels file (see the module docstring) for a candidate pool.

    The result is in pool order and checked with :func:`check_probs`.
    """
    path = require_file(Path(path), "probabilistic labels file")
    n, k = len(candidates), label_space.k
    if path.suffix == ".npy":
        probs = _load_array(path, None)
        covered = None
    elif path.suffix == ".npz":
        probs = _load_array(path, "probs")
        covered = _load_array(path, "covered", required=False)
    elif path.suffix == ".jsonl":
        probs, covered = _read_jsonl(path, candidates, label_space)
    else:
        raise ProbabilisticLabelsError(
            f"{path}: unknown probabilistic labels format {path.suffix!r}; "
            f"expected one of {SUFFIXES}"
        )
    return ProbabilisticLabels(check_probs(probs, n, k, str(path)), check_covered(covered, n))


def _load_array(path: Path, key: str | None, required: bool = True) -> np.ndarray | None:
    try:
        loaded = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise ProbabilisticLabelsError(
            f"{path}: not a readable numpy file without pickles ({exc})"
        ) from exc
    if key is None:
        return np.asarray(loaded)
    with loaded:
        if key not in loaded.files:
            if required:
                raise ProbabilisticLabelsError(f"{path}: no array {key!r}; it has {loaded.files}")
            return None
        return np.asarray(loaded[key])


def _read_jsonl(
    path: Path, candidates: Sequence[Candidate], label_space: LabelSpace
) -> tuple[np.ndarray, np.ndarray]:
    index = {c.id: i for i, c in enumerate(candidates)}
    probs = np.full((len(candidates), label_space.k), np.nan)
    covered = np.ones(len(candidates), dtype=bool)
    seen = np.zeros(len(candidates), dtype=bool)
    for line, obj in read_jsonl(path):
        where = SourceLocation(str(path), line)
        cid = obj.get("id")
        if not isinstance(cid, str) or cid not in index:
            raise DataFormatError(
                f"{cid!r} is not a candidate id of the pool ({len(candidates)} candidates)",
                file=str(path),
                line=line,
                field="id",
            )
        i = index[cid]
        if seen[i]:
            raise DataFormatError(
                f"candidate {cid!r} appears twice", file=str(path), line=line, field="id"
            )
        seen[i] = True
        probs[i] = _row(obj.get("probs"), label_space, where)
        flag = obj.get("covered", True)
        if not isinstance(flag, bool):
            raise DataFormatError(
                f"expected true or false, got {flag!r}", file=str(path), line=line, field="covered"
            )
        covered[i] = flag
    if not seen.all():
        missing = [candidates[i].id for i in np.flatnonzero(~seen)[:3]]
        raise ProbabilisticLabelsError(
            f"{path}: {int((~seen).sum())} of {len(candidates)} pool candidates have no line "
            f"(e.g. {missing}); expected one line per candidate"
        )
    return probs, covered


def _row(value: Any, label_space: LabelSpace, where: SourceLocation) -> list[float]:
    k = label_space.k
    if isinstance(value, Mapping):
        unknown = sorted(set(value) - set(label_space.labels))
        if unknown:
            raise DataFormatError(
                f"unknown labels {unknown}; expected {list(label_space.labels)}",
                file=where.file,
                line=where.line,
                field="probs",
            )
        value = [value.get(name, 0.0) for name in label_space.labels]
    if (
        not isinstance(value, list)
        or len(value) != k
        or not all(isinstance(p, int | float) and not isinstance(p, bool) for p in value)
    ):
        raise DataFormatError(
            f"expected {k} numbers (or an object label -> probability), got {value!r:.80}",
            file=where.file,
            line=where.line,
            field="probs",
        )
    return [float(p) for p in value]
