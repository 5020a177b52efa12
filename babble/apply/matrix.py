"""The label matrix: one row per candidate, one column per LF, stored sparse.

Encoding
--------
:attr:`LabelMatrix.matrix` is a ``scipy.sparse.csr_matrix`` of dtype int16 holding **label + 1**:
a stored ``1`` is a vote for label 0, ``k`` a vote for label ``k - 1``, and an implicit (not
stored) zero is an abstention. Most LFs abstain on most candidates, so only votes take memory.
:meth:`LabelMatrix.to_dense` gives Snorkel's dense convention: an int array with ``-1``
(:data:`~babble.types.ABSTAIN`) for abstain, ready for Snorkel's ``LabelModel``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from babble.errors import LabelMatrixError
from babble.types import ABSTAIN

STORED_DTYPE = np.int16
"""dtype of the stored values (label + 1): up to 32,766 labels."""


@dataclass(frozen=True)
class LFErrors:
    """Candidates on which a hand-written LF raised (or returned a non-label): it abstained there.

    Attributes
    ----------
    lf
        The LF's name.
    count
        How many candidates it failed on.
    candidate
        The id of the first candidate it failed on.
    error
        The first error, as ``"TypeError: ..."``.
    """

    lf: str
    count: int
    candidate: str
    error: str

    def __str__(self) -> str:
        return (
            f"LF {self.lf!r} failed on {self.count} candidate(s) and abstained there; "
            f"first on {self.candidate!r}: {self.error}"
        )


@dataclass(frozen=True, eq=False)
class LabelMatrix:
    """Votes of ``n_lfs`` LFs on ``n_candidates`` candidates (see the module's encoding).

    Attributes
    ----------
    matrix
        CSR, shape ``(n_candidates, n_lfs)``, int16 values ``label + 1``; zero = abstain.
    lf_names
        Column names, one per LF.
    candidate_ids
        Row names, one per candidate.
    errors
        Per LF that raised on some candidates: how often, and the first error.
    notes
        Facts worth a warning that changed no vote (e.g. candidates without tokens).

    Examples
    --------
    >>> m = LabelMatrix.from_dense(np.array([[1, -1], [-1, 0]]), ("a", "b"), ("c1", "c2"))
    >>> m.matrix.nnz, m.to_dense().tolist(), m.column("b").tolist()
    (2, [[1, -1], [-1, 0]], [-1, 0])
    """

    matrix: sp.csr_matrix
    lf_names: tuple[str, ...]
    candidate_ids: tuple[str, ...]
    errors: tuple[LFErrors, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        shape = (len(self.candidate_ids), len(self.lf_names))
        if not sp.issparse(self.matrix) or self.matrix.format != "csr":
            raise LabelMatrixError(f"matrix must be scipy CSR, got {type(self.matrix).__name__}")
        if self.matrix.shape != shape:
            raise LabelMatrixError(
                f"matrix shape {self.matrix.shape} does not match {shape[0]} candidate ids and "
                f"{shape[1]} LF names"
            )
        if len(set(self.lf_names)) != len(self.lf_names):
            raise LabelMatrixError(f"LF names must be unique, got {list(self.lf_names)}")

    @classmethod
    def from_dense(
        cls,
        labels: np.ndarray,
        lf_names: Sequence[str],
        candidate_ids: Sequence[str],
        errors: tuple[LFErrors, ...] = (),
    ) -> LabelMatrix:
        """Build from a dense int array with ``-1`` for abstain (Snorkel's convention)."""
        dense = np.asarray(labels)
        if dense.ndim != 2 or (dense.size and dense.min() < ABSTAIN):
            raise LabelMatrixError(f"expected a 2-d array of labels >= -1, got shape {dense.shape}")
        stored = sp.csr_matrix((dense + 1).astype(STORED_DTYPE))
        return cls(stored, tuple(lf_names), tuple(candidate_ids), errors)

    @classmethod
    def from_columns(
        cls,
        columns: Sequence[tuple[np.ndarray, np.ndarray]],
        lf_names: Sequence[str],
        candidate_ids: Sequence[str],
        errors: tuple[LFErrors, ...] = (),
        notes: tuple[str, ...] = (),
    ) -> LabelMatrix:
        """Build from per-LF ``(rows, labels)``: the rows an LF voted on and its votes there."""
        n, m = len(candidate_ids), len(lf_names)
        if len(columns) != m:
            raise LabelMatrixError(f"got {len(columns)} columns for {m} LF names")
        rows = [np.asarray(r, dtype=np.int64) for r, _ in columns]
        cols = [np.full(len(r), j, dtype=np.int64) for j, r in enumerate(rows)]
        values = [np.asarray(v, dtype=STORED_DTYPE) + 1 for _, v in columns]
        coo = sp.coo_matrix(
            (
                np.concatenate([np.zeros(0, STORED_DTYPE), *values]),
                (
                    np.concatenate([np.zeros(0, np.int64), *rows]),
                    np.concatenate([np.zeros(0, np.int64), *cols]),
                ),
            ),
            shape=(n, m),
        )
        return cls(coo.tocsr(), tuple(lf_names), tuple(candidate_ids), errors, notes)

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_candidates, n_lfs)``."""
        return len(self.candidate_ids), len(self.lf_names)

    def to_dense(self) -> np.ndarray:
        """The votes as an int64 array, ``-1`` for abstain (Snorkel's ``L`` matrix)."""
        return np.asarray(self.matrix.toarray().astype(np.int64) - 1)

    def index(self, lf: str | int) -> int:
        """The column of an LF, by name or position."""
        if isinstance(lf, int):
            if not -len(self.lf_names) <= lf < len(self.lf_names):
                raise LabelMatrixError(f"column {lf} is outside 0..{len(self.lf_names) - 1}")
            return lf % len(self.lf_names)
        try:
            return self.lf_names.index(lf)
        except ValueError:
            raise LabelMatrixError(f"no LF named {lf!r} in this label matrix") from None

    def column(self, lf: str | int) -> np.ndarray:
        """One LF's votes as a dense int64 vector, ``-1`` for abstain."""
        j = self.index(lf)
        return np.asarray(self.matrix[:, [j]].toarray().ravel().astype(np.int64) - 1)

    def select(self, lfs: Sequence[str | int]) -> LabelMatrix:
        """The matrix of some LFs only, in the order given (their errors kept)."""
        cols = [self.index(lf) for lf in lfs]
        names = tuple(self.lf_names[j] for j in cols)
        errors = tuple(e for e in self.errors if e.lf in names)
        return replace(self, matrix=self.matrix[:, cols].tocsr(), lf_names=names, errors=errors)

    def hstack(self, other: LabelMatrix) -> LabelMatrix:
        """This matrix with ``other``'s columns appended (same candidates, other LFs)."""
        if other.candidate_ids != self.candidate_ids:
            raise LabelMatrixError("cannot join LF columns computed over different candidates")
        return LabelMatrix(
            sp.hstack([self.matrix, other.matrix], format="csr", dtype=STORED_DTYPE),
            self.lf_names + other.lf_names,
            self.candidate_ids,
            self.errors + other.errors,
            tuple(dict.fromkeys(self.notes + other.notes)),
        )

    @classmethod
    def vstack(cls, parts: Sequence[LabelMatrix]) -> LabelMatrix:
        """Join matrices of the same LFs over consecutive partitions of candidates (e.g. Dask).

        Error counts of the same LF add up; its first error is that of the first partition.
        """
        if not parts:
            raise LabelMatrixError("vstack needs at least one label matrix")
        names = parts[0].lf_names
        if any(p.lf_names != names for p in parts):
            raise LabelMatrixError("cannot join partitions labeled by different LFs")
        merged: dict[str, LFErrors] = {}
        for e in (e for p in parts for e in p.errors):
            first = merged.get(e.lf)
            merged[e.lf] = e if first is None else replace(first, count=first.count + e.count)
        return cls(
            sp.vstack([p.matrix for p in parts], format="csr", dtype=STORED_DTYPE),
            names,
            tuple(c for p in parts for c in p.candidate_ids),
            tuple(merged.values()),
            tuple(dict.fromkeys(n for p in parts for n in p.notes)),
        )
