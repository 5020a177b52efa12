"""What every label model shares: label-matrix validation, the estimator contract, persistence.

Label matrices
--------------
Two encodings are accepted, and every model takes both:

* **dense** (Snorkel's convention): a 2-d integer array-like, ``-1`` (:data:`~babble.types.ABSTAIN`)
  for an abstention and ``0 .. k-1`` for a vote;
* **sparse**: any ``scipy.sparse`` matrix (or an object whose ``.matrix`` is one, such as
  :class:`babble.apply.matrix.LabelMatrix`) storing **vote + 1**, so that an implicit or stored
  zero is an abstention. :func:`to_sparse` converts a dense matrix.

Integer dtypes are taken as they are; a float matrix is accepted only when every value is a finite
whole number (NaN, infinity or ``0.5`` raise :class:`~babble.errors.LabelModelInputError` naming
the row and column). Internally a matrix becomes a CSR matrix of vote + 1 with int32 indices, so
nothing of size n x m x k is ever built.

The estimator contract (scikit-learn's)
---------------------------------------
Hyperparameters are keyword-only ``__init__`` arguments stored untouched and validated in ``fit``;
``fit`` returns ``self``; learned state ends with ``_``; ``get_params`` / ``set_params``;
randomness comes only from ``random_state`` through :func:`numpy.random.default_rng` (the global
NumPy seed is never touched). Models persist as JSON or ``.npz`` (never pickle) with
:meth:`BaseLabelModel.save` and :meth:`BaseLabelModel.load`.
"""

from __future__ import annotations

import inspect
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from babble.errors import (
    LabelModelFileError,
    LabelModelInputError,
    LabelModelNotFittedError,
    LabelModelParameterError,
)
from babble.types import ABSTAIN

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

TIE_POLICIES = ("random", "abstain", "first")
"""How ``predict`` breaks a tie between equally probable classes: uniformly at random (seeded by
``random_state``), by abstaining (``-1``), or by taking the lowest class index."""

METRICS = ("accuracy", "f1", "macro_f1")
"""Metrics of :meth:`BaseLabelModel.score`: accuracy, F1 of class 1 (binary tasks), macro F1."""

MAX_INFERRED_CARDINALITY = 1000
"""Votes beyond this need an explicit ``cardinality`` (a typo must not allocate k x k tables)."""

TIE_TOLERANCE = 1e-9
"""Probabilities closer than this to a row's maximum count as tied."""

FORMAT_NAME = "babble.labelmodel"
FORMAT_VERSION = 1


def to_sparse(labels: npt.ArrayLike) -> sp.csr_matrix:
    """Convert a dense label matrix (``-1`` = abstain) to the sparse encoding (vote + 1).

    Examples
    --------
    >>> to_sparse([[0, -1], [-1, 2]]).toarray().tolist()
    [[1, 0], [0, 3]]
    """
    return sp.csr_matrix(check_label_matrix(labels, allow_empty=True))


def check_label_matrix(
    labels: object,
    *,
    n_lfs: int | None = None,
    cardinality: int | None = None,
    allow_empty: bool = False,
) -> sp.csr_matrix:
    """Validate a label matrix in either encoding; return CSR of vote + 1 (integer values).

    Parameters
    ----------
    labels
        Dense array-like with ``-1`` = abstain, or sparse storing vote + 1 (see the module).
    n_lfs
        The number of columns expected (the LFs a model was fitted on), if known.
    cardinality
        The number of classes; a vote outside ``0 .. cardinality-1`` is an error.
    allow_empty
        Whether a matrix with no rows is acceptable (prediction on nothing is; fitting is not).

    Raises
    ------
    LabelModelInputError
        Not 2-d, no LF column, no row (unless ``allow_empty``), a non-numeric dtype, NaN or a
        fractional value, a vote below ``-1`` or at least ``cardinality``, or the wrong number of
        columns; the message names the first offending row and column.

    Examples
    --------
    >>> check_label_matrix([[1, -1], [-1, 0]]).toarray().tolist()
    [[2, 0], [0, 1]]
    >>> check_label_matrix([[3]], cardinality=2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    babble.errors.LabelModelInputError: [E501] label matrix row 0, column 0: vote 3 is outside ...
    """
    inner = getattr(labels, "matrix", None)
    if sp.issparse(inner):
        labels = inner
    sparse_input = sp.issparse(labels)
    if sparse_input:
        matrix = sp.csr_matrix(labels)  # shares the arrays of a CSR input
        _check_shape(matrix.shape, n_lfs, allow_empty)

        def where(i: int) -> tuple[int, int]:
            return int(np.searchsorted(matrix.indptr, i, side="right") - 1), int(matrix.indices[i])

        stored = _whole_numbers(matrix.data, where)
        if stored is not matrix.data:
            matrix = sp.csr_matrix((stored, matrix.indices, matrix.indptr), shape=matrix.shape)
        if matrix.nnz and not np.all(stored):
            matrix = matrix.copy()
            matrix.eliminate_zeros()
    else:
        dense = _two_dimensional(labels)
        _check_shape(dense.shape, n_lfs, allow_empty)
        rows, cols = np.nonzero(dense != ABSTAIN)
        stored = _whole_numbers(dense[rows, cols], lambda i: (int(rows[i]), int(cols[i]))) + 1
        matrix = sp.csr_matrix((stored, (rows, cols)), shape=dense.shape)
    if not matrix.has_canonical_format:
        matrix = matrix.copy()  # sorting in place must not reach the caller's arrays
        matrix.sum_duplicates()
    _check_range(matrix, cardinality, sparse_input=sparse_input)
    if matrix.indices.dtype != np.int32:
        matrix.indices = matrix.indices.astype(np.int32)
    return matrix


