"""Dependencies between LFs: which votes must not be counted twice, and which overrule others.

Data programming's first idea is that LFs may be correlated and that a model which treats them as
independent double counts them. Three kinds of structure are used here, all plain data:

**Groups** (``list[list[int]]`` of LF column indices): LFs that are copies or near-copies of one
another by construction -- from the same explanation, duplicates the filter bank found, logical
forms that differ in a number or one word of a word set -- given by the caller, plus columns that
are exact copies in the matrix. On each row a group casts *one* vote's worth of evidence: each
member voting there carries weight ``1 / (members of its group voting on that row)``, so adding
copies of an LF to its group changes nothing at all.

**Similar clusters** (learned by :func:`learn_dependencies`): LFs (or whole groups) that vote on
nearly the same rows and nearly always agree. A cluster also casts one vote per row, shared
equally among its *groups* voting there (an LF outside any group is a group of one), and within a
group as above. Clusters sit above groups so that copies stay invisible even when the copied LF
resembles others.

**Fixes** (``(specific, general)`` pairs, learned): data programming's *fixing* dependency. A
specific LF that votes only where a much broader one also votes, and contradicts it there, is an
exception to it ("X, unless Y"): on rows where the specific LF votes, the general one is treated
as abstaining. On SemEval, WRENCH's LF 136 votes Member-Collection on half of all rows, and LF 40
(Component-Whole) votes on a subset of those, always contradicting it; LF 40 is right 93% of the
time there.

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
FloatArray = npt.NDArray[np.float64]
Fixes = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Dependencies:
    """LF structure the label model uses (see the module).

    Attributes
    ----------
    groups
        Disjoint groups (each sorted, at least two LFs) casting one vote per row.
    similar
        Disjoint clusters of whole groups or single LFs (at least two of them), casting one vote
        per row shared among their voting groups.
    fixes
        ``(specific, general)`` pairs: where ``specific`` votes, ``general`` is ignored.
    """

    groups: Groups = ()
    similar: Groups = ()
    fixes: Fixes = ()

    def merge(self, other: Dependencies, n_lfs: int) -> Dependencies:
        """Both structures together: overlapping groups are joined, a cluster takes in the whole
        groups its members belong to, and fixes inside a group or cluster are dropped."""
        groups = normalize_groups(self.groups + other.groups, n_lfs)
        clusters = _components(_chain(self.similar + other.similar + groups), n_lfs)
        similar = tuple(c for c in clusters if c not in groups)
        unit = _representatives(groups, n_lfs)
        cluster = _representatives(similar, n_lfs)
        fixes = tuple(
            sorted(
                {
                    (s, g)
                    for s, g in self.fixes + other.fixes
                    if unit[s] != unit[g] and cluster[s] != cluster[g]
                }
            )
        )
        return Dependencies(groups, similar, fixes)


def _chain(sets: Groups) -> list[tuple[int, int]]:
    """Edges joining the members of each set (a path through it)."""
    return [(members[0], other) for members in sets for other in members[1:]]


def _representatives(sets: Groups, n_lfs: int) -> npt.NDArray[np.int64]:
    """Per LF, the first member of its set (itself when in none)."""
    representative = np.arange(n_lfs, dtype=np.int64)
    for members in sets:
        representative[list(members)] = members[0]
    return representative


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
        Exact copies as groups, clusters of similar LFs (connected components of similar
        pairs, each taking in whole groups), and fixes.
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
    identical = similar & (jaccard >= 1.0) & (agree_rate >= 1.0)
    copies = _components([(int(a), int(b)) for a, b in np.argwhere(np.triu(identical))], n_lfs)
    clusters = _components([(int(a), int(b)) for a, b in np.argwhere(np.triu(similar))], n_lfs)
    fixes = tuple((int(a), int(b)) for a, b in np.argwhere(fixing))
    return Dependencies((), (), fixes).merge(Dependencies(copies, clusters), n_lfs)


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


def vote_weights(votes: sp.csr_matrix, dependencies: Dependencies) -> FloatArray | None:
    """Weight of each stored vote (aligned with ``votes.data``, CSR order), ``None`` when all are
    1: ``1 / (members of its group voting on the row)`` times ``1 / (groups of its similar
    cluster voting on the row)``.

    Examples
    --------
    >>> votes = sp.csr_matrix([[1, 1, 1, 2], [1, 0, 2, 0]])
    >>> vote_weights(votes, Dependencies(groups=((0, 1, 2),))).tolist()
    [0.3333333333333333, 0.3333333333333333, 0.3333333333333333, 1.0, 0.5, 0.5]
    >>> vote_weights(votes, Dependencies(groups=((0, 1),), similar=((0, 1, 2),))).tolist()
    [0.25, 0.25, 0.5, 1.0, 0.5, 0.5]
    """
    if not dependencies.groups and not dependencies.similar:
        return None
    n_lfs = votes.shape[1]
    unit = _representatives(dependencies.groups, n_lfs)
    cluster = _representatives(dependencies.similar, n_lfs)
    shared = np.zeros(n_lfs, dtype=bool)
    for lfs in dependencies.groups + dependencies.similar:
        shared[list(lfs)] = True
    weights = np.ones(votes.nnz)
    entries = np.flatnonzero(shared[votes.indices])
    rows = np.repeat(np.arange(votes.shape[0], dtype=np.int64), np.diff(votes.indptr))[entries]
    # Level 1: members of a group voting on a row; level 2: groups of a cluster voting on it.
    keys, inverse, members = np.unique(
        rows * n_lfs + unit[votes.indices[entries]], return_inverse=True, return_counts=True
    )
    _, cluster_inverse, voting_groups = np.unique(
        keys // n_lfs * n_lfs + cluster[keys % n_lfs], return_inverse=True, return_counts=True
    )
    weights[entries] = 1.0 / (members[inverse] * voting_groups[cluster_inverse][inverse])
    return weights
