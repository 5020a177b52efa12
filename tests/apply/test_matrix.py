"""LabelMatrix: the sparse encoding (label + 1, implicit zero = abstain) and joining."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from babble.apply import STORED_DTYPE, LabelMatrix, LFErrors
from babble.errors import LabelMatrixError

DENSE = np.array([[0, -1, 2], [-1, -1, -1], [1, 1, -1]])


def _matrix(dense: np.ndarray = DENSE, prefix: str = "c") -> LabelMatrix:
    names = [f"lf{j}" for j in range(dense.shape[1])]
    return LabelMatrix.from_dense(dense, names, [f"{prefix}{i}" for i in range(len(dense))])


def test_encoding_stores_label_plus_one_and_abstains_implicitly() -> None:
    m = _matrix()
    assert m.matrix.dtype == STORED_DTYPE and m.matrix.nnz == 4
    assert m.matrix.toarray().tolist() == (DENSE + 1).tolist()
    assert (m.to_dense() == DENSE).all()
    assert m.column("lf2").tolist() == [2, -1, -1] and m.column(-1).tolist() == [2, -1, -1]


def test_from_columns_matches_from_dense() -> None:
    cols = [
        (np.array([0, 2]), np.array([0, 1])),
        (np.array([2]), np.array([1])),
        (np.array([0]), np.array([2])),
    ]
    m = LabelMatrix.from_columns(cols, ["lf0", "lf1", "lf2"], ["c0", "c1", "c2"])
    assert (m.to_dense() == DENSE).all()


def test_select_hstack_vstack() -> None:
    m = _matrix()
    assert (m.select(["lf2", "lf0"]).to_dense() == DENSE[:, [2, 0]]).all()
    wide = m.select(["lf0"]).hstack(m.select(["lf1", "lf2"]))
    assert wide.lf_names == m.lf_names and (wide.to_dense() == DENSE).all()
    error = LFErrors("lf1", 2, "c0", "KeyError: 'x'")
    top = LabelMatrix(m.matrix[:2], m.lf_names, ("c0", "c1"), (error,))
    bottom = LabelMatrix(m.matrix[2:], m.lf_names, ("c2",), (LFErrors("lf1", 1, "c2", "E"),))
    tall = LabelMatrix.vstack([top, bottom])
    assert (tall.to_dense() == DENSE).all() and tall.candidate_ids == ("c0", "c1", "c2")
    assert tall.errors == (LFErrors("lf1", 3, "c0", "KeyError: 'x'"),)


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (
            lambda: LabelMatrix(sp.csr_matrix((2, 2), dtype=STORED_DTYPE), ("a",), ("x", "y")),
            "does not match",
        ),
        (lambda: LabelMatrix(np.zeros((1, 1)), ("a",), ("x",)), "must be scipy CSR"),  # type: ignore[arg-type]
        (lambda: LabelMatrix.from_dense(DENSE, ["a", "a", "b"], ["x", "y", "z"]), "unique"),
        (lambda: LabelMatrix.from_dense(np.array([[-2]]), ["a"], ["x"]), "labels >= -1"),
        (lambda: _matrix().column("nope"), "no LF named"),
        (lambda: _matrix().column(5), "outside"),
        (lambda: _matrix().hstack(_matrix(prefix="d")), "different candidates"),
        (lambda: LabelMatrix.vstack([]), "at least one"),
        (lambda: LabelMatrix.vstack([_matrix(), _matrix().select(["lf0"])]), "different LFs"),
    ],
)
def test_misfits_are_refused(build: object, fragment: str) -> None:
    with pytest.raises(LabelMatrixError, match=fragment):
        build()  # type: ignore[operator]
