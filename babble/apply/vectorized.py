"""The vectorized executor: every logical form evaluated over a whole pool with numpy.

No Python runs per candidate per LF. The work splits in three levels:

* **occurrences** (per word set, once per pool): the table rows where an occurrence of the word
  set starts, grouped by its length in tokens, found through an inverted index from lower-case
  form / lemma / tag id to rows (a phrase is matched by checking consecutive rows);
* **regions** (per region and occurrence length): for every candidate, the intervals of
  sentence positions where such an occurrence may start to lie in the region, computed by
  position arithmetic on the entity-span arrays;
* **conditions**: occurrences in a region are counted with two binary searches per candidate
  into the sorted occurrence rows; entity order, distance, length and text are array
  comparisons (entity texts are compared once per distinct text, not once per candidate).

Results of word sets, regions and atomic conditions are cached per executor, so parses that
share parts (the readings of one explanation) share the work. The semantics are those of
:mod:`babble.logic.forms`; the reference interpreter defines them candidate by candidate and a
property test holds both to the same label matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property, lru_cache

import numpy as np

from babble.apply.pool import Pool
from babble.errors import UnknownWordListError
from babble.logic.forms import (
    And,
    AnyWord,
    Apart,
    Between,
    Cmp,
    Condition,
    Count,
    Distance,
    Entity,
    EntityLength,
    EntityText,
    EntityType,
    Inside,
    LabelingRule,
    Lemma,
    Match,
    Not,
    Occurs,
    Or,
    Order,
    Part,
    PartOfSpeech,
    Phrase,
    SameText,
    Sentence,
    Shape,
    ShapeKind,
    Side,
    Unit,
    Window,
    WordLike,
    WordList,
    Words,
)
from babble.preprocess import IOB_BEGIN, IOB_INSIDE, TokenFlag

_FAR = 1 << 40  # an unbounded distance
_ROW_KEY = 1 << 32  # sentence * _ROW_KEY + char offset orders all tokens of the table

Occurrences = dict[int, np.ndarray]
"""Occurrence length in tokens -> sorted table rows where such an occurrence starts."""

Intervals = list[tuple[np.ndarray, np.ndarray]]
"""Per candidate, ``[lo, hi)`` ranges of sentence positions (one pair of arrays per range)."""


def _allowed(cmp: Cmp, n: int, low: int) -> list[tuple[int, int]]:
    """The values ``d >= low`` with ``d <cmp> n``, as inclusive ranges (``_FAR`` = unbounded)."""
    ranges = {
        Cmp.EQ: [(n, n)],
        Cmp.NE: [(low, n - 1), (n + 1, _FAR)],
        Cmp.LT: [(low, n - 1)],
        Cmp.LE: [(low, n)],
        Cmp.GT: [(n + 1, _FAR)],
        Cmp.GE: [(n, _FAR)],
    }[cmp]
    return [(max(a, low), b) for a, b in ranges if max(a, low) <= b]


def _holds(cmp: Cmp, x: np.ndarray, n: int) -> np.ndarray:
    """``x <cmp> n`` element-wise."""
    ops: dict[Cmp, Callable[[np.ndarray, int], np.ndarray]] = {
        Cmp.EQ: np.equal,
        Cmp.NE: np.not_equal,
        Cmp.LT: np.less,
        Cmp.LE: np.less_equal,
        Cmp.GT: np.greater,
        Cmp.GE: np.greater_equal,
    }
    return ops[cmp](x, n)


def _count_in(rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """How many of the sorted ``rows`` lie in ``[lo, hi)``, per pair (0 where ``hi <= lo``)."""
    if not rows.size:
        return np.zeros(lo.shape, dtype=np.int64)
    hi = np.maximum(hi, lo)
    return np.searchsorted(rows, hi) - np.searchsorted(rows, lo)


def _contains(rows: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Whether each of ``at`` is one of the sorted ``rows``."""
    if not rows.size:
        return np.zeros(at.shape, dtype=bool)
    i = np.minimum(np.searchsorted(rows, at), rows.size - 1)
    return rows[i] == at


@lru_cache(maxsize=1)
def _phrase_tokenizer() -> Callable[[str], list[str]]:
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    return lambda text: [t.lower_ for t in tokenizer(text) if not t.is_space]


