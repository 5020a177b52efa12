"""Per token table: inverted indexes and derived columns, built once and shared by executors.

:func:`table_index` caches one :class:`TableIndex` per :class:`~babble.preprocess.TokenTable`
(weakly: it goes when the table goes), so the annotator's loop -- a new explanation applied to
the same pool again and again -- pays for the indexes once.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import cached_property

import numpy as np

from babble.logic.forms import JOINING_HYPHENS
from babble.preprocess import EMPTY_ID, IOB_INSIDE, IOB_OUTSIDE, TokenTable

_ROW_KEY = 1 << 32  # sentence * _ROW_KEY + char offset increases over the whole table


class InvertedIndex:
    """Id -> the sorted table rows holding it, for one integer column.

    Examples
    --------
    >>> index = InvertedIndex(np.array([3, 1, 3, 0], dtype=np.int32), n_ids=5)
    >>> index.rows(3).tolist(), index.rows(2).tolist(), index.rows(None).tolist()
    ([0, 2], [], [])
    """

    def __init__(self, column: np.ndarray, n_ids: int) -> None:
        self.order = np.argsort(column, kind="stable")
        self.bounds = np.zeros(n_ids + 1, dtype=np.int64)
        np.cumsum(np.bincount(column, minlength=n_ids), out=self.bounds[1:])

    def rows(self, key: int | None) -> np.ndarray:
        """The rows whose value is ``key`` (none for ``None`` or an id beyond the column)."""
        if key is None or not 0 <= key < self.bounds.size - 1:
            return self.order[:0]
        return self.order[self.bounds[key] : self.bounds[key + 1]]

    def rows_of(self, keys: list[int]) -> np.ndarray:
        """The sorted rows whose value is any of ``keys``."""
        return np.sort(np.concatenate([self.order[:0], *(self.rows(k) for k in keys)]))


class TableIndex:
    """What executors need of a token table beyond its columns, computed lazily once.

    Attributes are the table, its string lookups, inverted indexes of the lower-case form,
    lemma (lower-cased, the form where there is none) and coarse POS columns, each row's
    sentence end, sortable character keys and the named-entity mentions.
    """

    def __init__(self, table: TokenTable) -> None:
        self.table = table

    @cached_property
    def lemma_ids(self) -> tuple[dict[str, int], np.ndarray]:
        """Per row, the id of its lemma as lemmas are compared (lower-cased; the token's
        lower-case form where it has none), and the index of those ids: the table's ids, then
        new ones for lower-cased lemmas the table lacks."""
        index = {s: i for i, s in enumerate(self.table.strings)}
        fold = np.array(
            [index.setdefault(s.lower(), len(index)) for s in self.table.strings], dtype=np.int64
        )
        lemma = self.table.lemma
        return index, np.where(lemma != EMPTY_ID, fold[lemma], fold[self.table.lower])

    @cached_property
    def lemma_strings(self) -> list[str]:
        """The strings of :attr:`lemma_ids`, by id."""
        return list(self.lemma_ids[0])

    @cached_property
    def lower_index(self) -> InvertedIndex:
        return InvertedIndex(self.table.lower, len(self.table.strings))

    @cached_property
    def lemma_index(self) -> InvertedIndex:
        return InvertedIndex(self.lemma_ids[1], len(self.lemma_ids[0]))

    @cached_property
    def pos_index(self) -> InvertedIndex:
        return InvertedIndex(self.table.pos, len(self.table.strings))

    def column(self, name: str) -> tuple[Callable[[str], int | None], np.ndarray, InvertedIndex]:
        """A string column compared by phrases (``"lower"`` or ``"lemma"``): how to look a
        string up, the id per row, and its inverted index."""
        if name == "lemma":
            index, ids = self.lemma_ids
            return index.get, ids, self.lemma_index
        return self.table.string_id, self.table.lower, self.lower_index

    @cached_property
    def lower_ids(self) -> np.ndarray:
        """The distinct ids of the lower-case column (the forms tokens have)."""
        return np.unique(self.table.lower)

    @cached_property
    def lower_strings(self) -> list[str]:
        """The strings of :attr:`lower_ids` (word-like tests run once per form)."""
        return [self.table.strings[i] for i in self.lower_ids.tolist()]

    @cached_property
    def sentence_end(self) -> np.ndarray:
        """Per row: the first row after its sentence."""
        offsets = self.table.offsets
        return np.repeat(offsets[1:], np.diff(offsets))

    @cached_property
    def sentence_start(self) -> np.ndarray:
        """Per row: the first row of its sentence."""
        offsets = self.table.offsets
        return np.repeat(offsets[:-1], np.diff(offsets))

    @cached_property
    def distance_rows(self) -> np.ndarray:
        """The sorted rows a word distance counts: every token but a hyphen that joins two
        words of its sentence with no space (:data:`~babble.logic.forms.JOINING_HYPHENS`)."""
        t = self.table
        ids = [i for i in map(t.string_id, sorted(JOINING_HYPHENS)) if i is not None]
        hyphen = np.flatnonzero(np.isin(t.text, ids))
        first, stop = self.sentence_start[hyphen], self.sentence_end[hyphen]
        inner = hyphen[(hyphen > first) & (hyphen + 1 < stop)]
        joins = inner[(t.end[inner - 1] == t.start[inner]) & (t.end[inner] == t.start[inner + 1])]
        keep = np.ones(t.n_tokens, dtype=bool)
        keep[joins] = False
        return np.flatnonzero(keep)

    def _char_keys(self, column: np.ndarray) -> np.ndarray:
        sentence = np.repeat(np.arange(self.table.n_sentences), np.diff(self.table.offsets))
        return np.asarray(sentence.astype(np.int64) * _ROW_KEY + column)

    @cached_property
    def start_keys(self) -> np.ndarray:
        """Per row: sentence * 2**32 + its start char -- increasing over the whole table."""
        return self._char_keys(self.table.start)

    @cached_property
    def end_keys(self) -> np.ndarray:
        """Per row: sentence * 2**32 + its end char -- increasing over the whole table."""
        return self._char_keys(self.table.end)

    @cached_property
    def mentions(self) -> tuple[np.ndarray, np.ndarray]:
        """Named-entity mentions: their first rows and lengths. A mention opens at an entity
        token that does not continue the one before (same sentence, ``I`` of the same type
        after an entity token) and runs over the tokens that continue it."""
        table = self.table
        iob, kind, offsets = table.ent_iob, table.ent_type, table.offsets
        continues = np.zeros(table.n_tokens, dtype=bool)
        continues[1:] = (
            (iob[1:] == IOB_INSIDE) & (iob[:-1] != IOB_OUTSIDE) & (kind[1:] == kind[:-1])
        )
        continues[offsets[:-1][offsets[:-1] < table.n_tokens]] = False
        is_break = np.ones(table.n_tokens + 1, dtype=bool)  # the last: the table's end
        is_break[:-1] = ~continues
        breaks = np.flatnonzero(is_break)  # a mention ends at the next break after its start
        starts = np.flatnonzero((iob != IOB_OUTSIDE) & ~continues)
        return starts, breaks[np.searchsorted(breaks, starts + 1)] - starts


_INDEXES: weakref.WeakKeyDictionary[TokenTable, TableIndex] = weakref.WeakKeyDictionary()


def table_index(table: TokenTable) -> TableIndex:
    """The (cached) index of a token table."""
    found = _INDEXES.get(table)
    if found is None:
        found = _INDEXES[table] = TableIndex(table)
    return found
