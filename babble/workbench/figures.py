"""The figures behind the workbench's feedback, as small functions over label matrices.

Every explanation's LFs vote its one label, so "an explanation votes on a candidate" and "with
which label" are properties of rows of its columns; conflicts are counted per candidate, never
per LF pair, as :mod:`babble.analysis` counts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from babble.apply import STORED_DTYPE, LabelMatrix
from babble.logic.interpret import CompiledRule, Span, candidate_view
from babble.preprocess import PreprocessedCandidates
from babble.types import Candidate, LabelSpace
from babble.workbench.feedback import Conflict, EntityMark, Mark

MAX_CONFLICTS_SHOWN = 5
"""At most this many conflicting explanations are named in a feedback."""


def voted_rows(matrix: LabelMatrix) -> np.ndarray:
    """The rows (candidates) on which some column of ``matrix`` votes, in order.

    Examples
    --------
    >>> m = LabelMatrix.from_dense(np.array([[1, -1], [-1, -1], [-1, 0]]), ("a", "b"), "xyz")
    >>> voted_rows(m).tolist()
    [0, 2]
    """
    return np.flatnonzero(np.diff(matrix.matrix.indptr))


def join(matrices: Sequence[LabelMatrix]) -> LabelMatrix | None:
    """The columns of several label matrices over the same candidates, side by side (one copy,
    however many matrices), or ``None`` when there are none."""
    if not matrices:
        return None
    first = matrices[0]
    return LabelMatrix(
        sp.hstack([m.matrix for m in matrices], format="csr", dtype=STORED_DTYPE),
        tuple(name for m in matrices for name in m.lf_names),
        first.candidate_ids,
    )


def against_others(
    rows: np.ndarray,
    label: int,
    others: LabelMatrix | None,
    origins: Mapping[str, str],
    own: str | None = None,
) -> tuple[np.ndarray, int, tuple[Conflict, ...]]:
    """How an explanation voting ``label`` on ``rows`` meets the LFs of the others.

    Parameters
    ----------
    rows
        The candidates the explanation's LFs vote on (sorted).
    label
        Its label.
    others
        The other explanations' LFs on the same pool.
    origins
        LF name -> its explanation's name, for the columns of ``others``.
    own
        The explanation's own name when ``others`` holds its columns (or those of its earlier
        version): they are not counted.

    Returns
    -------
    tuple
        The rows where another explanation votes another label, the number of rows where one
        votes the same label, and the conflicting explanations, most conflicts first (at most
        :data:`MAX_CONFLICTS_SHOWN`).

    Examples
    --------
    >>> others = LabelMatrix.from_dense(np.array([[0, 1], [1, -1], [-1, -1]]), ("a#0", "b#0"),
    ...                                 "xyz")
    >>> rows, agree, named = against_others(np.array([0, 1, 2]), 1, others,
    ...                                     {"a#0": "a", "b#0": "b"})
    >>> rows.tolist(), agree, named
    ([0], 2, (Conflict(explanation='a', candidates=1),))
    """
    if others is None or not rows.size:
        return np.zeros(0, dtype=np.int64), 0, ()
    names = sorted(set(origins.values()))
    position = {name: i for i, name in enumerate(names)}
    column_origin = np.array([position[origins[lf]] for lf in others.lf_names], dtype=np.int64)
    votes = others.matrix[rows].tocoo()
    theirs = column_origin[votes.col] != position.get(own or "", -1)
    differ = theirs & (votes.data.astype(np.int64) - 1 != label)
    agreements = int(np.unique(votes.row[theirs & ~differ]).size)
    pairs = np.unique(votes.row[differ] * len(names) + column_origin[votes.col[differ]])
    per_origin = np.bincount(pairs % len(names), minlength=len(names))
    ranked = sorted(np.flatnonzero(per_origin).tolist(), key=lambda i: (-per_origin[i], names[i]))
    named = tuple(Conflict(names[i], int(per_origin[i])) for i in ranked[:MAX_CONFLICTS_SHOWN])
    return rows[np.unique(votes.row[differ])], agreements, named


def label_counts(matrix: LabelMatrix, k: int) -> np.ndarray:
    """int64 ``(n_candidates, k)``: how many LFs vote each label on each candidate.

    Examples
    --------
    >>> m = LabelMatrix.from_dense(np.array([[1, 1, 0], [-1, -1, -1]]), "abc", ("x", "y"))
    >>> label_counts(m, 2).tolist()
    [[1, 2], [0, 0]]
    """
    coo = matrix.matrix.tocoo()
    counts = np.zeros((matrix.shape[0], k), dtype=np.int64)
    np.add.at(counts, (coo.row, coo.data.astype(np.int64) - 1), 1)
    return counts


def spread(rows: np.ndarray, size: int) -> np.ndarray:
    """At most ``size`` of ``rows``, evenly spaced from first to last (stable across calls).

    Examples
    --------
    >>> spread(np.arange(10), 3).tolist(), spread(np.arange(2), 3).tolist()
    ([0, 4, 9], [0, 1])
    """
    if rows.size <= size:
        return rows
    return rows[np.linspace(0, rows.size - 1, size).round().astype(np.int64)]


def entity_marks(candidate: Candidate, label_space: LabelSpace) -> tuple[EntityMark, ...]:
    """A candidate's entities, each with (up to three of) the aliases explanations may use."""
    aliases: dict[str, list[str]] = {}
    for alias, role in label_space.entity_aliases.items():
        aliases.setdefault(role, []).append(alias)
    return tuple(
        EntityMark(s.role, s.type, s.text, s.start, s.end, tuple(aliases.get(s.role, [])[:3]))
        for s in candidate.spans
    )


def firing_marks(
    rules: Iterable[CompiledRule], prepared: PreprocessedCandidates, j: int
) -> tuple[Mark, ...]:
    """The words that make any of ``rules`` vote on candidate ``j``, as marks on its sentence."""
    view = candidate_view(prepared, j)
    spans: set[Span] = set()
    for rule in rules:
        spans.update(rule.evidence(view))
    tokens = view.tokens
    text = prepared.candidates[j].text
    return tuple(
        Mark(text[tokens.start[s] : tokens.end[e - 1]], tokens.start[s], tokens.end[e - 1], s, e)
        for s, e in sorted(spans)
        if e > s
    )