@lru_cache(maxsize=4096)
def phrase_words(text: str) -> tuple[str, ...]:
    """A phrase's lower-case tokens, tokenised as sentences are (spaCy's English rules).

    Examples
    --------
    >>> phrase_words("His wife's")
    ('his', 'wife', "'s")
    """
    return tuple(_phrase_tokenizer()(text))


_TEXT_MATCH: dict[Match, Callable[[str, str], bool]] = {
    Match.IS: str.__eq__,
    Match.CONTAINS: str.__contains__,
    Match.STARTS_WITH: str.startswith,
    Match.ENDS_WITH: str.endswith,
}


class VectorizedExecutor:
    """Evaluates logical forms over every candidate of a pool at once.

    Parameters
    ----------
    pool
        The candidates and their token table (roles already checked by the caller).
    word_lists
        Named word lists :class:`~babble.logic.forms.WordList` nodes refer to.

    Examples
    --------
    >>> import tempfile
    >>> from babble.preprocess import preprocess
    >>> from babble.types import Candidate
    >>> from babble.logic.forms import Phrase, Sentence
    >>> cands = [Candidate("a", "d", "Ann married Bob.", ()), Candidate("b", "d", "No.", ())]
    >>> prepared = preprocess(cands, pipeline="blank:en", cache_dir=tempfile.mkdtemp(),
    ...                       progress=False)
    >>> executor = VectorizedExecutor(Pool.of(prepared))
    >>> executor.fires(LabelingRule(1, Occurs((Phrase("married bob"),), Sentence()))).tolist()
    [True, False]
    """

    def __init__(self, pool: Pool, word_lists: Mapping[str, Sequence[str]] | None = None) -> None:
        self.pool = pool
        self.table = pool.prepared.table
        self.word_lists = dict(word_lists or {})
        self._occurrences: dict[Words, Occurrences] = {}
        self._regions: dict[tuple[object, int], Intervals] = {}
        self._atoms: dict[Condition, np.ndarray] = {}

    # ----------------------------------------------------------------- public

    def fires(self, rule: LabelingRule) -> np.ndarray:
        """Boolean ``(n,)``: where the rule's condition holds (the LF votes ``rule.label``)."""
        return self.condition(rule.condition)

    def condition(self, node: Condition) -> np.ndarray:
        """Boolean ``(n,)``: where a condition holds."""
        if isinstance(node, And):
            out = self.condition(node.parts[0]).copy()
            for part in node.parts[1:]:
                out &= self.condition(part)
            return out
        if isinstance(node, Or):
            out = self.condition(node.parts[0]).copy()
            for part in node.parts[1:]:
                out |= self.condition(part)
            return out
        if isinstance(node, Not):
            return ~self.condition(node.part)
        cached = self._atoms.get(node)
        if cached is None:
            cached = self._atom(node)
            cached.flags.writeable = False
            self._atoms[node] = cached
        return cached

    # ----------------------------------------------------------------- pool-level arrays

    @cached_property
    def _sentence_end(self) -> np.ndarray:
        """Per table row: the first row after its sentence."""
        offsets = self.table.offsets
        return np.repeat(offsets[1:], np.diff(offsets))

    @cached_property
    def _lemma_lower(self) -> tuple[dict[str, int], np.ndarray]:
        """Lower-case lemma ids per row, and their index (the table's ids, then new ones for
        lower-case forms the table lacks)."""
        index = {s: i for i, s in enumerate(self.table.strings)}
        fold = [index.setdefault(s.lower(), len(index)) for s in self.table.strings]
        return index, np.array(fold, dtype=np.int64)[self.table.lemma]

    @cached_property
    def _lower_strings(self) -> list[str]:
        return [s.lower() for s in self.table.strings]

    def _ids(self, strings: Sequence[str]) -> list[int]:
        """The table ids of the strings that occur in the table."""
        return [i for i in map(self.table.string_id, strings) if i is not None]

    def _char_keys(self, column: np.ndarray) -> np.ndarray:
        """Per row: sentence * 2**32 + a char offset column, increasing over the whole table."""
        sentence = np.repeat(np.arange(self.table.n_sentences), np.diff(self.table.offsets))
        return sentence.astype(np.int64) * _ROW_KEY + column

    @cached_property
    def _start_keys(self) -> np.ndarray:
        return self._char_keys(self.table.start)

    @cached_property
    def _end_keys(self) -> np.ndarray:
        return self._char_keys(self.table.end)

    def _span(self, entity: Entity) -> tuple[np.ndarray, np.ndarray]:
        return self.pool.span(entity.role)

    def _span_chars(self, entity: Entity) -> tuple[np.ndarray, np.ndarray]:
        """Sentence char offsets ``[start, end)`` of each candidate's entity tokens."""
        start, end = self._span(entity)
        base = self.pool.base
        return (
            self.table.start[base + start].astype(np.int64),
            self.table.end[base + end - 1].astype(np.int64),
        )

    # ----------------------------------------------------------------- word sets

    def occurrences(self, words: Words) -> Occurrences:
        """Where occurrences of a word set start, by length (cached)."""
        found = self._occurrences.get(words)
        if found is None:
            found = {n: rows for n, rows in self._find(words).items() if rows.size}
            self._occurrences[words] = found
        return found

    def _find(self, words: Words) -> Occurrences:
        if isinstance(words, Phrase):
            return self._phrases([words.text])
        if isinstance(words, WordList):
            return self._phrases(self._entries(words))
        if isinstance(words, EntityType):
            return self._mentions(words.labels)
        return {1: np.flatnonzero(self._token_mask(words))}

    def _entries(self, words: WordList) -> Sequence[str]:
        if words.name not in self.word_lists:
            raise UnknownWordListError(
                f"the word list {words.name!r} was not given; given: {sorted(self.word_lists)}"
            )
        return self.word_lists[words.name]

    def _phrases(self, texts: Sequence[str]) -> Occurrences:
        """Starts of any of the phrases, by length in tokens (consecutive-row matching)."""
        by_length: dict[int, list[np.ndarray]] = {}
        for text in texts:
            words = phrase_words(text)
            ids = [self.table.string_id(w) for w in words]
            if not words or None in ids:
                continue
            rows = np.flatnonzero(self.table.lower == ids[0])
            for i, word_id in enumerate(ids[1:], start=1):
                rows = rows[rows + i < self._sentence_end[rows]]
                rows = rows[self.table.lower[rows + i] == word_id]
            by_length.setdefault(len(ids), []).append(rows)
        return {n: np.unique(np.concatenate(parts)) for n, parts in by_length.items()}

    def _mentions(self, labels: tuple[str, ...]) -> Occurrences:
        """Starts of named-entity mentions with one of the labels, by mention length."""
        ids = self._ids(labels)
        iob = self.table.ent_iob
        starts = np.flatnonzero((iob == IOB_BEGIN) & np.isin(self.table.ent_type, ids))
        offsets = self.table.offsets
        breaks = np.union1d(np.flatnonzero(iob != IOB_INSIDE), offsets)
        ends = breaks[np.searchsorted(breaks, starts + 1)]
        lengths = ends - starts
        return {int(n): starts[lengths == n] for n in np.unique(lengths)}

    def _token_mask(self, words: Words) -> np.ndarray:
        """Boolean per table row, for word sets whose occurrences are single tokens."""
        table = self.table
        if isinstance(words, AnyWord):
            return np.ones(table.n_tokens, dtype=bool)
        if isinstance(words, Lemma):
            index, lemmas = self._lemma_lower
            return lemmas == index.get(words.word.lower(), -1)
        if isinstance(words, PartOfSpeech):
            return np.isin(table.pos, self._ids([words.tag]))
        if isinstance(words, Shape):
            return self._shape_mask(words.kind)
        if isinstance(words, WordLike):
            patterns = (
                [words.pattern.text] if isinstance(words.pattern, Phrase)
                else self._entries(words.pattern)
            )
            test = _TEXT_MATCH[words.match]
            lowered = [p.lower() for p in patterns]
            per_string = np.array(
                [any(test(s, p) for p in lowered) for s in self._lower_strings], dtype=bool
            )
            return per_string[table.lower]
        if isinstance(words, EntityType):
            return np.isin(table.ent_type, self._ids(words.labels))
        raise TypeError(f"not a single-token word set: {words!r}")

    def _shape_mask(self, kind: ShapeKind) -> np.ndarray:
        flags = self.table.flags
        if kind is ShapeKind.PUNCTUATION:
            return (flags & TokenFlag.IS_PUNCT) != 0
        if kind is ShapeKind.NUMBER:
            return (flags & TokenFlag.LIKE_NUM) != 0
        test: Callable[[str], bool] = {
            ShapeKind.CAPITALIZED: lambda s: s[:1].isupper(),
            ShapeKind.ALL_CAPS: str.isupper,
            ShapeKind.LOWERCASE: str.islower,
        }[kind]
        per_string = np.array([test(s) for s in self.table.strings], dtype=bool)
        return per_string[self.table.text]

    # ----------------------------------------------------------------- regions

    def starts(self, region: object, length: int) -> Intervals:
        """Per candidate, where an occurrence of ``length`` tokens may start to lie in
        ``region`` (disjoint sentence-relative ranges; cached)."""
        key = (region, length)
        found = self._regions.get(key)
        if found is None:
            found = self._starts(region, length)
            self._regions[key] = found
        return found

    def _token_range(self, region: object) -> tuple[np.ndarray, np.ndarray]:
        """The one ``[lo, hi)`` range of tokens of a contiguous region."""
        if isinstance(region, Sentence):
            return np.zeros(len(self.pool), dtype=np.int64), self.pool.length
        if isinstance(region, Inside):
            return self._span(region.entity)
        if isinstance(region, Between):
            s1, e1 = self._span(region.a)
            s2, e2 = self._span(region.b)
            a_first = s1 <= s2
            return np.where(a_first, e1, e2), np.where(a_first, s2, s1)
        if isinstance(region, Window) and region.limit is None:
            start, end = self._span(region.anchor)
            if region.side is Side.BEFORE:
                return np.zeros(len(self.pool), dtype=np.int64), start
            return end, self.pool.length
        raise TypeError(f"not a contiguous region: {region!r}")

    def _starts(self, region: object, length: int) -> Intervals:
        if isinstance(region, Window) and region.limit is not None:
            sides = [Side.BEFORE, Side.AFTER] if region.side is Side.EITHER else [region.side]
            return [
                r for side in sides for r in self._window(region.anchor, side, region.limit, length)
            ]
        lo, hi = self._token_range(region)
        return [(lo, hi - length + 1)]

    def _window(self, anchor: Entity, side: Side, limit: Distance, length: int) -> Intervals:
        """Starts of occurrences on one side of ``anchor`` whose distance to it fits ``limit``.

        Word distance from an occurrence to the anchor counts from its nearest token.
        """
        start, end = self._span(anchor)
        base = self.pool.base
        out: Intervals = []
        low = 1 if limit.unit is Unit.WORDS else 0
        for d_lo, d_hi in _allowed(limit.cmp, limit.n, low):
            if limit.unit is Unit.WORDS and side is Side.BEFORE:
                lo, hi = start - d_hi - length + 1, start - d_lo - length + 2
            elif limit.unit is Unit.WORDS:
                lo, hi = end - 1 + d_lo, end + d_hi
            elif side is Side.BEFORE:  # characters from the occurrence's end to the anchor
                anchor_key = self._start_keys[base + start]
                last_lo = np.searchsorted(self._end_keys, anchor_key - d_hi) - base
                last_hi = np.searchsorted(self._end_keys, anchor_key - d_lo, side="right") - base
                lo, hi = last_lo - length + 1, np.minimum(last_hi, start) - length + 1
            else:  # characters from the anchor's end to the occurrence's start
                anchor_key = self._end_keys[base + end - 1]
                lo = np.maximum(np.searchsorted(self._start_keys, anchor_key + d_lo) - base, end)
                hi = np.searchsorted(self._start_keys, anchor_key + d_hi, side="right") - base
            out.append((np.maximum(lo, 0), np.minimum(hi, self.pool.length)))
        return out

    def count(self, words: Words, region: object) -> np.ndarray:
        """int64 ``(n,)``: occurrences of ``words`` lying in ``region``, per candidate."""
        total = np.zeros(len(self.pool), dtype=np.int64)
        base = self.pool.base
        for length, rows in self.occurrences(words).items():
            for lo, hi in self.starts(region, length):
                total += _count_in(rows, base + lo, base + hi)
        return total

    def fills(self, words: Words, region: Between | Inside) -> np.ndarray:
        """Boolean ``(n,)``: an occurrence of ``words`` is exactly the region's tokens."""
        lo, hi = self._token_range(region)
        out = np.zeros(len(self.pool), dtype=bool)
        for length, rows in self.occurrences(words).items():
            out |= (hi - lo == length) & _contains(rows, self.pool.base + lo)
        return out

    # ----------------------------------------------------------------- atomic conditions

    def _atom(self, node: Condition) -> np.ndarray:
        if isinstance(node, Occurs):
            found = [
                self.fills(item, node.where) if node.whole else self.count(item, node.where) > 0
                for item in node.items
            ]
            return _holds(node.quant.cmp, np.sum(found, axis=0), node.quant.n)
        if isinstance(node, Count):
            return _holds(node.cmp, self.count(node.words, node.where), node.n)
        if isinstance(node, Order):
            return self._order(node)
        if isinstance(node, Apart):
            before = self._gap(node.a, node.b, node.gap)
            return before | self._gap(node.b, node.a, node.gap)
        if isinstance(node, EntityLength):
            start, end = (
                self._span(node.entity) if node.unit is Unit.WORDS
                else self._span_chars(node.entity)
            )
            return _holds(node.cmp, end - start, node.n)
        if isinstance(node, EntityText):
            return self._entity_text(node)
        if isinstance(node, SameText):
            return self._same_text(node)
        raise TypeError(f"not a condition: {node!r}")

    def _order(self, node: Order) -> np.ndarray:
        if node.gap is not None:
            return self._gap(node.first, node.second, node.gap)
        _, e1 = self._span(node.first)
        s2, _ = self._span(node.second)
        return e1 <= s2

    def _gap(self, first: Entity, second: Entity, gap: Distance) -> np.ndarray:
        """``first`` ends before ``second`` starts and the distance between them fits ``gap``."""
        _, e1 = self._span(first)
        s2, _ = self._span(second)
        if gap.unit is Unit.WORDS:
            distance = s2 - e1 + 1
        else:
            distance = self._span_chars(second)[0] - self._span_chars(first)[1]
        return (e1 <= s2) & _holds(gap.cmp, distance, gap.n)

    # ----------------------------------------------------------------- entity text

    def _texts(self, entity: Entity, part: Part = Part.WHOLE) -> tuple[list[str], np.ndarray]:
        """The distinct lower-case texts of an entity (or its first / last word), and per
        candidate the index of its text: string tests then run once per distinct text."""
        start, end = self._span(entity)
        base = self.pool.base
        if part is not Part.WHOLE:
            row = base + (start if part is Part.FIRST_WORD else end - 1)
            ids, inverse = np.unique(self.table.lower[row], return_inverse=True)
            return [self.table.strings[i] for i in ids.tolist()], inverse
        index: dict[str, int] = {}
        codes = np.fromiter(
            (
                index.setdefault(c.span(entity.role).text.lower(), len(index))
                for c in self.pool.prepared.candidates
            ),
            dtype=np.int64,
            count=len(self.pool),
        )
        return list(index), codes

    def _entity_text(self, node: EntityText) -> np.ndarray:
        found = [self._text_item(node.entity, node.match, item) for item in node.items]
        return _holds(node.quant.cmp, np.sum(found, axis=0), node.quant.n)

    def _text_item(self, entity: Entity, match: Match, item: Words) -> np.ndarray:
        if isinstance(item, Phrase | WordList | Lemma):
            patterns = (
                [item.text] if isinstance(item, Phrase)
                else [item.word] if isinstance(item, Lemma)
                else list(self._entries(item))
            )
            lowered = [p.lower() for p in patterns]
            test = _TEXT_MATCH[match]
            texts, codes = self._texts(entity)
            per_text = np.array([any(test(t, p) for p in lowered) for t in texts], dtype=bool)
            return per_text[codes]
        rows = np.flatnonzero(self._token_mask(item))
        start, end = self._span(entity)
        base = self.pool.base
        if match is Match.IS:
            return _count_in(rows, base + start, base + end) == end - start
        if match is Match.CONTAINS:
            return _count_in(rows, base + start, base + end) > 0
        return _contains(rows, base + (start if match is Match.STARTS_WITH else end - 1))

    def _same_text(self, node: SameText) -> np.ndarray:
        texts_a, codes_a = self._texts(node.a, node.part)
        texts_b, codes_b = self._texts(node.b, node.part)
        pairs, inverse = np.unique(
            codes_a * (len(texts_b) + 1) + codes_b, return_inverse=True
        )
        test = _TEXT_MATCH[node.match]
        per_pair = np.array(
            [
                test(texts_a[p // (len(texts_b) + 1)], texts_b[p % (len(texts_b) + 1)])
                for p in pairs.tolist()
            ],
            dtype=bool,
        )
        return per_pair[inverse]