def _two_dimensional(labels: object) -> np.ndarray:
    try:
        dense = np.asarray(labels)
    except ValueError as exc:  # ragged nested lists
        raise LabelModelInputError(f"a label matrix must be rectangular: {exc}") from None
    if dense.ndim != 2:
        raise LabelModelInputError(
            f"a label matrix must be 2-d (rows x LFs), got an array of shape {dense.shape}"
        )
    return dense


def _check_shape(shape: tuple[int, int], n_lfs: int | None, allow_empty: bool) -> None:
    n, m = shape
    if m == 0:
        raise LabelModelInputError("the label matrix has no LF column; expected at least one")
    if n == 0 and not allow_empty:
        raise LabelModelInputError("the label matrix has no row; fitting needs at least one")
    if n_lfs is not None and m != n_lfs:
        raise LabelModelInputError(
            f"the label matrix has {m} LF columns but the model was fitted on {n_lfs}"
        )


def _whole_numbers(values: np.ndarray, where: Callable[[int], tuple[int, int]]) -> np.ndarray:
    """Integer values as they are; whole floats as int64; else an error naming the first bad
    value's row and column (``where`` maps a value's index to them)."""
    if values.dtype.kind in "iu":
        return values
    if values.dtype.kind != "f":
        raise LabelModelInputError(
            f"label matrix has dtype {values.dtype}; expected integers (-1 = abstain) or, in the "
            f"sparse encoding, vote + 1"
        )
    bad = np.flatnonzero(~np.isfinite(values) | (values != np.round(values)))
    if bad.size:
        row, col = where(int(bad[0]))
        raise LabelModelInputError(
            f"label matrix row {row}, column {col}: value {values[bad[0]]} is not a whole "
            f"number; expected integer votes (-1 = abstain)"
        )
    return values.astype(np.int64)


def _check_range(matrix: sp.csr_matrix, cardinality: int | None, *, sparse_input: bool) -> None:
    """Stored values are vote + 1: they must lie in ``1 .. cardinality``."""
    if matrix.nnz == 0:
        return
    limit = MAX_INFERRED_CARDINALITY if cardinality is None else cardinality
    bad = np.flatnonzero((matrix.data < 1) | (matrix.data > limit))
    if not bad.size:
        return
    row = int(np.searchsorted(matrix.indptr, bad[0], side="right") - 1)
    col = int(matrix.indices[bad[0]])
    vote = int(matrix.data[bad[0]]) - 1
    if cardinality is None and vote >= 0:
        raise LabelModelInputError(
            f"label matrix row {row}, column {col}: vote {vote} would make "
            f"{vote + 1} classes; pass cardinality explicitly if that is intended"
        )
    space = f"0..{cardinality - 1}" if cardinality is not None else "0 or more"
    hint = (
        "; sparse label matrices store vote + 1, so abstain is 0 (see to_sparse)"
        if sparse_input and vote < ABSTAIN
        else ""
    )
    raise LabelModelInputError(
        f"label matrix row {row}, column {col}: vote {vote} is outside the label space "
        f"{space} (-1 = abstain){hint}"
    )


def infer_cardinality(votes: sp.csr_matrix, cardinality: int | None) -> int:
    """The number of classes: ``cardinality`` if given, else the largest vote + 1 (at least 2)."""
    if cardinality is not None:
        return cardinality
    return max(2, int(votes.data.max()) if votes.nnz else 0)


