"""The vectorized executor: every logical form evaluated over a whole pool with numpy.

No Python runs per candidate per LF. The work splits in three levels:

* **occurrences** (per word set, once per pool): the sorted table rows where an occurrence of
  the word set starts, grouped by its length in tokens. A phrase's first word is looked up in an
  inverted index from lower-case form (or lemma) to rows (:mod:`babble.apply.index`, built once
  per token table) and extended by checking the consecutive rows; parts of speech come from an
  index too, other token classes from column tests, entity mentions from the IOB column;
* **regions** (per region and occurrence length): for every candidate, the ranges of sentence
  positions where such an occurrence may start to lie in the region, by position arithmetic on
  the entity-span arrays (character limits by binary search over the token offsets);
* **conditions**: occurrences in a region are counted with two binary searches per candidate
  into the sorted occurrence rows (two lookups into cumulative counts for word sets on many
  rows); entity order, distance and length are array comparisons; entity texts are built and
  compared (``numpy.strings``) once per distinct text, not once per candidate.

Results of word sets, regions and atomic conditions are cached per executor, so parses that
share parts (the readings of one explanation) share the work. The semantics are exactly those of
the reference interpreter :mod:`babble.logic.interpret` (its docstring spells them out); phrases
and lemmas are resolved by its :func:`~babble.logic.interpret.resolve`, and a property test
holds both executors to the same label matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from babble.apply.index import table_index
from babble.apply.pool import Pool
from babble.logic.forms import (
    CLITICS,
    And,
    AnyWord,
    Apart,
    Between,
    Cmp,
    Condition,
    Count,
    Digits,
    Distance,
    Edge,
    Entity,
    EntityLength,
    EntityText,
    EntityType,
    Inside,
    LabelingRule,
    Match,
    Not,
    Occurs,
    Or,
    Order,
    Part,
    PartOfSpeech,
    Precedes,
    Region,
    SameText,
    Shape,
    Side,
    Unit,
    Window,
    WordLike,
    WordList,
    Words,
    roles_used,
)
from babble.logic.interpret import (
    NOT_A_WORD,
    SHAPE_FLAGS,
    PhraseAnalyzer,
    Runs,
    analyzer_for,
    compile_rule,
    resolve,
)
from babble.preprocess import IOB_OUTSIDE

_FAR = 1 << 40  # an unbounded distance
_DENSE = 16  # occurrences on more than 1/_DENSE of the rows are counted by cumulative sums

Occurrences = dict[int, np.ndarray]
"""Occurrence length in tokens -> sorted table rows where such an occurrence starts."""

Intervals = list[tuple[np.ndarray, np.ndarray]]
"""Per candidate, ``[lo, hi)`` ranges of sentence positions (one pair of arrays per range)."""

_TEXT_MATCH: dict[Match, Callable[[str, str], bool]] = {
    Match.IS: str.__eq__,
    Match.CONTAINS: str.__contains__,
    Match.STARTS_WITH: str.startswith,
    Match.ENDS_WITH: str.endswith,
}

_CMP: dict[Cmp, Callable[[np.ndarray, int], np.ndarray]] = {
    Cmp.EQ: np.equal,
    Cmp.NE: np.not_equal,
    Cmp.LT: np.less,
    Cmp.LE: np.less_equal,
    Cmp.GT: np.greater,
    Cmp.GE: np.greater_equal,
}


def _allowed(cmp: Cmp, n: int, low: int) -> list[tuple[int, int]]:
    """The values ``d >= low`` with ``d <cmp> n``, as inclusive ranges (``_FAR`` = unbounded).

    Examples
    --------
    >>> _allowed(Cmp.NE, 2, 1), _allowed(Cmp.LT, 1, 1)
    ([(1, 1), (3, 1099511627776)], [])
    """
    ranges = {
        Cmp.EQ: [(n, n)],
        Cmp.NE: [(low, n - 1), (n + 1, _FAR)],
        Cmp.LT: [(low, n - 1)],
        Cmp.LE: [(low, n)],
        Cmp.GT: [(n + 1, _FAR)],
        Cmp.GE: [(n, _FAR)],
    }[cmp]
    # clipped to _FAR: the explanation's number may be any size, and numpy's integers are not
    clipped = [(max(a, low), min(b, _FAR)) for a, b in ranges]
    return [(a, b) for a, b in clipped if a <= b]


def _matches(texts: Sequence[str], match: Match, patterns: Sequence[str]) -> np.ndarray:
    """Per text, whether it ``match``-es any of the patterns (``numpy.strings`` over the whole
    list at once; Python's own test for a pattern holding a NUL, which numpy mishandles)."""
    out = np.zeros(len(texts), dtype=bool)
    array = np.array(texts, dtype=np.dtypes.StringDType())
    for pattern in patterns:
        if "\x00" in pattern:
            test = _TEXT_MATCH[match]
            out |= np.fromiter((test(t, pattern) for t in texts), dtype=bool, count=len(texts))
        elif match is Match.IS:
            out |= array == pattern
        elif match is Match.CONTAINS:
            out |= np.strings.find(array, pattern) >= 0
        elif match is Match.STARTS_WITH:
            out |= np.strings.startswith(array, pattern)
        else:
            out |= np.strings.endswith(array, pattern)
    return out


def _sorted_union(parts: list[np.ndarray]) -> np.ndarray:
    """The sorted distinct values of some sorted arrays."""
    if len(parts) == 1:
        return parts[0]
    merged = np.sort(np.concatenate(parts))
    keep = np.ones(merged.size, dtype=bool)
    keep[1:] = merged[1:] != merged[:-1]
    return merged[keep]


def _count_in(rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """How many of the sorted ``rows`` lie in ``[lo, hi)``, per pair (0 where ``hi <= lo``)."""
    if not rows.size:
        return np.zeros(lo.shape, dtype=np.int64)
    return np.asarray(np.searchsorted(rows, np.maximum(hi, lo)) - np.searchsorted(rows, lo))


def _contains(rows: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Whether each of ``at`` is one of the sorted ``rows``."""
    if not rows.size:
        return np.zeros(at.shape, dtype=bool)
    i = np.minimum(np.searchsorted(rows, at), rows.size - 1)
    return np.asarray(rows[i] == at)


class VectorizedExecutor:
    """Evaluates logical forms over every candidate of a pool at once.

    Parameters
    ----------
    pool
        The candidates and their token table.
    word_lists
        Named word lists :class:`~babble.logic.forms.WordList` nodes refer to.
    analyzer
        Tokenises phrases and lemmatises words as the pool's pipeline did (default: that of
        :data:`~babble.preprocess.DEFAULT_PIPELINE`).

    Examples
    --------
    >>> import tempfile
    >>> from babble.logic.forms import Occurs, Phrase, Sentence
    >>> from babble.logic.interpret import analyzer_for
    >>> from babble.preprocess import preprocess
    >>> from babble.types import Candidate
    >>> cands = [Candidate("a", "d", "Ann married Bob.", ()), Candidate("b", "d", "No.", ())]
    >>> prepared = preprocess(cands, pipeline="blank:en", cache_dir=tempfile.mkdtemp(),
    ...                       progress=False)
    >>> executor = VectorizedExecutor(Pool.of(prepared), analyzer=analyzer_for("blank:en"))
    >>> executor.fires(LabelingRule(1, Occurs((Phrase("married bob"),), Sentence()))).tolist()
    [True, False]
    """

    def __init__(
        self,
        pool: Pool,
        word_lists: Mapping[str, Sequence[str]] | None = None,
        *,
        analyzer: PhraseAnalyzer | None = None,
    ) -> None:
        self.pool = pool
        self.table = pool.prepared.table
        self.word_lists = dict(word_lists or {})
        self.analyzer = analyzer or analyzer_for()
        self.index = table_index(self.table)
        self._occurrences: dict[Words, Occurrences] = {}
        self._tokens: dict[Words, np.ndarray] = {}
        self._cumulatives: dict[tuple[Words, int], np.ndarray] = {}
        self._regions: dict[tuple[Region, int], Intervals] = {}
        self._atoms: dict[Condition, np.ndarray] = {}
        self._texts: dict[tuple[str, str, bool], tuple[list[str], np.ndarray]] = {}

    # ----------------------------------------------------------------- public

    def fires(self, rule: LabelingRule) -> np.ndarray:
        """Boolean ``(n,)``: where the LF votes ``rule.label``: its condition holds, on
        candidates that have every entity role the rule mentions (elsewhere it abstains).

        Raises :class:`~babble.errors.UndefinedWordListError` as the interpreter does."""
        compile_rule(rule, self.word_lists, analyzer=self.analyzer)  # its checks, its errors
        return np.asarray(self.condition(rule.condition) & self.pool.has_roles(roles_used(rule)))

    def condition(self, node: Condition) -> np.ndarray:
        """Boolean ``(n,)``: where a condition holds (meaningless where a role is missing)."""
        if isinstance(node, And | Or):
            combine = np.logical_and if isinstance(node, And) else np.logical_or
            out = self.condition(node.parts[0])
            for part in node.parts[1:]:
                out = combine(out, self.condition(part))
            return out
        if isinstance(node, Not):
            return ~self.condition(node.part)
        cached = self._atoms.get(node)
        if cached is None:
            cached = self._atom(node)
            cached.flags.writeable = False
            self._atoms[node] = cached
        return cached

    # ----------------------------------------------------------------- table-level arrays

    def _at(self, column: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """``column[rows]`` with rows clipped into the table (missing spans read garbage that
        :meth:`fires` masks out, but never out of bounds)."""
        return np.asarray(column[np.clip(rows, 0, self.table.n_tokens - 1)])

    def _span(self, entity: Entity) -> tuple[np.ndarray, np.ndarray]:
        return self.pool.span(entity.role)

    # ----------------------------------------------------------------- word sets

    def occurrences(self, words: Words) -> Occurrences:
        """Where occurrences of a word set start, by length (cached)."""
        found = self._occurrences.get(words)
        if found is None:
            runs = resolve(words, self.word_lists, self.analyzer)
            if runs is not None:
                found = self._runs(runs)
            elif isinstance(words, EntityType):
                found = self._mentions(words.labels)
            else:
                found = {1: self._token_rows(words)}
            found = {n: rows for n, rows in found.items() if rows.size}
            self._occurrences[words] = found
        return found

    def _runs(self, runs: Runs) -> Occurrences:
        """Starts of runs of consecutive tokens equal to one of the sequences, by length: the
        rows of the first word from the inverted index, kept where the next rows (in the same
        sentence) hold the next words."""
        lookup, column, index = self.index.column(runs.column)
        sentence_end = self.index.sentence_end
        by_length: dict[int, list[np.ndarray]] = {}
        for sequence in runs.sequences:
            ids = [lookup(word) for word in sequence]
            if None in ids:
                continue
            rows = index.rows(ids[0])
            for i, word_id in enumerate(ids[1:], start=1):
                rows = rows[rows + i < sentence_end[rows]]
                rows = rows[column[rows + i] == word_id]
            by_length.setdefault(len(ids), []).append(rows)
        return {n: _sorted_union(parts) for n, parts in by_length.items()}

    def _mentions(self, labels: tuple[str, ...]) -> Occurrences:
        """Starts of named-entity mentions of the labels, by mention length."""
        starts, lengths = self.index.mentions
        keep = np.isin(self.table.ent_type[starts], self._ids(labels))
        starts, lengths = starts[keep], lengths[keep]
        return {int(n): starts[lengths == n] for n in np.unique(lengths)}

    def _ids(self, strings: Sequence[str]) -> list[int]:
        """The table ids of those strings the table has."""
        return [i for i in map(self.table.string_id, strings) if i is not None]

    def _token_rows(self, words: Words) -> np.ndarray:
        """The sorted rows of the tokens of a token class (cached per word set). An entity
        type's tokens here are single tokens, not mentions (an entity's text is "a person"
        when its tokens are)."""
        found = self._tokens.get(words)
        if found is None:
            if isinstance(words, PartOfSpeech):
                found = self.index.pos_index.rows_of(self._ids([words.tag]))
            elif isinstance(words, AnyWord):
                clitic = np.isin(self.table.lower, self._ids(sorted(CLITICS)))
                found = np.flatnonzero(((self.table.flags & NOT_A_WORD) == 0) & ~clitic)
            else:
                found = np.flatnonzero(self._token_mask(words))
            self._tokens[words] = found
        return found

    def _counted_before(self, rows: np.ndarray) -> np.ndarray:
        """Per table row: how many rows before it a word distance counts (all but hyphens
        that join two words, :attr:`TableIndex.distance_rows`)."""
        return np.searchsorted(self.index.distance_rows, rows).astype(np.int64)

    def _row_after_counted(self, count: np.ndarray) -> np.ndarray:
        """Per count: the first table row with ``count`` counted rows before it (0 for none or
        fewer; ``_FAR`` past the table's end)."""
        counted = self.index.distance_rows
        if not len(counted):
            return np.where(count <= 0, 0, _FAR)
        after = counted[np.clip(count - 1, 0, len(counted) - 1)] + 1
        return np.where(count <= 0, 0, np.where(count > len(counted), _FAR, after))

    def _token_mask(self, words: Words) -> np.ndarray:
        """Boolean per table row: the token is of a token class (entity type, shape, digits,
        word-like; parts of speech and any word go through :meth:`_token_rows`)."""
        table = self.table
        if isinstance(words, EntityType):
            return np.asarray(
                (table.ent_iob != IOB_OUTSIDE) & np.isin(table.ent_type, self._ids(words.labels))
            )
        if isinstance(words, Shape):
            return np.asarray((table.flags & SHAPE_FLAGS[words.kind]) != 0)
        if isinstance(words, Digits):
            per_string = np.fromiter(map(words.holds, table.strings), bool, len(table.strings))
            return np.asarray(per_string[table.lower])
        if isinstance(words, WordLike):
            texts = (
                (words.pattern.text,)
                if not isinstance(words.pattern, WordList)
                else self.word_lists[words.pattern.name]
            )
            patterns = list(dict.fromkeys(t.strip().lower() for t in texts if t.strip()))
            ids = self.index.lower_ids
            per_string = np.zeros(len(table.strings), dtype=bool)
            per_string[ids] = _matches(self.index.lower_strings, words.match, patterns)
            return np.asarray(per_string[table.lower])
        raise TypeError(f"not a token class with a mask: {words!r}")

    # ----------------------------------------------------------------- regions

    def starts(self, region: Region, length: int) -> Intervals:
        """Per candidate, where an occurrence of ``length`` tokens may start to lie in
        ``region``: disjoint sentence-relative ranges (cached)."""
        key = (region, length)
        found = self._regions.get(key)
        if found is None:
            if isinstance(region, Window) and region.limit is not None:
                sides = (Side.BEFORE, Side.AFTER) if region.side is Side.EITHER else (region.side,)
                found = [
                    r
                    for side in sides
                    for r in self._window(region.anchor, side, region.limit, length)
                ]
            elif isinstance(region, Edge):
                found = [self._edge(region.side, region.skip, length)]
            else:
                lo, hi = self._token_range(region)
                found = [self._clip(lo, hi - length + 1)]
            self._regions[key] = found
        return found

    def _edge(self, side: Side, skip: int, length: int) -> tuple[np.ndarray, np.ndarray]:
        """Starts of occurrences with exactly ``skip`` words before them (``BEFORE``: counted
        from the sentence's start) or after them (``AFTER``: from its end)."""
        words = self._token_rows(AnyWord())
        base, n = self.pool.base, self.pool.length
        first = np.searchsorted(words, base)  # index in ``words`` of each sentence's first word
        count = np.searchsorted(words, base + n) - first

        def word(j: np.ndarray | int, missing: np.ndarray | int) -> np.ndarray:
            """Sentence position of each sentence's word ``j`` (``missing`` where none)."""
            ok = (j >= 0) & (j < count)
            at = words[np.clip(first + j, 0, len(words) - 1)] - base if len(words) else base
            return np.where(ok, at, missing)

        # the occurrence starts (BEFORE) or ends (AFTER) after word m - 1 and at or before word m
        m = skip if side is Side.BEFORE else count - skip
        lo, hi = word(m - 1, -1) + 1, word(m, n)
        if side is Side.AFTER:
            lo, hi = lo - length, hi - length
        hi = np.where(count >= skip, np.minimum(hi, n - length) + 1, lo)  # too few words: none
        return self._clip(lo, hi)

    def _token_range(self, region: Region) -> tuple[np.ndarray, np.ndarray]:
        """The ``[lo, hi)`` tokens of a contiguous region (empty when ``hi <= lo``)."""
        if isinstance(region, Inside):
            return self._span(region.entity)
        if isinstance(region, Between):
            s1, e1 = self._span(region.a)
            s2, e2 = self._span(region.b)
            a_first = (s1 < s2) | ((s1 == s2) & (e1 <= e2))
            return np.where(a_first, e1, e2), np.where(a_first, s2, s1)
        if isinstance(region, Window):  # no limit: everything on one side
            start, end = self._span(region.anchor)
            if region.side is Side.BEFORE:
                return np.zeros(len(self.pool), dtype=np.int64), start
            return end, self.pool.length
        return np.zeros(len(self.pool), dtype=np.int64), self.pool.length  # Sentence

    def _clip(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A range of start positions clipped into each candidate's sentence."""
        return np.clip(lo, 0, self.pool.length), np.clip(hi, 0, self.pool.length)

    def _window(self, anchor: Entity, side: Side, limit: Distance, length: int) -> Intervals:
        """Starts of occurrences wholly on one side of ``anchor`` whose distance to it (from
        their nearest token) fits ``limit``."""
        start, end = self._span(anchor)
        base = self.pool.base
        out: Intervals = []
        for d_lo, d_hi in _allowed(limit.cmp, limit.n, 1 if limit.unit is Unit.WORDS else 0):
            # in words, d = 1 + the counted rows between: the occurrence ends at a row q
            # (BEFORE) or starts at a row p (AFTER) with so many counted rows before it
            if limit.unit is Unit.WORDS and side is Side.BEFORE:
                w = self._counted_before(base + start)  # d = 1 + w - counted before q
                q_lo = self._row_after_counted(w - d_hi + 1)
                q_hi = np.minimum(self._row_after_counted(w - d_lo + 2), base + start + 1)
                lo, hi = q_lo - base - length, q_hi - base - length
            elif limit.unit is Unit.WORDS:
                w = self._counted_before(base + end)  # d = 1 + counted before p - w
                lo = np.maximum(self._row_after_counted(w + d_lo - 1), base + end) - base
                hi = self._row_after_counted(w + d_hi) - base
            elif side is Side.BEFORE:  # chars from the occurrence's last token to the anchor
                key = self._at(self.index.start_keys, base + start)
                last_lo = np.searchsorted(self.index.end_keys, key - d_hi) - base
                last_hi = np.searchsorted(self.index.end_keys, key - d_lo, side="right") - base
                lo, hi = last_lo - length + 1, np.minimum(last_hi, start) - length + 1
            else:  # chars from the anchor's last token to the occurrence
                key = self._at(self.index.end_keys, base + end - 1)
                lo = np.maximum(np.searchsorted(self.index.start_keys, key + d_lo) - base, end)
                hi = np.searchsorted(self.index.start_keys, key + d_hi, side="right") - base
            out.append(self._clip(lo, hi))
        return out

    def count(self, words: Words, region: Region) -> np.ndarray:
        """int64 ``(n,)``: occurrences of ``words`` lying in ``region``, per candidate."""
        total = np.zeros(len(self.pool), dtype=np.int64)
        base = self.pool.base
        for length, rows in self.occurrences(words).items():
            cumulative = self._cumulative(words, length, rows)
            for lo, hi in self.starts(region, length):
                if cumulative is None:
                    total += _count_in(rows, base + lo, base + hi)
                else:
                    total += np.maximum(cumulative[base + hi] - cumulative[base + lo], 0)
        return total

    def _cumulative(self, words: Words, length: int, rows: np.ndarray) -> np.ndarray | None:
        """For occurrences on many rows (a part of speech, any word): how many start before
        each row, so a count is two lookups instead of two binary searches (cached)."""
        if rows.size * _DENSE < self.table.n_tokens:
            return None
        key = (words, length)
        if key not in self._cumulatives:
            cumulative = np.zeros(self.table.n_tokens + 1, dtype=np.int64)
            cumulative[rows + 1] = 1
            self._cumulatives[key] = np.cumsum(cumulative, out=cumulative)
        return self._cumulatives[key]

    def fills(self, words: Words, region: Region) -> np.ndarray:
        """Boolean ``(n,)``: an occurrence of ``words`` is exactly the region's tokens."""
        lo, hi = self._token_range(region)
        out = np.zeros(len(self.pool), dtype=bool)
        for length, rows in self.occurrences(words).items():
            out |= (hi - lo == length) & _contains(rows, self.pool.base + lo)
        return out

    # ----------------------------------------------------------------- atomic conditions

    def _atom(self, node: Condition) -> np.ndarray:
        if isinstance(node, Occurs):
            found = sum(
                (
                    self.fills(item, node.where) if node.whole else self.count(item, node.where) > 0
                ).astype(np.int64)
                for item in node.items
            )
            return _CMP[node.quant.cmp](np.asarray(found), node.quant.n)
        if isinstance(node, Count):
            return _CMP[node.cmp](self.count(node.words, node.where), node.n)
        if isinstance(node, Order):
            return self._precedes(node.first, node.second, node.gap)
        if isinstance(node, Precedes):
            if node.limit is not None:
                return self._word_gap(node.first, node.second, node.limit)
            return self._word_order(node.first, node.second)
        if isinstance(node, Apart):
            return np.asarray(
                self._precedes(node.a, node.b, node.gap) | self._precedes(node.b, node.a, node.gap)
            )
        if isinstance(node, EntityLength):
            start, end = self._span(node.entity)
            if node.unit is Unit.CHARS:
                base = self.pool.base
                start = self._at(self.table.start, base + start).astype(np.int64)
                end = self._at(self.table.end, base + end - 1).astype(np.int64)
            return _CMP[node.cmp](end - start, node.n)
        if isinstance(node, EntityText):
            found = sum(
                self._text_item(node.entity, node.match, item).astype(np.int64)
                for item in node.items
            )
            return _CMP[node.quant.cmp](np.asarray(found), node.quant.n)
        if isinstance(node, SameText):
            return self._same_text(node)
        raise TypeError(f"not a condition: {node!r}")  # pragma: no cover - forms checks

    def _word_order(self, first: Words, second: Words) -> np.ndarray:
        """Per candidate: the earliest end of ``first`` is at or before the latest start of
        ``second`` (table rows; occurrences wholly in the candidate's sentence)."""
        base, end = self.pool.base, self.pool.base + self.pool.length
        first_end = np.full(len(self.pool), _FAR, dtype=np.int64)
        for length, rows in self.occurrences(first).items():
            i = np.minimum(np.searchsorted(rows, base), len(rows) - 1)
            inside = (rows[i] >= base) & (rows[i] + length <= end)
            first_end = np.where(inside, np.minimum(first_end, rows[i] + length), first_end)
        second_start = np.full(len(self.pool), -1, dtype=np.int64)
        for length, rows in self.occurrences(second).items():
            j = np.maximum(np.searchsorted(rows, end - length, side="right") - 1, 0)
            inside = (rows[j] >= base) & (rows[j] + length <= end)
            second_start = np.where(inside, np.maximum(second_start, rows[j]), second_start)
        return np.asarray(first_end <= second_start)

    def _word_gap(self, first: Words, second: Words, limit: Distance) -> np.ndarray:
        """Per candidate: some occurrence of ``second`` starts ``limit`` words after some
        occurrence of ``first`` ends, both in its sentence. For each start, the ends that fit
        are a range of rows (those with so many counted rows between them and the start)."""
        found = self.occurrences(first)
        out = np.zeros(len(self.pool), dtype=bool)
        if not found:
            return out
        ends = np.unique(np.concatenate([rows + length for length, rows in found.items()]))
        sentence_start = self.index.sentence_start
        base, stop = self.pool.base, self.pool.base + self.pool.length
        for length, starts in self.occurrences(second).items():
            w = self._counted_before(starts)  # d = 1 + w - counted before the end
            fits = np.zeros(starts.size, dtype=bool)
            for d_lo, d_hi in _allowed(limit.cmp, limit.n, 1):
                lo = np.maximum(self._row_after_counted(w - d_hi + 1), sentence_start[starts] + 1)
                hi = np.minimum(self._row_after_counted(w - d_lo + 2), starts + 1)
                fits |= np.searchsorted(ends, hi) > np.searchsorted(ends, lo)
            total = np.concatenate(([0], np.cumsum(fits)))
            lo = np.searchsorted(starts, base)
            hi = np.maximum(np.searchsorted(starts, stop - length, side="right"), lo)
            out |= total[hi] > total[lo]
        return out

    def _precedes(self, first: Entity, second: Entity, gap: Distance | None) -> np.ndarray:
        """``first`` ends where or before ``second`` starts, and the distance fits ``gap``."""
        _, e1 = self._span(first)
        s2, _ = self._span(second)
        ok = e1 <= s2
        if gap is None:
            return ok
        base = self.pool.base
        if gap.unit is Unit.WORDS:
            distance = 1 + self._counted_before(base + s2) - self._counted_before(base + e1)
        else:
            distance = self._at(self.table.start, base + s2).astype(np.int64) - self._at(
                self.table.end, base + e1 - 1
            )
        return np.asarray(ok & _CMP[gap.cmp](distance, gap.n))

    # ----------------------------------------------------------------- entity text

    def _text_codes(
        self, entity: Entity, column: str, name: bool = False
    ) -> tuple[list[str], np.ndarray]:
        """The distinct texts of an entity's spans (tokens of ``column`` -- ``"lower"``,
        ``"lemma"``, ``"first"``, ``"last"`` -- joined by spaces; of its name with ``name``)
        and each candidate's index into them. Spans are grouped by length and deduplicated by
        their token ids, so strings are built and tested once per distinct text, not once per
        candidate (cached)."""
        key = (entity.role, column, name)
        if key not in self._texts:
            start, end = self._name_span(entity) if name else self._span(entity)
            base = self.pool.base
            if column in ("first", "last"):
                rows = base + (start if column == "first" else end - 1)
                ids, codes = np.unique(self._at(self.table.lower, rows), return_inverse=True)
                self._texts[key] = [self.table.strings[i] for i in ids.tolist()], codes.ravel()
            else:
                _, ids, _ = self.index.column(column)
                words = self.index.lemma_strings if column == "lemma" else self.table.strings
                texts, codes = [""], np.zeros(len(self.pool), dtype=np.int64)
                lengths = np.maximum(end - start, 0)
                for length in np.unique(lengths[lengths > 0]).tolist():
                    which = np.flatnonzero(lengths == length)
                    grid = ids[(base + start)[which, None] + np.arange(length)]
                    distinct, inverse = np.unique(grid, axis=0, return_inverse=True)
                    codes[which] = len(texts) + inverse.ravel()
                    texts += [" ".join(words[i] for i in row) for row in distinct.tolist()]
                self._texts[key] = texts, codes
        return self._texts[key]

    def _text_item(self, entity: Entity, match: Match, item: Words) -> np.ndarray:
        runs = resolve(item, self.word_lists, self.analyzer)
        if runs is not None:
            texts, codes = self._text_codes(entity, runs.column)
            return np.asarray(
                _matches(texts, match, [" ".join(seq) for seq in runs.sequences])[codes]
            )
        rows = self._token_rows(item)
        start, end = self._span(entity)
        base = self.pool.base
        if match is Match.IS:
            return np.asarray(_count_in(rows, base + start, base + end) == end - start)
        if match is Match.CONTAINS:
            return _count_in(rows, base + start, base + end) > 0
        return _contains(rows, base + (start if match is Match.STARTS_WITH else end - 1))

    def _name_span(self, entity: Entity) -> tuple[np.ndarray, np.ndarray]:
        """An entity's span without a possessive ending ("Lynda's" names Lynda): its last token
        dropped where spaCy tags it ``POS`` and the span holds another."""
        start, end = self._span(entity)
        possessive = self.table.string_id("POS")
        if possessive is None:
            return start, end
        tags = self._at(self.table.tag, self.pool.base + end - 1)
        return start, end - ((tags == possessive) & (end - start > 1))

    def _same_text(self, node: SameText) -> np.ndarray:
        column = {Part.WHOLE: "lower", Part.FIRST_WORD: "first", Part.LAST_WORD: "last"}
        texts_a, codes_a = self._text_codes(node.a, column[node.part], name=True)
        texts_b, codes_b = self._text_codes(node.b, column[node.part], name=True)
        pairs, inverse = np.unique(codes_a * len(texts_b) + codes_b, return_inverse=True)
        test = _TEXT_MATCH[node.match]
        per_pair = np.array(
            [test(texts_a[p // len(texts_b)], texts_b[p % len(texts_b)]) for p in pairs.tolist()],
            dtype=bool,
        )
        return per_pair[inverse.ravel()]
