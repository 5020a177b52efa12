"""Hypothesis strategies for logical forms, shared by the tests of everything that reads them.

* :func:`rules` -- any well-typed :class:`~babble.logic.forms.LabelingRule` over some entity
  roles and word lists (every node type, every comparison, free text in phrases);
* :func:`parseable_rules` -- the rules the parser can produce: the canonical subset that the
  paraphraser renders and the parser reads back. It leaves out forms the parser normalises
  into another equal form (``Occurs`` with quantifier "none" is ``Not(Occurs(any))``; a
  ``Count`` of at least one is an ``Occurs``; a double negation cancels; "only" with a
  quantifier other than any / all), two or more words that must each stand at one edge of the
  text (no text has that: the parser gives no such reading), conjunctions that never hold
  (:func:`~babble.logic.forms.never_holds`: nor these), entity-type items of one list
  that share a type (too many readings) and entity types the lexicon has no words for (none
  of the types generated here: :func:`~babble.logic.render.expressible`).

Both take ``roles``: ``("subject", "object")`` for a relation task, ``("target",)`` for aspect
sentiment, ``()`` for text classification (then no node mentions an entity).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from hypothesis import strategies as st

from babble.errors import LogicTypeError
from babble.logic.forms import (
    ANY,
    UNIVERSAL_POS,
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
    Quant,
    Region,
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
    all_items,
    negate,
    never_holds,
)
from babble.logic.render import expressible

T = TypeVar("T")

RELATION = ("subject", "object")
ASPECT = ("target",)
WORD_LISTS = ("causal", "treat", "negation_words")
"""Word-list names the strategies use by default (tests must define them)."""

# words a phrase of a parseable rule is made of: some are grammar words, which quotes protect
PHRASE_WORDS = (
    *("wife", "his", "husband", "married", "Mr.", "co-founder", "isn't", "x", "42", "not"),
    *("between", "and", "before", "person1", "the", "word", "list", "causal", "O'Neil"),
)
_LEMMA_WORDS = ("marry", "divorce", "cause", "induce", "wed", "run")
_ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "DATE", "NORP", "CHEMICAL")


def _try(build: Callable[..., T], *args: Any) -> T | None:
    """``build(*args)``, or ``None`` where the combination is ill-typed."""
    try:
        return build(*args)
    except LogicTypeError:
        return None


def _key(item: object) -> str | None:
    """The lower-case text of a phrase or form (what the parser compares)."""
    text = item.text if isinstance(item, Phrase) else item.word if isinstance(item, Lemma) else None
    return None if text is None else text.lower()


def _valid(strategy: st.SearchStrategy[T | None]) -> st.SearchStrategy[T]:
    return strategy.filter(lambda x: x is not None)  # type: ignore[return-value]


class _Spec:
    """What one family of strategies may generate."""

    def __init__(self, roles: Sequence[str], lists: Sequence[str], parseable: bool) -> None:
        self.roles, self.lists, self.parseable = tuple(roles), tuple(lists), parseable
        self.cmps = st.sampled_from(Cmp)

    # ---------------------------------------------------------------- atoms
    def entity(self) -> st.SearchStrategy[Entity]:
        return st.sampled_from([Entity(r) for r in self.roles])

    def pair(self) -> st.SearchStrategy[tuple[Entity, Entity]]:
        return st.permutations([Entity(r) for r in self.roles]).map(lambda p: (p[0], p[1]))

    def text(self) -> st.SearchStrategy[str]:
        if self.parseable:
            words = st.lists(st.sampled_from(PHRASE_WORDS), min_size=1, max_size=3)
            return words.map(" ".join)
        return st.text(min_size=1, max_size=12).filter(lambda t: bool(t.strip()))

    def distance(self) -> st.SearchStrategy[Distance]:
        n = st.integers(0, 12)
        return _valid(st.builds(lambda *a: _try(Distance, *a), self.cmps, n, st.sampled_from(Unit)))

    def word_distance(self) -> st.SearchStrategy[Distance]:
        return self.distance().filter(lambda d: d.unit is Unit.WORDS)

    def quant(self, n_items: int) -> st.SearchStrategy[Quant]:
        def build(cmp: Cmp, n: int) -> Quant | None:
            if self.parseable and n == 0 and cmp is Cmp.EQ:
                return None  # "none of": the parser writes Not(Occurs(any))
            quant = Quant(cmp, n)
            try:
                quant.check_against("items", n_items)
            except LogicTypeError:
                return None
            return quant

        return _valid(st.builds(build, self.cmps, st.integers(0, n_items + 1)))

    # ---------------------------------------------------------------- word sets
    def words(self, in_entity: bool = False) -> st.SearchStrategy[Words]:
        phrase = self.text().map(Phrase)
        options: list[st.SearchStrategy[Any]] = [
            phrase,
            st.sampled_from(_LEMMA_WORDS if self.parseable else ("marry", "x y")).map(Lemma),
            st.sampled_from(sorted(UNIVERSAL_POS)).map(PartOfSpeech),
            st.lists(st.sampled_from(_ENTITY_LABELS), min_size=1, max_size=3, unique=True).map(
                lambda labels: EntityType(tuple(labels))
            ),
            st.sampled_from(ShapeKind).map(Shape),
            _valid(st.builds(_try, st.just(Digits), self.cmps, st.integers(1, 12))),
            st.builds(
                WordLike,
                st.sampled_from([Match.CONTAINS, Match.STARTS_WITH, Match.ENDS_WITH]),
                phrase | self.word_list() if self.lists else phrase,
            ),
        ]
        if self.lists:
            options.append(self.word_list())
        if not in_entity:
            options.append(st.just(AnyWord()))
        strategy = st.one_of(options)
        return strategy.filter(expressible) if self.parseable else strategy

    def word_list(self) -> st.SearchStrategy[WordList]:
        return st.sampled_from(self.lists).map(WordList)

    def items(self, in_entity: bool = False) -> st.SearchStrategy[tuple[Words, ...]]:
        strategy = st.lists(self.words(in_entity), min_size=1, max_size=3, unique=True).map(tuple)
        return strategy.filter(_types_apart) if self.parseable else strategy

    # ---------------------------------------------------------------- regions
    def region(self) -> st.SearchStrategy[Region]:
        options: list[st.SearchStrategy[Any]] = [st.just(Sentence())]
        options.append(
            st.builds(Edge, st.sampled_from([Side.BEFORE, Side.AFTER]), st.integers(0, 3))
        )
        if self.roles:
            limit = st.none() | self.distance()
            options += [
                _valid(
                    st.builds(
                        lambda *a: _try(Window, *a), self.entity(), st.sampled_from(Side), limit
                    )
                ),
                st.builds(Inside, self.entity()),
            ]
        if len(self.roles) >= 2:
            options.append(self.pair().map(lambda p: Between(*p)))
        return st.one_of(options)

    # ---------------------------------------------------------------- conditions
    def occurs(self) -> st.SearchStrategy[Occurs]:
        @st.composite
        def build(draw: Any) -> Occurs | None:
            items = draw(self.items())
            region = draw(self.region())
            whole = isinstance(region, Between | Inside) and draw(st.booleans())
            if whole and self.parseable:  # "only 'a' and 'b' are between ..."
                quant = (
                    draw(st.sampled_from([ANY, all_items(len(items))])) if len(items) > 1 else ANY
                )
            else:
                quant = draw(self.quant(len(items)))
            if self.parseable and isinstance(region, Edge) and _needs_two(quant):
                return None  # two words at one edge of the text: no reading says that
            return _try(Occurs, items, region, quant, whole)

        return _valid(build())

    def count(self) -> st.SearchStrategy[Count]:
        def build(words: Words, region: Region, cmp: Cmp, n: int) -> Count | None:
            if self.parseable and _is_occurrence_test(cmp, n):
                return None  # the parser writes these as Occurs / Not(Occurs)
            return _try(Count, words, region, cmp, n)

        return _valid(st.builds(build, self.words(), self.region(), self.cmps, st.integers(0, 6)))

    def entity_text(self) -> st.SearchStrategy[EntityText]:
        @st.composite
        def build(draw: Any) -> EntityText | None:
            items = draw(self.items(in_entity=True))
            quant = ANY if self.parseable and draw(st.booleans()) else draw(self.quant(len(items)))
            return _try(EntityText, draw(self.entity()), draw(st.sampled_from(Match)), items, quant)

        return _valid(build())

    def atoms(self) -> st.SearchStrategy[Condition]:
        ordered = self.words().filter(lambda w: not isinstance(w, AnyWord))
        options: list[st.SearchStrategy[Any]] = [
            self.occurs(),
            self.count(),
            # the parser reads no phrase placed against itself ("'x' is before 'x'")
            st.builds(Precedes, ordered, ordered, st.none() | self.word_distance()).filter(
                lambda p: not self.parseable or _key(p.first) != _key(p.second)
            ),
        ]
        if self.roles:
            options += [
                self.entity_text(),
                _valid(
                    st.builds(
                        lambda *a: _try(EntityLength, *a),
                        self.entity(),
                        self.cmps,
                        st.integers(0, 6),
                        st.sampled_from(Unit),
                    )
                ),
            ]
        if len(self.roles) >= 2:
            options += [
                st.builds(
                    lambda p, gap: Order(p[0], p[1], gap), self.pair(), st.none() | self.distance()
                ),
                st.builds(lambda p, gap: Apart(p[0], p[1], gap), self.pair(), self.distance()),
                st.builds(
                    lambda p, m, part: SameText(p[0], p[1], m, part),
                    self.pair(),
                    st.sampled_from(Match),
                    st.sampled_from(Part),
                ),
            ]
        return st.one_of(options)

    def _conjunction(self, parts: tuple[Condition, ...]) -> And | None:
        conjunction = _try(And, parts)
        if self.parseable and conjunction is not None and never_holds(conjunction):
            return None  # the parser gives no reading that says a thing and its opposite
        return conjunction

    def conditions(self, max_leaves: int) -> st.SearchStrategy[Condition]:
        def extend(children: st.SearchStrategy[Condition]) -> st.SearchStrategy[Condition]:
            several = st.lists(children, min_size=2, max_size=3).map(tuple)
            return st.one_of(
                _valid(several.map(self._conjunction)),
                _valid(several.map(lambda parts: _try(Or, parts))),
                children.map(negate if self.parseable else Not),
            )

        return st.recursive(self.atoms(), extend, max_leaves=max_leaves)


def _types_apart(items: tuple[Words, ...]) -> bool:
    """Whether no two entity-type items of a list share a type. "An entity of type person or
    organization or an entity of type person or organization or city" has dozens of readings
    (each "or" may join the list or a type): the one meant may fall past the parser's cap."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, EntityType):
            if seen & set(item.labels):
                return False
            seen |= set(item.labels)
    return True


