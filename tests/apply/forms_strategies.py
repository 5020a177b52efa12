"""Hypothesis strategies for logical forms over the vocabulary of a real pool.

Word sets are drawn from what the pool's sentences contain (their words, bigrams, lemmas, tags,
entity labels, and substrings of words) so that generated forms fire on some candidates and
the executors are compared on votes, not only on abstentions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from hypothesis import assume
from hypothesis import strategies as st

from babble.errors import LogicTypeError
from babble.logic import forms as f
from babble.preprocess import PreprocessedCandidates

WORD_LIST = "listed"
"""The name of the one word list the strategies use (see :meth:`Vocabulary.word_lists`)."""


@dataclass(frozen=True)
class Vocabulary:
    """What generated forms may mention: drawn from a pool's sentences."""

    words: tuple[str, ...]
    bigrams: tuple[str, ...]
    lemmas: tuple[str, ...]
    tags: tuple[str, ...]
    entity_labels: tuple[str, ...]
    roles: tuple[str, ...]

    @classmethod
    def of(cls, prepared: PreprocessedCandidates, limit: int = 60, size: int = 120) -> Vocabulary:
        """The vocabulary of (up to ``limit`` sentences of) a pool, ``size`` strings a kind."""
        words: dict[str, None] = {}
        bigrams: dict[str, None] = {}
        lemmas: dict[str, None] = {}
        tags: dict[str, None] = {}
        labels: dict[str, None] = {}
        for i in range(min(prepared.table.n_sentences, limit)):
            view = prepared.table.view(i)
            text = [t for t in view.text if t.strip()]
            words.update(dict.fromkeys(t for t in text))
            bigrams.update(dict.fromkeys(f"{a} {b}" for a, b in itertools.pairwise(text)))
            lemmas.update(dict.fromkeys(x for x in view.lemma if x.strip()))
            tags.update(dict.fromkeys(x for x in view.pos if x in f.UNIVERSAL_POS))
            labels.update(dict.fromkeys(x for x in view.ent_type if x))
        roles = tuple(dict.fromkeys(r for c in prepared.candidates for r in c.roles))
        return cls(
            tuple(words)[:size],
            tuple(bigrams)[:size],
            tuple(lemmas)[:size],
            tuple(tags) or ("NOUN",),
            tuple(labels) or ("PERSON",),
            roles,
        )

    def word_lists(self) -> dict[str, tuple[str, ...]]:
        """The word list :data:`WORD_LIST`: a few words and one bigram of the pool."""
        return {WORD_LIST: (*self.words[:40:7], *self.bigrams[:1], "absent-word")}


def _build(draw: st.DrawFn, make: object, *args: object) -> object:
    """Construct a node, rejecting the example when the constructor finds it ill-typed."""
    try:
        return make(*args)  # type: ignore[operator]
    except LogicTypeError:
        assume(False)
        raise  # unreachable: assume(False) raises


def _phrase(vocab: Vocabulary) -> st.SearchStrategy[f.Phrase]:
    texts = st.sampled_from(vocab.words) | st.sampled_from(vocab.bigrams or vocab.words)
    return texts.map(lambda t: f.Phrase(t.upper() if len(t) % 5 == 0 else t))


