"""The reference interpreter: a :class:`~babble.logic.forms.LabelingRule` -> a labeling function.

:func:`compile_rule` resolves everything that does not depend on the candidate once -- quoted
phrases and word-list entries are tokenised by a :class:`PhraseAnalyzer` (the spaCy tokenizer of
the pipeline that preprocessed the sentences, so both sides split text alike), lemmas are looked
up, undefined word lists are reported -- and returns a :class:`CompiledRule`. Calling it on a
:class:`CandidateView` (one candidate's tokens and entity spans) walks the logical form with a
small recursive evaluator over a fixed set of primitives: token-column comparisons, span
arithmetic and integer comparisons. Nothing from an explanation reaches ``eval``, ``exec``,
``compile`` or a regular expression.

This module is the *reference*: slow, plain Python, written to be obviously right. Faster
executors are tested against it, so every rule of :mod:`babble.logic.forms` ("Semantics") is
spelled out here exactly once:

* **Matching.** Phrases and word-list entries are tokenised and lower-cased (whitespace tokens
  dropped; an entry with no tokens matches nothing); an occurrence is a run of consecutive
  tokens whose lower-case texts equal the tokens of the phrase. A
  :class:`~babble.logic.forms.Lemma` matches a run whose lemmas (lower-cased; the token's text
  where the pipeline has no lemmatizer) equal the lemmas of the word -- or the word's own
  tokens, so a base form the analyzer mis-lemmatises out of context still matches.
  :class:`~babble.logic.forms.PartOfSpeech`, :class:`~babble.logic.forms.Shape`,
  :class:`~babble.logic.forms.Digits`, :class:`~babble.logic.forms.AnyWord` and
  :class:`~babble.logic.forms.WordLike` match single tokens; an
  :class:`~babble.logic.forms.EntityType` occurrence is a whole named-entity mention (a run that
  opens with an IOB ``B`` and continues with ``I`` of the same type).
* **Shapes** read the lexical flags: capitalised = title case or all caps, all caps =
  ``IS_UPPER``, lower case = ``IS_LOWER``, punctuation = ``IS_PUNCT``, number = ``LIKE_NUM``, URL =
  ``LIKE_URL``, e-mail address = ``LIKE_EMAIL``. :class:`~babble.logic.forms.Digits` reads the
  token's text: digits 0-9 with "," or "." between them, counted.
* **Words.** :class:`~babble.logic.forms.AnyWord` matches a token that is a word: not
  punctuation (``IS_PUNCT``), not whitespace (``IS_SPACE``) and not a clitic
  (:data:`~babble.logic.forms.CLITICS`: the *'s* of *John's*). Word *distances* count every
  token, punctuation included, but a hyphen joining two words (see below).
* **Regions.** An occurrence lies in :class:`~babble.logic.forms.Between` ``(a, b)`` when all its
  tokens lie strictly between the two spans (none when they overlap), in
  :class:`~babble.logic.forms.Inside` when all lie in the entity, anywhere for the
  :class:`~babble.logic.forms.Sentence`, and at an :class:`~babble.logic.forms.Edge` when no
  word (see below) comes before it (the start) or after it (the end) - or exactly ``skip``
  words do (the Nth word). For a
  :class:`~babble.logic.forms.Window` the
  occurrence is one thing: it must lie wholly on the window's side of the anchor, and its
  distance *to the anchor* must satisfy the limit ("'his wife' is immediately before A": the
  phrase ends right before A). Only the region's own entities are excluded from it; another
  entity's tokens are ordinary words.
* **Distance** between an earlier span ``x`` and a later ``y`` (``x`` ends before ``y``
  starts): in words, the tokens strictly between them plus one, a hyphen that joins two words
  (:data:`~babble.logic.forms.JOINING_HYPHENS`, no space on either side) not counted; in characters,
  the characters between the end of ``x``'s last token and the start of ``y``'s first.
  Overlapping spans have no distance: :class:`~babble.logic.forms.Order` and
  :class:`~babble.logic.forms.Apart` are false for them.
* **Counting.** :class:`~babble.logic.forms.Occurs` counts its *items* that have an occurrence
  in the region (with ``whole=True``: an occurrence that is exactly the region; an empty region
  is filled by nothing). :class:`~babble.logic.forms.Count` counts *occurrences* in the region:
  distinct token runs (overlapping runs of a phrase count separately; a word list counts each
  distinct run that equals one of its entries), and entity mentions for an entity type.
* **Entity text.** For :class:`~babble.logic.forms.EntityText` with a string item (phrase, word
  list, lemma), an entity's *text* is its tokens (lemmas for a lemma) lower-cased and joined by
  single spaces, compared with the item's tokens joined the same way: equal, contains (a
  substring test), starts with, ends with. With a token class, ``IS`` means every token of the
  entity is of the class, ``CONTAINS`` some token, ``STARTS_WITH`` / ``ENDS_WITH`` the first /
  last. :class:`~babble.logic.forms.SameText` compares two such texts (or the first / last
  tokens) of the entities' names, a possessive ending left out ("Lynda's" is Lynda);
  :class:`~babble.logic.forms.EntityLength` counts tokens, or characters from the first token's
  start to the last token's end.
* **Missing entities.** A candidate without a span for a role the rule mentions (an
  aspect-sentiment candidate given a relation rule) makes the labeling function abstain: the
  rule says nothing about it.

Examples
--------
>>> import tempfile
>>> from babble.logic.forms import Cmp, Distance, Entity, Occurs, Phrase, Side, Window
>>> from babble.preprocess import preprocess
>>> from babble.types import Candidate, EntitySpan
>>> s = "Ann and her husband Bob left."
>>> c = Candidate("c1", "d1", s, (), (EntitySpan("subject", "PERSON", 0, 3, "Ann"),
...                                   EntitySpan("object", "PERSON", 20, 23, "Bob")))
>>> pre = preprocess([c], pipeline="blank:en", cache_dir=tempfile.mkdtemp(), progress=False)
>>> before_bob = Window(Entity("object"), Side.BEFORE, Distance(Cmp.EQ, 1))
>>> lf = compile_rule(LabelingRule(1, Occurs((Phrase("her husband"),), before_bob)),
...                   analyzer=analyzer_for("blank:en"))
>>> lf(candidate_view(pre, 0)), apply_rules([lf], pre).tolist()
(1, [[1]])
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

import numpy as np
from spacy.language import Language

from babble.errors import UndefinedWordListError
from babble.logic.forms import (
    CLITICS,
    JOINING_HYPHENS,
    And,
    AnyWord,
    Apart,
    Between,
    Condition,
    Count,
    Digits,
    Edge,
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
    Precedes,
    Region,
    SameText,
    Sentence,
    Shape,
    ShapeKind,
    Side,
    Unit,
    WordLike,
    WordList,
    Words,
    roles_used,
    walk,
    word_lists_used,
)
from babble.preprocess import (
    DEFAULT_EXCLUDE,
    DEFAULT_PIPELINE,
    IOB_INSIDE,
    IOB_OUTSIDE,
    NO_SPAN,
    PreprocessedCandidates,
    SentenceView,
    TokenFlag,
    load_pipeline,
)
from babble.types import ABSTAIN

Span = tuple[int, int]
"""Token ``[start, end)`` within a sentence."""

# --------------------------------------------------------------------------- phrase analysis


class PhraseAnalyzer(Protocol):
    """Tokenises and lemmatises the strings of a logical form the way the sentences were."""

    def tokens(self, text: str) -> tuple[str, ...]:
        """The lower-case tokens of ``text``."""
        ...

    def lemmas(self, text: str) -> tuple[str, ...]:
        """The lower-case lemmas of the tokens of ``text`` (a token's text where none)."""
        ...


@dataclass(frozen=True, eq=False)
class SpacyAnalyzer:
    """A :class:`PhraseAnalyzer` backed by a loaded spaCy pipeline (results are memoised).

    Examples
    --------
    >>> analyzer_for("blank:en").tokens("His wife's")
    ('his', 'wife', "'s")
    """

    nlp: Language
    _tokens: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _lemmas: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def tokens(self, text: str) -> tuple[str, ...]:
        """The lower-case tokens of ``text`` (the pipeline's tokenizer only; no whitespace)."""
        if text not in self._tokens:
            doc = self.nlp.tokenizer(text)
            self._tokens[text] = tuple(t.lower_ for t in doc if not t.is_space)
        return self._tokens[text]

    def lemmas(self, text: str) -> tuple[str, ...]:
        """The lower-case lemmas of ``text`` (the whole pipeline; the text where no lemma)."""
        if text not in self._lemmas:
            doc = self.nlp(text)
            self._lemmas[text] = tuple((t.lemma_ or t.text).lower() for t in doc if not t.is_space)
        return self._lemmas[text]


@cache
def analyzer_for(pipeline: str = DEFAULT_PIPELINE) -> SpacyAnalyzer:
    """The analyzer of an installed pipeline (or ``"blank:en"``), loaded once per name, without
    the components preprocessing leaves out (:data:`~babble.preprocess.DEFAULT_EXCLUDE`)."""
    return SpacyAnalyzer(load_pipeline(pipeline, exclude=DEFAULT_EXCLUDE))


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class CandidateView:
    """One candidate as the interpreter sees it: its sentence's tokens and its entity spans.

    ``spans`` maps each role the candidate has to its token ``[start, end)``; roles it lacks
    are absent.
    """

    tokens: SentenceView
    spans: Mapping[str, Span]

    def span(self, role: str) -> Span:
        """The token span of a role (``KeyError`` when the candidate has none)."""
        return self.spans[role]


def candidate_view(pre: PreprocessedCandidates, j: int) -> CandidateView:
    """The view of candidate ``j`` of preprocessed candidates."""
    return _view(pre, j, pre.view(j))


def candidate_views(pre: PreprocessedCandidates) -> Iterator[CandidateView]:
    """The views of all candidates, in order; each distinct sentence is decoded once."""
    sentences: dict[int, SentenceView] = {}
    for j in range(len(pre)):
        i = int(pre.sentence[j])
        if i not in sentences:
            sentences[i] = pre.table.view(i)
        yield _view(pre, j, sentences[i])


def _view(pre: PreprocessedCandidates, j: int, tokens: SentenceView) -> CandidateView:
    spans = {}
    for k, span in enumerate(pre.candidates[j].spans):
        start, end = (int(x) for x in pre.spans[j, k])
        if start != NO_SPAN:
            spans[span.role] = (start, end)
    return CandidateView(tokens, spans)


# --------------------------------------------------------------------------- word sets, resolved


@dataclass(frozen=True)
class Runs:
    """A string word set (phrase, word list, lemma) resolved to token sequences.

    Attributes
    ----------
    column
        ``"lower"`` (token texts) or ``"lemma"`` (lemmas) -- what the sequences are compared with.
    sequences
        Distinct lower-case token sequences; a run of tokens matches when it equals one of them.
    """

    column: str
    sequences: tuple[tuple[str, ...], ...]


def resolve(
    item: Words, word_lists: Mapping[str, Sequence[str]], analyzer: PhraseAnalyzer
) -> Runs | None:
    """The token sequences of a string word set, or ``None`` for a token class.

    Examples
    --------
    >>> resolve(WordList("kin"), {"kin": ("wife", "his wife", "Wife")}, analyzer_for("blank:en"))
    Runs(column='lower', sequences=(('wife',), ('his', 'wife')))
    """
    if isinstance(item, Phrase):
        return Runs("lower", _distinct([analyzer.tokens(item.text)]))
    if isinstance(item, WordList):
        return Runs("lower", _distinct(analyzer.tokens(entry) for entry in word_lists[item.name]))
    if isinstance(item, Lemma):
        return Runs("lemma", _distinct([analyzer.lemmas(item.word), analyzer.tokens(item.word)]))
    return None


def _distinct(
    sequences: Iterator[tuple[str, ...]] | list[tuple[str, ...]],
) -> tuple[tuple[str, ...], ...]:
    return tuple(dict.fromkeys(s for s in sequences if s))


def lemma_key(tokens: SentenceView, i: int) -> str:
    """Token ``i``'s lemma as lemmas are compared: lower-cased, its text where there is none."""
    return (tokens.lemma[i] or tokens.lower[i]).lower()


def _column(tokens: SentenceView, column: str) -> tuple[str, ...]:
    if column == "lemma":
        return tuple(lemma_key(tokens, i) for i in range(len(tokens)))
    return tokens.lower


NOT_A_WORD = TokenFlag.IS_PUNCT | TokenFlag.IS_SPACE
"""A token with any of these flags is no word (:class:`~babble.logic.forms.AnyWord`)."""


def is_word(tokens: SentenceView, i: int) -> bool:
    """Whether token ``i`` is a word: not punctuation, whitespace or a clitic ("'s")."""
    return not tokens.has(i, NOT_A_WORD) and tokens.lower[i] not in CLITICS


SHAPE_FLAGS = {
    ShapeKind.CAPITALIZED: TokenFlag.IS_TITLE | TokenFlag.IS_UPPER,
    ShapeKind.ALL_CAPS: TokenFlag.IS_UPPER,
    ShapeKind.LOWERCASE: TokenFlag.IS_LOWER,
    ShapeKind.PUNCTUATION: TokenFlag.IS_PUNCT,
    ShapeKind.NUMBER: TokenFlag.LIKE_NUM,
    ShapeKind.URL: TokenFlag.LIKE_URL,
    ShapeKind.EMAIL: TokenFlag.LIKE_EMAIL,
}
"""Each shape holds when a token has any of these flags."""


# --------------------------------------------------------------------------- the compiled rule


@dataclass(frozen=True, eq=False)
class CompiledRule:
    """A labeling function: ``rule.label`` where ``rule.condition`` holds, else ``ABSTAIN``.

    Built by :func:`compile_rule`; ``runs`` holds the resolved string word sets, ``wordlike``
    the lower-case patterns of each :class:`~babble.logic.forms.WordLike`.
    """

    rule: LabelingRule
    runs: Mapping[Words, Runs]
    wordlike: Mapping[WordLike, tuple[str, ...]]
    roles: frozenset[str]

    def __call__(self, view: CandidateView) -> int:
        """The rule's vote on one candidate: its label or ``ABSTAIN`` (-1)."""
        if not self.roles <= view.spans.keys():
            return ABSTAIN
        return self.rule.label if self.holds(self.rule.condition, view) else ABSTAIN

    # ---------------------------------------------------------------- conditions
    def holds(self, condition: Condition, v: CandidateView) -> bool:
        """Whether ``condition`` (a node of this rule) holds on a candidate with all its roles."""
        match condition:
            case And(parts):
                return all(self.holds(p, v) for p in parts)
            case Or(parts):
                return any(self.holds(p, v) for p in parts)
            case Not(part):
                return not self.holds(part, v)
            case Occurs(items, where, quant, whole):
                found = sum(1 for item in items if self._occurs_in(item, where, whole, v))
                return quant.cmp.holds(found, quant.n)
            case Count(words, where, cmp, n):
                inside = [s for s in self.occurrences(words, v.tokens) if _lies_in(s, where, v)]
                return cmp.holds(len(inside), n)
            case Order(first, second, gap):
                a, b = v.span(first.role), v.span(second.role)
                if a[1] > b[0]:
                    return False
                return gap is None or gap.cmp.holds(_distance(v.tokens, a, b, gap.unit), gap.n)
            case Precedes(first, second, limit):
                ends = [e for _, e in self.occurrences(first, v.tokens)]
                starts = [s for s, _ in self.occurrences(second, v.tokens)]
                if limit is None:
                    return bool(ends and starts) and min(ends) <= max(starts)
                return any(
                    e <= s and limit.cmp.holds(_words_apart(v.tokens, e, s), limit.n)
                    for e in ends
                    for s in starts
                )
            case Apart(a_, b_, gap):
                a, b = sorted((v.span(a_.role), v.span(b_.role)))
                if a[1] > b[0]:
                    return False
                return gap.cmp.holds(_distance(v.tokens, a, b, gap.unit), gap.n)
            case EntityText(entity, match, items, quant):
                span = v.span(entity.role)
                found = sum(1 for item in items if self._text_matches(span, match, item, v))
                return quant.cmp.holds(found, quant.n)
            case SameText(a_, b_, match, part):
                text = _part_text(v.tokens, _name_span(v.tokens, v.span(a_.role)), part)
                other = _part_text(v.tokens, _name_span(v.tokens, v.span(b_.role)), part)
                return _text_match(text, match, other)
            case EntityLength(entity, cmp, n, unit):
                s, e = v.span(entity.role)
                size = e - s if unit is Unit.WORDS else v.tokens.end[e - 1] - v.tokens.start[s]
                return cmp.holds(size, n)
        raise TypeError(f"not a condition: {condition!r}")  # pragma: no cover - forms checks

    def evidence(self, view: CandidateView) -> tuple[Span, ...]:
        """The token spans that make the rule vote on a candidate, in order: the occurrences of
        its word sets in their regions and the entities it compares; ``()`` when it abstains.

        A negated condition shows nothing (an absence has no position), and of an ``or`` only
        the parts that hold show. Annotation tools use it to highlight why an LF fired.
        """
        if self(view) == ABSTAIN:
            return ()
        return tuple(sorted(set(self._evidence(self.rule.condition, view))))

    def _evidence(self, condition: Condition, v: CandidateView) -> Iterator[Span]:
        match condition:
            case And(parts):
                for part in parts:
                    yield from self._evidence(part, v)
            case Or(parts):
                for part in parts:
                    if self.holds(part, v):
                        yield from self._evidence(part, v)
            case Occurs(items, where, _, whole):
                for item in items:
                    found = self.occurrences(item, v.tokens)
                    if whole:
                        yield from (s for s in found if s == _bounds(where, v))
                    else:
                        yield from (s for s in found if _lies_in(s, where, v))
            case Count(words, where, _, _):
                yield from (s for s in self.occurrences(words, v.tokens) if _lies_in(s, where, v))
            case Order(a, b, _) | Apart(a, b, _) | SameText(a, b, _, _):
                yield from (v.span(a.role), v.span(b.role))
            case EntityText(entity, _, _, _) | EntityLength(entity, _, _, _):
                yield v.span(entity.role)

    def _occurs_in(self, item: Words, where: Region, whole: bool, v: CandidateView) -> bool:
        found = self.occurrences(item, v.tokens)
        if whole:
            bounds = _bounds(where, v)
            return any(s == bounds for s in found)
        return any(_lies_in(s, where, v) for s in found)

    # ---------------------------------------------------------------- word sets
    def occurrences(self, item: Words, tokens: SentenceView) -> list[Span]:
        """Every occurrence of a word set in a sentence, as distinct token spans in order."""
        runs = self.runs.get(item)
        if runs is not None:
            column = _column(tokens, runs.column)
            found = {
                (i, i + len(seq))
                for seq in runs.sequences
                for i in range(len(column) - len(seq) + 1)
                if column[i : i + len(seq)] == seq
            }
            return sorted(found)
        if isinstance(item, EntityType):
            return [m for m in _mentions(tokens) if tokens.ent_type[m[0]] in item.labels]
        return [(i, i + 1) for i in range(len(tokens)) if self.token_is(item, tokens, i)]

    def token_is(self, item: Words, tokens: SentenceView, i: int) -> bool:
        """Whether token ``i`` is of a token class (POS, entity type, shape, any, word-like)."""
        match item:
            case PartOfSpeech(tag):
                return tokens.pos[i] == tag
            case EntityType(labels):
                return tokens.ent_iob[i] != IOB_OUTSIDE and tokens.ent_type[i] in labels
            case Shape(kind):
                return tokens.has(i, SHAPE_FLAGS[kind])
            case Digits():
                return item.holds(tokens.lower[i])
            case AnyWord():
                return is_word(tokens, i)
            case WordLike(match, _):
                return any(_text_match(tokens.lower[i], match, p) for p in self.wordlike[item])
        raise TypeError(f"not a token class: {item!r}")  # pragma: no cover - forms checks

    def _text_matches(self, span: Span, match: Match, item: Words, v: CandidateView) -> bool:
        s, e = span
        runs = self.runs.get(item)
        if runs is not None:
            text = " ".join(_column(v.tokens, runs.column)[s:e])
            return any(_text_match(text, match, " ".join(seq)) for seq in runs.sequences)
        hits = [self.token_is(item, v.tokens, i) for i in range(s, e)]
        if match is Match.IS:
            return all(hits)
        if match is Match.CONTAINS:
            return any(hits)
        return hits[0] if match is Match.STARTS_WITH else hits[-1]


def compile_rule(
    rule: LabelingRule,
    word_lists: Mapping[str, Sequence[str]] | None = None,
    *,
    analyzer: PhraseAnalyzer | None = None,
) -> CompiledRule:
    """Compile a logical form into a labeling function (see the module docstring).

    Parameters
    ----------
    rule
        The logical form.
    word_lists
        The named word lists the rule may use (a task's, or a user's own).
    analyzer
        Tokenises phrases and word-list entries and lemmatises words; it must split text as the
        pipeline that preprocessed the sentences did. Default: :func:`analyzer_for` the default
        pipeline.

    Raises
    ------
    UndefinedWordListError
        The rule names a word list ``word_lists`` does not define.

    Examples
    --------
    >>> from babble.logic.forms import Entity, Occurs, Sentence, WordList
    >>> compile_rule(LabelingRule(0, Occurs((WordList("causal"),), Sentence())), {})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    babble.errors.UndefinedWordListError: [E404] the rule uses the word list 'causal', which is ...
    """
    lists = word_lists or {}
    for name in sorted(word_lists_used(rule)):
        if name not in lists:
            defined = ", ".join(sorted(lists)) or "(none)"
            raise UndefinedWordListError(
                f"the rule uses the word list {name!r}, which is not defined; defined lists: "
                f"{defined}"
            )
    analyzer = analyzer or analyzer_for()
    runs: dict[Words, Runs] = {}
    wordlike: dict[WordLike, tuple[str, ...]] = {}
    for node in walk(rule):
        if isinstance(node, Phrase | WordList | Lemma):
            resolved = resolve(node, lists, analyzer)
            assert resolved is not None  # a string word set always resolves
            runs[node] = resolved
        elif isinstance(node, WordLike):
            wordlike[node] = _patterns(node.pattern, lists)
    return CompiledRule(rule, runs, wordlike, roles_used(rule))


def _patterns(pattern: Phrase | WordList, lists: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """The lower-case strings a :class:`WordLike` compares token texts with (not tokenised)."""
    texts = (pattern.text,) if isinstance(pattern, Phrase) else tuple(lists[pattern.name])
    return tuple(dict.fromkeys(t.strip().lower() for t in texts if t.strip()))


def apply_rules(rules: Sequence[CompiledRule], pre: PreprocessedCandidates) -> np.ndarray:
    """The votes of labeling functions on all candidates: int64 ``(n_candidates, len(rules))``,
    ``ABSTAIN`` (-1) where a function does not vote. A plain loop (the reference).

    Examples
    --------
    >>> import tempfile
    >>> from babble.logic.forms import Entity, Order
    >>> from babble.preprocess import preprocess
    >>> from babble.types import Candidate, EntitySpan
    >>> c = Candidate("c", "d", "Ann met Bob", (), (EntitySpan("subject", "PERSON", 0, 3, "Ann"),
    ...                                             EntitySpan("object", "PERSON", 8, 11, "Bob")))
    >>> pre = preprocess([c], pipeline="blank:en", cache_dir=tempfile.mkdtemp(), progress=False)
    >>> order = LabelingRule(1, Order(Entity("object"), Entity("subject")))
    >>> apply_rules([compile_rule(order, analyzer=analyzer_for("blank:en"))], pre).tolist()
    [[-1]]
    """
    out = np.full((len(pre), len(rules)), ABSTAIN, dtype=np.int64)
    for j, view in enumerate(candidate_views(pre)):
        for k, rule in enumerate(rules):
            out[j, k] = rule(view)
    return out


# --------------------------------------------------------------------------- primitives


def _mentions(tokens: SentenceView) -> list[Span]:
    """Named-entity mentions: a token in an entity that does not continue one (IOB ``B``, or a
    stray ``I``) and the ``I`` tokens of the same type after it."""
    found: list[Span] = []
    i = 0
    while i < len(tokens):
        if tokens.ent_iob[i] == IOB_OUTSIDE:
            i += 1
            continue
        j = i + 1
        while (
            j < len(tokens)
            and tokens.ent_iob[j] == IOB_INSIDE
            and tokens.ent_type[j] == tokens.ent_type[i]
        ):
            j += 1
        found.append((i, j))
        i = j
    return found


def _distance(tokens: SentenceView, first: Span, second: Span, unit: Unit) -> int:
    """The distance from ``first`` to ``second``, which starts where or after ``first`` ends."""
    if unit is Unit.WORDS:
        return _words_apart(tokens, first[1], second[0])
    return tokens.start[second[0]] - tokens.end[first[1] - 1]


def _words_apart(tokens: SentenceView, end: int, start: int) -> int:
    """How many words apart something ending at token ``end`` and something starting at token
    ``start`` are: one more than the tokens between them, hyphens that join two words apart."""
    return 1 + sum(not _joins_words(tokens, i) for i in range(end, start))


def _joins_words(tokens: SentenceView, i: int) -> bool:
    """Whether token ``i`` is a hyphen written between two words with no space ("X-induced")."""
    return (
        tokens.text[i] in JOINING_HYPHENS
        and 0 < i < len(tokens) - 1
        and tokens.end[i - 1] == tokens.start[i]
        and tokens.end[i] == tokens.start[i + 1]
    )


def _between(v: CandidateView, region: Between) -> Span:
    x, y = sorted((v.span(region.a.role), v.span(region.b.role)))
    return (x[1], y[0]) if x[1] <= y[0] else (x[1], x[1])


def _bounds(region: Region, v: CandidateView) -> Span:
    """The token range of a bounded region (what ``whole=True`` must fill)."""
    if isinstance(region, Between):
        return _between(v, region)
    if isinstance(region, Inside):
        return v.span(region.entity.role)
    raise TypeError(f"{type(region).__name__} is not a bounded region")  # forms forbid it


def _lies_in(span: Span, region: Region, v: CandidateView) -> bool:
    """Whether an occurrence lies in a region (see the module docstring)."""
    if isinstance(region, Sentence):
        return True
    if isinstance(region, Between | Inside):
        lo, hi = _bounds(region, v)
        return lo <= span[0] and span[1] <= hi
    if isinstance(region, Edge):
        outside = range(span[0]) if region.side is Side.BEFORE else range(span[1], len(v.tokens))
        return sum(is_word(v.tokens, i) for i in outside) == region.skip
    anchor = v.span(region.anchor.role)
    sides = (Side.BEFORE, Side.AFTER) if region.side is Side.EITHER else (region.side,)
    for side in sides:
        first, second = (span, anchor) if side is Side.BEFORE else (anchor, span)
        if first[1] > second[0]:
            continue
        limit = region.limit
        if limit is None or limit.cmp.holds(
            _distance(v.tokens, first, second, limit.unit), limit.n
        ):
            return True
    return False


def _text_match(text: str, match: Match, pattern: str) -> bool:
    if match is Match.IS:
        return text == pattern
    if match is Match.CONTAINS:
        return pattern in text
    if match is Match.STARTS_WITH:
        return text.startswith(pattern)
    return text.endswith(pattern)


def _name_span(tokens: SentenceView, span: Span) -> Span:
    """An entity's span without a possessive ending ("Lynda's" names Lynda): its last token
    dropped where spaCy tags it ``POS`` and the span holds another."""
    s, e = span
    return (s, e - 1) if e - s > 1 and tokens.tag[e - 1] == "POS" else span


def _part_text(tokens: SentenceView, span: Span, part: Part) -> str:
    s, e = span
    if part is Part.FIRST_WORD:
        return tokens.lower[s]
    if part is Part.LAST_WORD:
        return tokens.lower[e - 1]
    return " ".join(tokens.lower[s:e])