def _needs_two(quant: Quant) -> bool:
    """Whether a quantifier holds only when two or more of its items occur."""
    return (quant.cmp in (Cmp.GE, Cmp.EQ) and quant.n >= 2) or (
        quant.cmp is Cmp.GT and quant.n >= 1
    )


def _is_occurrence_test(cmp: Cmp, n: int) -> bool:
    """Whether ``count <cmp> n`` only says "some" or "none" (the parser writes an Occurs)."""
    some = (cmp is Cmp.GE and n == 1) or (cmp is Cmp.GT and n == 0)
    none = (n == 0 and cmp in (Cmp.EQ, Cmp.LE)) or (cmp is Cmp.LT and n == 1)
    return some or none


def rules(
    roles: Sequence[str] = RELATION,
    word_lists: Sequence[str] = WORD_LISTS,
    n_labels: int = 2,
    max_leaves: int = 4,
) -> st.SearchStrategy[LabelingRule]:
    """Any well-typed rule over ``roles`` and the named ``word_lists``."""
    spec = _Spec(roles, word_lists, parseable=False)
    return st.builds(LabelingRule, st.integers(0, n_labels - 1), spec.conditions(max_leaves))


def parseable_rules(
    roles: Sequence[str] = RELATION,
    word_lists: Sequence[str] = WORD_LISTS,
    n_labels: int = 2,
    max_leaves: int = 3,
) -> st.SearchStrategy[LabelingRule]:
    """Rules in the canonical forms the parser produces (see the module docstring)."""
    spec = _Spec(roles, word_lists, parseable=True)
    return st.builds(LabelingRule, st.integers(0, n_labels - 1), spec.conditions(max_leaves))