def words(vocab: Vocabulary) -> st.SearchStrategy[f.Words]:
    """Any word set, mostly from the pool's vocabulary."""
    substring = st.sampled_from(vocab.words).map(lambda w: w[: max(1, len(w) // 2)])
    return st.one_of(
        _phrase(vocab),
        _phrase(vocab),
        st.just(f.WordList(WORD_LIST)),
        st.sampled_from(vocab.lemmas or vocab.words).map(f.Lemma),
        st.sampled_from(vocab.tags).map(f.PartOfSpeech),
        st.lists(st.sampled_from(vocab.entity_labels), min_size=1, max_size=2, unique=True).map(
            lambda labels: f.EntityType(tuple(labels))
        ),
        st.sampled_from(f.ShapeKind).map(f.Shape),
        st.builds(f.Digits, st.sampled_from([f.Cmp.EQ, f.Cmp.GE, f.Cmp.LE]), st.integers(1, 5)),
        st.just(f.AnyWord()),
        st.builds(
            f.WordLike,
            st.sampled_from([f.Match.CONTAINS, f.Match.STARTS_WITH, f.Match.ENDS_WITH]),
            substring.map(f.Phrase) | st.just(f.WordList(WORD_LIST)),
        ),
    )


def _entity(vocab: Vocabulary) -> st.SearchStrategy[f.Entity]:
    return st.sampled_from(vocab.roles).map(f.Entity)


@st.composite
def _pair(draw: st.DrawFn, vocab: Vocabulary) -> tuple[f.Entity, f.Entity]:
    assume(len(vocab.roles) >= 2)
    a, b = draw(st.permutations(vocab.roles))[:2]
    return f.Entity(a), f.Entity(b)


@st.composite
def distance(draw: st.DrawFn) -> f.Distance:
    """A word or character distance bound."""
    unit = draw(st.sampled_from(f.Unit))
    n = draw(st.integers(0, 6) if unit is f.Unit.WORDS else st.integers(0, 40))
    return _build(draw, f.Distance, draw(st.sampled_from(f.Cmp)), n, unit)  # type: ignore[return-value]


@st.composite
def region(draw: st.DrawFn, vocab: Vocabulary) -> f.Region:
    """A region over the pool's entity roles."""
    options: list[st.SearchStrategy[f.Region]] = [st.just(f.Sentence())]
    options.append(
        st.builds(f.Edge, st.sampled_from([f.Side.BEFORE, f.Side.AFTER]), st.integers(0, 4))
    )
    if vocab.roles:
        options.append(_entity(vocab).map(f.Inside))
        options.append(
            st.builds(
                f.Window,
                _entity(vocab),
                st.sampled_from([f.Side.BEFORE, f.Side.AFTER]),
                st.none() | distance(),
            )
        )
        options.append(st.builds(f.Window, _entity(vocab), st.just(f.Side.EITHER), distance()))
    if len(vocab.roles) >= 2:
        options.append(_pair(vocab).map(lambda p: f.Between(*p)))
    return draw(st.one_of(options))


@st.composite
def quant(draw: st.DrawFn, size: int) -> f.Quant:
    """A quantifier over ``size`` items that is neither always nor never true."""
    q = f.Quant(draw(st.sampled_from(f.Cmp)), draw(st.integers(0, size)))
    try:
        q.check_against(q, size)
    except LogicTypeError:
        assume(False)
    return q


@st.composite
def atom(draw: st.DrawFn, vocab: Vocabulary) -> f.Condition:
    """A condition without And / Or / Not."""
    kinds = ["occurs", "occurs", "count", "precedes"]
    if vocab.roles:
        kinds += ["text", "length"]
    if len(vocab.roles) >= 2:
        kinds += ["order", "apart", "same"]
    kind = draw(st.sampled_from(kinds))
    if kind == "occurs":
        items = tuple(draw(st.lists(words(vocab), min_size=1, max_size=3, unique=True)))
        where = draw(region(vocab))
        whole = isinstance(where, f.Between | f.Inside) and draw(st.booleans())
        return _build(draw, f.Occurs, items, where, draw(quant(len(items))), whole)  # type: ignore[return-value]
    if kind == "precedes":
        ordered = words(vocab).filter(lambda w: not isinstance(w, f.AnyWord))
        limit = draw(st.none() | distance().filter(lambda d: d.unit is f.Unit.WORDS))
        return f.Precedes(draw(ordered), draw(ordered), limit)
    if kind == "count":
        cmp, n = draw(st.sampled_from(f.Cmp)), draw(st.integers(0, 4))
        return _build(draw, f.Count, draw(words(vocab)), draw(region(vocab)), cmp, n)  # type: ignore[return-value]
    if kind == "text":
        items = tuple(
            draw(
                st.lists(
                    words(vocab).filter(lambda w: not isinstance(w, f.AnyWord)),
                    min_size=1,
                    max_size=2,
                    unique=True,
                )
            )
        )
        return _build(
            draw,
            f.EntityText,
            draw(_entity(vocab)),
            draw(st.sampled_from(f.Match)),  # type: ignore[return-value]
            items,
            draw(quant(len(items))),
        )
    if kind == "length":
        unit = draw(st.sampled_from(f.Unit))
        n = draw(st.integers(1, 4) if unit is f.Unit.WORDS else st.integers(1, 20))
        return _build(
            draw,
            f.EntityLength,
            draw(_entity(vocab)),
            draw(st.sampled_from(f.Cmp)),  # type: ignore[return-value]
            n,
            unit,
        )
    a, b = draw(_pair(vocab))
    if kind == "order":
        return f.Order(a, b, draw(st.none() | distance()))
    if kind == "apart":
        return f.Apart(a, b, draw(distance()))
    return f.SameText(a, b, draw(st.sampled_from(f.Match)), draw(st.sampled_from(f.Part)))


def condition(vocab: Vocabulary) -> st.SearchStrategy[f.Condition]:
    """Any condition: atoms joined by And / Or / Not, a few levels deep."""

    def extend(inner: st.SearchStrategy[f.Condition]) -> st.SearchStrategy[f.Condition]:
        parts = st.lists(inner, min_size=2, max_size=3, unique=True)
        return st.one_of(
            inner.map(f.Not),
            parts.filter(lambda p: len(set(p)) >= 2).map(lambda p: f.conjoin(tuple(p))),
            parts.filter(lambda p: len(set(p)) >= 2).map(lambda p: f.disjoin(tuple(p))),
        )

    return st.recursive(atom(vocab), extend, max_leaves=4)


def rule(vocab: Vocabulary, n_labels: int = 3) -> st.SearchStrategy[f.LabelingRule]:
    """A labeling rule voting one of ``n_labels`` labels."""
    return st.builds(f.LabelingRule, st.integers(0, n_labels - 1), condition(vocab))