def check_gold(y: npt.ArrayLike, n_rows: int, cardinality: int) -> IntArray:
    """Validate gold labels (``-1`` = unknown, skipped by metrics); return them as int64."""
    gold = np.asarray(y)
    if gold.ndim != 1 or gold.shape[0] != n_rows:
        raise LabelModelInputError(
            f"gold labels must be a 1-d array of {n_rows} labels (one per row), got shape "
            f"{gold.shape}"
        )
    if gold.dtype.kind not in "iu":
        raise LabelModelInputError(f"gold labels have dtype {gold.dtype}; expected integers")
    bad = np.flatnonzero((gold < ABSTAIN) | (gold >= cardinality))
    if bad.size:
        raise LabelModelInputError(
            f"gold label at row {int(bad[0])} is {int(gold[bad[0]])}; expected "
            f"0..{cardinality - 1} or -1 for unknown"
        )
    return gold.astype(np.int64)


def break_ties(proba: FloatArray, policy: str, rng: np.random.Generator) -> IntArray:
    """The most probable class per row, ties settled by ``policy`` (see :data:`TIE_POLICIES`).

    Examples
    --------
    >>> p = np.array([[0.5, 0.5], [0.2, 0.8]])
    >>> break_ties(p, "first", np.random.default_rng(0)).tolist()
    [0, 1]
    >>> break_ties(p, "abstain", np.random.default_rng(0)).tolist()
    [-1, 1]
    """
    if proba.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    tied = proba >= proba.max(axis=1, keepdims=True) - TIE_TOLERANCE
    # "random": uniform among the tied classes, the largest random key wins.
    keys = rng.random(proba.shape) * tied if policy == "random" else tied
    labels: IntArray = keys.argmax(axis=1).astype(np.int64)
    if policy == "abstain":
        labels[tied.sum(axis=1) > 1] = ABSTAIN
    return labels


def score_predictions(gold: IntArray, predicted: IntArray, metric: str, cardinality: int) -> float:
    """``metric`` of ``predicted`` against ``gold`` over rows with known gold; abstentions are
    wrong. An empty evaluation scores 0.0."""
    known = gold != ABSTAIN
    gold, predicted = gold[known], predicted[known]
    if gold.size == 0:
        return 0.0
    if metric == "accuracy":
        return float(np.mean(gold == predicted))
    if metric == "f1":
        if cardinality != 2:
            raise LabelModelParameterError(
                f"metric 'f1' is the F1 of class 1 in a binary task; this one has {cardinality} "
                f"classes: use 'macro_f1'"
            )
        return _f1(gold == 1, predicted == 1)
    return float(np.mean([_f1(gold == c, predicted == c) for c in range(cardinality)]))


def _f1(truth: npt.NDArray[np.bool_], guess: npt.NDArray[np.bool_]) -> float:
    hits = float(np.sum(truth & guess))
    total = float(np.sum(truth) + np.sum(guess))
    return 2.0 * hits / total if total else 0.0


