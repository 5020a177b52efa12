"""A candidate pool as flat arrays: where each candidate's tokens are, and its entity spans.

Every executor checks its input here first, so bad input fails the same way everywhere: an empty
pool, a pool where no candidate has the entity roles an LF uses (candidates of another task), a
pool where no candidate has a token. Candidates without tokens, or without an LF's roles, in an
otherwise good pool are labeled as the reference interpreter labels them and noted.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from babble.errors import EmptyCandidatesError, EmptyPoolError, PoolTaskError
from babble.preprocess import PreprocessedCandidates

_SHOWN = 3  # example candidate ids quoted in a message


@dataclass(frozen=True, eq=False)
class Pool:
    """Flat per-candidate arrays over a :class:`~babble.preprocess.PreprocessedCandidates`.

    Attributes
    ----------
    prepared
        The candidates and their token table.
    base
        int64 ``(n,)``: the table row of each candidate's first token.
    length
        int64 ``(n,)``: the number of tokens of each candidate's sentence.
    """

    prepared: PreprocessedCandidates
    base: np.ndarray
    length: np.ndarray

    @classmethod
    def of(cls, prepared: PreprocessedCandidates) -> Pool:
        """Check that the pool is not empty and build its arrays (once per pool: cached).

        Raises
        ------
        EmptyPoolError
            There is no candidate.
        EmptyCandidatesError
            No candidate has a token.
        """
        cached = _POOLS.get(prepared)
        if cached is not None:
            return cached
        if len(prepared) == 0:
            raise EmptyPoolError("the candidate pool is empty: there is nothing to label")
        offsets = prepared.table.offsets
        sentence = prepared.sentence.astype(np.int64)
        base = offsets[sentence]
        length = offsets[sentence + 1] - base
        if not length.any():
            raise EmptyCandidatesError(
                f"none of the {len(prepared)} candidates has a token (e.g. "
                f"{_ids(prepared, range(min(_SHOWN, len(prepared))))}): every labeling function "
                f"would abstain everywhere; check that the texts were loaded"
            )
        pool = _POOLS[prepared] = cls(prepared, base, length)
        return pool

    def __len__(self) -> int:
        return len(self.prepared)

    @cached_property
    def _role_slots(self) -> dict[str, np.ndarray]:
        """Role -> int64 ``(n,)``: which of ``prepared.spans[j]`` holds it, -1 where absent."""
        slots: dict[str, np.ndarray] = {}
        by_roles: dict[tuple[str, ...], list[int]] = {}
        for j, candidate in enumerate(self.prepared.candidates):
            by_roles.setdefault(candidate.roles, []).append(j)
        for roles, rows in by_roles.items():
            for k, role in enumerate(roles):
                slot = slots.setdefault(role, np.full(len(self), -1, dtype=np.int64))
                slot[rows] = k
        return slots

    @cached_property
    def _has_roles(self) -> dict[frozenset[str], np.ndarray]:
        return {}

    def has_roles(self, roles: Iterable[str]) -> np.ndarray:
        """Boolean ``(n,)``, read-only: which candidates have a span for every one of ``roles``."""
        key = frozenset(roles)
        if key not in self._has_roles:
            out = np.ones(len(self), dtype=bool)
            for role in key:
                slot = self._role_slots.get(role)
                out &= False if slot is None else slot >= 0
            out.flags.writeable = False
            self._has_roles[key] = out
        return self._has_roles[key]

    def check_roles(self, roles: Iterable[str], user: str) -> str | None:
        """Check that candidates have the entity roles an LF uses.

        Candidates lacking one make the LF abstain (as in the reference interpreter). When no
        candidate has them, the pool is of another task and :class:`PoolTaskError` is raised
        rather than returning an empty column; when only some lack them, a note is returned.
        ``user`` says what needs the roles (e.g. ``"LF 'exp3#0'"``), for the messages.
        """
        roles = sorted(set(roles))
        has = self.has_roles(roles)
        if has.all():
            return None
        missing = np.flatnonzero(~has)
        first = self.prepared.candidates[int(missing[0])]
        if not has.any():
            raise PoolTaskError(
                f"{user} uses the entities {roles}, but no candidate of the pool has them all "
                f"(e.g. {first.id!r} has roles {first.roles}): is this pool from another task?"
            )
        return (
            f"{user} abstains on {missing.size} of {len(self)} candidates that lack one of the "
            f"entities {roles} (e.g. {first.id!r} has roles {first.roles})"
        )

    @cached_property
    def _spans(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        return {}

    def span(self, role: str) -> tuple[np.ndarray, np.ndarray]:
        """Sentence-relative token ``[start, end)`` of every candidate's ``role`` span (int64,
        read-only); ``(-1, -1)`` for candidates without one (see :meth:`has_roles`)."""
        if role not in self._spans:
            slot = self._role_slots.get(role, np.full(len(self), -1, dtype=np.int64))
            spans = self.prepared.spans[np.arange(len(self)), np.maximum(slot, 0)].astype(np.int64)
            spans[slot < 0] = -1
            start, end = spans[:, 0].copy(), spans[:, 1].copy()
            start.flags.writeable = end.flags.writeable = False
            self._spans[role] = start, end
        return self._spans[role]

    def notes(self) -> tuple[str, ...]:
        """Warnings about the pool that change no vote: candidates without tokens."""
        empty = np.flatnonzero(self.length == 0)
        if not empty.size:
            return ()
        return (
            f"{empty.size} of {len(self)} candidates have no tokens (e.g. "
            f"{_ids(self.prepared, empty[:_SHOWN].tolist())}); logical-form LFs see them as empty "
            f"sentences",
        )


_POOLS: weakref.WeakKeyDictionary[PreprocessedCandidates, Pool] = weakref.WeakKeyDictionary()
"""One :class:`Pool` per preprocessed pool, so repeated runs on it share the per-role arrays."""


def _ids(prepared: PreprocessedCandidates, rows: Iterable[int]) -> str:
    return ", ".join(repr(prepared.candidates[j].id) for j in rows)


def subset(prepared: PreprocessedCandidates, rows: np.ndarray | slice) -> PreprocessedCandidates:
    """The candidates ``rows`` of a pool, sharing its token table (no copy of the columns).

    Use it to partition a pool (e.g. for Dask) and join the label matrices with
    :meth:`~babble.apply.LabelMatrix.vstack`.
    """
    index = np.arange(len(prepared))[rows]
    return PreprocessedCandidates(
        tuple(prepared.candidates[int(j)] for j in index),
        prepared.table,
        prepared.sentence[index],
        prepared.spans[index],
    )


def partitions(prepared: PreprocessedCandidates, n_parts: int) -> list[PreprocessedCandidates]:
    """Split a pool into ``n_parts`` consecutive, nearly equal partitions (none empty)."""
    if n_parts < 1:
        raise ValueError(f"n_parts must be >= 1, got {n_parts}")
    bounds = np.linspace(0, len(prepared), min(n_parts, max(len(prepared), 1)) + 1).astype(int)
    return [subset(prepared, slice(a, b)) for a, b in itertools.pairwise(bounds.tolist())]
