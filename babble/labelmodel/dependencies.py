"""Dependencies between LFs: which votes must not be counted twice, and which overrule others.

Data programming's first idea is that LFs may be correlated and that a model which treats them as
independent double counts them. Two kinds of structure are used here, both plain data:

**Groups** (``list[list[int]]`` of LF column indices). LFs of one group are near-copies of one
another (same explanation, duplicates the filter bank found, logical forms that differ in a number
or one word of a word set). On each row a group casts *one* vote's worth of evidence: each member
that votes there carries weight ``1 / (members of its group voting on that row)``. Exact copies of
an LF in one group therefore change nothing at all. Groups come from the caller (static: babble
knows which LFs share an explanation) and can also be learned from the matrix
(:func:`learn_dependencies`: pairs that vote on nearly the same rows and nearly always agree).

**Fixes** (``(specific, general)`` pairs). Data programming's *fixing* dependency: a specific LF
that votes only where a much broader one also votes, and contradicts it there, is an exception
to it ("X, unless Y"). On rows where the specific LF votes, the general one is treated as
abstaining. Learned from the matrix: on SemEval, WRENCH's LF 136 votes Member-Collection on half of
all rows, and LF 40 (Component-Whole) votes on a subset of those, always contradicting it; LF 40
is right 93% of the time there.

Examples
--------
>>> normalize_groups([[3, 1], [1, 2], [5]], n_lfs=6)
((1, 2, 3),)
>>> import scipy.sparse as sp
>>> votes = sp.csr_matrix([[1, 1, 0], [1, 1, 2], [2, 2, 0], [1, 1, 0]])  # vote + 1
>>> learn_dependencies(votes, min_votes=1).groups
((0, 1),)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from babble.errors import LabelModelInputError

Groups = tuple[tuple[int, ...], ...]
Fixes = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Dependencies:
    """LF structure the label model uses.

    Attributes
    ----------
    groups
        Disjoint groups (each sorted, at least two LFs) counted as one vote per row.
    fixes
        ``(specific, general)`` pairs: where ``specific`` votes, ``general`` is ignored.
    """

    groups: Groups = ()
    fixes: Fixes = ()

    def merge(self, other: Dependencies, n_lfs: int) -> Dependencies:
        """Both structures together: overlapping groups are joined, fixes inside a group dropped."""
        groups = normalize_groups(self.groups + other.groups, n_lfs)
        group_of = {lf: i for i, members in enumerate(groups) for lf in members}
        fixes = tuple(
            sorted(
                {
                    (s, g)
                    for s, g in self.fixes + other.fixes
                    if group_of.get(s, -1 - s) != group_of.get(g, -1 - g)
                }
            )
        )
        return Dependencies(groups, fixes)


def normalize_groups(groups: Iterable[Iterable[int]] | None, n_lfs: int) -> Groups:
    """Validate LF groups; join groups that share an LF; drop groups of one LF.

    Raises
    ------
    LabelModelInputError
        A group is not a list of integers, or names an LF outside ``0 .. n_lfs-1``.
    """
    if groups is None:
        return ()
    pairs: list[tuple[int, int]] = []
    for index, group in enumerate(groups):
        if isinstance(group, str | bytes) or not isinstance(group, Iterable):
            raise LabelModelInputError(
                f"LF group {index} is {group!r}; expected a list of LF column indices"
            )
        members = list(group)
        for member in members:
            if isinstance(member, bool) or not isinstance(member, int | np.integer):
                raise LabelModelInputError(
                    f"LF group {index} has member {member!r}; expected an integer column index"
                )
            if not 0 <= member < n_lfs:
                raise LabelModelInputError(
                    f"LF group {index} names LF {member}, outside the label matrix's columns "
                    f"0..{n_lfs - 1}"
                )
        pairs += [(int(members[0]), int(m)) for m in members[1:]]
    return _components(pairs, n_lfs)


def _components(pairs: list[tuple[int, int]], n_lfs: int) -> Groups:
    """Connected components with at least two LFs, each sorted, in order of their first LF."""
    if not pairs:
        return ()
    a, b = np.array(pairs, dtype=np.int64).T
    graph = sp.coo_matrix((np.ones(a.size), (a, b)), shape=(n_lfs, n_lfs))
    _, component = connected_components(graph, directed=False)
    sizes = np.bincount(component)
    found: dict[int, list[int]] = {}
    for lf in range(n_lfs):
        if sizes[component[lf]] > 1:
            found.setdefault(int(component[lf]), []).append(lf)
    return tuple(tuple(members) for members in found.values())


def learn_dependencies(
    votes: sp.csr_matrix,
    *,
    similarity: float = 0.8,
    agreement: float = 0.95,
    containment: float = 0.9,
    breadth: float = 2.0,
    min_votes: int = 5,
) -> Dependencies:
    """Estimate groups and fixes from a label matrix (sparse, vote + 1; see ``_base``).

    Parameters
    ----------
    votes
        CSR, stored values vote + 1. Pass a row sample for very large matrices.
    similarity
        Two LFs are grouped when the Jaccard overlap of the rows they vote on is at least this
        and they agree on at least ``agreement`` of those rows.
    agreement
        See ``similarity``; also the share of shared rows on which a fixing pair must *disagree*.
    containment
        ``specific`` fixes ``general`` when at least this share of ``specific``'s votes fall on
        rows where ``general`` votes, ``general`` votes on at least ``breadth`` times as many
        rows, and they disagree on at least ``agreement`` of the shared rows.
    breadth
        See ``containment``.
    min_votes
        LFs with fewer votes than this take part in no learned dependency (too little evidence).

    Returns
    -------
    Dependencies
        Learned groups (connected components of similar pairs) and fixes.
    """
    n_lfs = votes.shape[1]
    fires = _indicator(votes, votes.data > 0)
    count = np.asarray(fires.sum(axis=0)).ravel()
    shared = (fires.T @ fires).toarray()
    agree = np.zeros_like(shared)
    for value in np.unique(votes.data):
        same = _indicator(votes, votes.data == value)
        agree += (same.T @ same).toarray()
    enough = count >= min_votes
    with np.errstate(divide="ignore", invalid="ignore"):
        union = count[:, None] + count[None, :] - shared
        jaccard = np.where(union > 0, shared / union, 0.0)
        agree_rate = np.where(shared > 0, agree / shared, 0.0)
    evidence = enough[:, None] & enough[None, :] & ~np.eye(n_lfs, dtype=bool)
    similar = evidence & (jaccard >= similarity) & (agree_rate >= agreement)
    fixing = (
        evidence
        & (shared >= containment * count[:, None])
        & (count[None, :] >= breadth * count[:, None])
        & (shared > 0)
        & (1.0 - agree_rate >= agreement)
    )
    pairs = [(int(a), int(b)) for a, b in np.argwhere(np.triu(similar))]
    fixes = tuple((int(a), int(b)) for a, b in np.argwhere(fixing))
    return Dependencies(_components(pairs, n_lfs), fixes)


def _indicator(votes: sp.csr_matrix, keep: npt.NDArray[np.bool_]) -> sp.csr_matrix:
    """0/1 float CSR of the stored entries selected by ``keep``."""
    # Copies: eliminate_zeros compacts indices in place, which must not reach ``votes``.
    matrix = sp.csr_matrix(
        (keep.astype(np.float64), votes.indices.copy(), votes.indptr.copy()), shape=votes.shape
    )
    matrix.eliminate_zeros()
    return matrix


def apply_fixes(votes: sp.csr_matrix, fixes: Fixes) -> sp.csr_matrix:
    """The votes with each fix applied: where ``specific`` votes, ``general`` abstains.

    Every fix is judged on the original votes, so the order of ``fixes`` does not matter.

    Examples
    --------
    >>> votes = sp.csr_matrix([[1, 2], [0, 2]])  # LF 0 votes 0 on row 0; LF 1 votes 1 twice
    >>> apply_fixes(votes, ((0, 1),)).toarray().tolist()
    [[1, 0], [0, 2]]
    """
    if not fixes:
        return votes
    columns = votes.tocsc()
    columns.sort_indices()
    data = columns.data.copy()
    for specific, general in fixes:
        rows = columns.indices[columns.indptr[specific] : columns.indptr[specific + 1]]
        start, end = columns.indptr[general], columns.indptr[general + 1]
        data[start:end][np.isin(columns.indices[start:end], rows, assume_unique=True)] = 0
    fixed = sp.csc_matrix((data, columns.indices, columns.indptr), shape=votes.shape).tocsr()
    fixed.eliminate_zeros()
    return fixed


def vote_weights(votes: sp.csr_matrix, groups: Groups) -> npt.NDArray[np.float64]:
    """Weight of each stored vote: ``1 / (members of its group voting on its row)``, 1 outside
    groups. Aligned with ``votes.data`` (CSR order).

    Examples
    --------
    >>> votes = sp.csr_matrix([[1, 1, 1], [1, 0, 2]])
    >>> vote_weights(votes, ((0, 1),)).tolist()
    [0.5, 0.5, 1.0, 1.0, 1.0]
    """
    weights = np.ones(votes.nnz)
    if not groups:
        return weights
    group_id = np.full(votes.shape[1], -1, dtype=np.int64)
    for index, members in enumerate(groups):
        group_id[list(members)] = index
    entry_group = group_id[votes.indices]
    grouped = np.flatnonzero(entry_group >= 0)
    rows = np.repeat(np.arange(votes.shape[0], dtype=np.int64), np.diff(votes.indptr))
    key = rows[grouped] * len(groups) + entry_group[grouped]
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    weights[grouped] = 1.0 / counts[inverse]
    return weights