class BaseLabelModel(ABC):
    """The shared contract of :class:`~babble.labelmodel.MajorityVoter` and
    :class:`~babble.labelmodel.LabelModel` (see the module docstring).

    Subclasses implement ``fit``, ``predict_proba`` and the ``_get_state`` / ``_set_state`` pair
    that persistence uses, and list their learned attributes in ``_fitted_attributes``.
    """

    _fitted_attributes: ClassVar[tuple[str, ...]] = ("cardinality_", "n_lfs_")
    cardinality: int | None
    tie_break: str
    random_state: int | None
    cardinality_: int
    n_lfs_: int

    @abstractmethod
    def fit(self, labels: object, *, groups: Iterable[Iterable[int]] | None = None) -> Self:
        """Learn from a label matrix; return ``self``."""

    @abstractmethod
    def predict_proba(self, labels: object) -> FloatArray:
        """Class probabilities, shape ``(n, k)``; every row is finite and sums to one."""

    @abstractmethod
    def _get_state(self) -> dict[str, Any]:
        """Learned state: NumPy arrays and JSON-able values, keyed by attribute name."""

    @abstractmethod
    def _set_state(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`_get_state` returned."""

    # -- hyperparameters ---------------------------------------------------------------------

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [p.name for p in signature.parameters.values() if p.kind is p.KEYWORD_ONLY]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The hyperparameters, as given to ``__init__`` (``deep`` is accepted for sklearn)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Self:
        """Set hyperparameters by name; return ``self``. Learned state is kept until refit."""
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise LabelModelParameterError(
                    f"{type(self).__name__} has no hyperparameter {name!r}; valid: {valid}"
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {
            p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()
        }
        shown = [
            f"{name}={value!r}"
            for name, value in self.get_params().items()
            if not _same(value, defaults.get(name))
        ]
        return f"{type(self).__name__}({', '.join(shown)})"

    def _check_common_params(self) -> None:
        if self.cardinality is not None and (
            not isinstance(self.cardinality, int | np.integer) or self.cardinality < 2
        ):
            raise LabelModelParameterError(
                f"cardinality must be an integer >= 2 or None, got {self.cardinality!r}"
            )
        if self.tie_break not in TIE_POLICIES:
            raise LabelModelParameterError(
                f"tie_break must be one of {TIE_POLICIES}, got {self.tie_break!r}"
            )

    # -- fitted state ------------------------------------------------------------------------

    def check_is_fitted(self) -> None:
        """Raise :class:`~babble.errors.LabelModelNotFittedError` unless ``fit`` has run."""
        if not all(hasattr(self, name) for name in self._fitted_attributes):
            raise LabelModelNotFittedError(
                f"this {type(self).__name__} is not fitted yet; call fit(L) first"
            )

    def _check_predict_input(self, labels: object) -> sp.csr_matrix:
        self.check_is_fitted()
        return check_label_matrix(
            labels, n_lfs=self.n_lfs_, cardinality=self.cardinality_, allow_empty=True
        )

    def predict(self, labels: object) -> IntArray:
        """The most probable class of each row; ties follow ``tie_break`` (``-1`` = abstain)."""
        proba = self.predict_proba(labels)
        return break_ties(proba, self.tie_break, np.random.default_rng(self.random_state))

    def score(self, labels: object, y: npt.ArrayLike, metric: str = "accuracy") -> float:
        """``metric`` (one of :data:`METRICS`) of :meth:`predict` against gold ``y``.

        Rows whose gold label is ``-1`` are skipped; a predicted abstention counts as wrong.
        """
        if metric not in METRICS:
            raise LabelModelParameterError(f"metric must be one of {METRICS}, got {metric!r}")
        predicted = self.predict(labels)
        gold = check_gold(y, predicted.shape[0], self.cardinality_)
        return score_predictions(gold, predicted, metric, self.cardinality_)

    # -- persistence -------------------------------------------------------------------------

    def save(self, path: str | Path) -> Path:
        """Write hyperparameters and learned state to ``path`` (``.json`` or ``.npz``; never
        pickle) and return the path."""
        self.check_is_fitted()
        target = Path(path)
        state = self._get_state()
        arrays = {k: v for k, v in state.items() if isinstance(v, np.ndarray)}
        header = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "class": type(self).__name__,
            "params": _jsonable(self.get_params()),
            "state": {k: v for k, v in state.items() if k not in arrays},
        }
        if target.suffix == ".json":
            header["arrays"] = {
                k: {"dtype": v.dtype.str, "shape": list(v.shape), "data": v.ravel().tolist()}
                for k, v in arrays.items()
            }
            target.write_text(json.dumps(header), encoding="utf-8")
        elif target.suffix == ".npz":
            with target.open("wb") as handle:
                payload: dict[str, Any] = {"__header__": np.array(json.dumps(header)), **arrays}
                np.savez(handle, **payload)
        else:
            raise LabelModelFileError(f"cannot save to {target}: use a .json or .npz file name")
        return target

    @classmethod
    def load(cls, path: str | Path) -> Self:
        """Read a model written by :meth:`save` (of this same class)."""
        source = Path(path)
        try:
            header, arrays = _read(source)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise LabelModelFileError(f"cannot read a label model from {source}: {exc}") from exc
        if header.get("format") != FORMAT_NAME or header.get("version") != FORMAT_VERSION:
            raise LabelModelFileError(
                f"{source} is not a {FORMAT_NAME} file of version {FORMAT_VERSION}"
            )
        if header.get("class") != cls.__name__:
            raise LabelModelFileError(
                f"{source} holds a {header.get('class')}, not a {cls.__name__}; load it with that "
                f"class"
            )
        try:
            model = cls(**header["params"])
            model._set_state({**header["state"], **arrays})
        except (TypeError, KeyError, ValueError) as exc:
            raise LabelModelFileError(f"{source} has an inconsistent model: {exc}") from exc
        return model


def _read(source: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    if source.suffix == ".json":
        header = json.loads(source.read_text(encoding="utf-8"))
        arrays = {
            k: np.asarray(v["data"], dtype=np.dtype(v["dtype"])).reshape(v["shape"])
            for k, v in header.pop("arrays", {}).items()
        }
        return header, arrays
    if source.suffix == ".npz":
        with np.load(source, allow_pickle=False) as data:
            header = json.loads(str(data["__header__"]))
            return header, {k: data[k] for k in data.files if k != "__header__"}
    raise ValueError("expected a .json or .npz file")


def _jsonable(value: Any) -> Any:
    """Hyperparameters as JSON values (arrays and tuples become lists)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False
