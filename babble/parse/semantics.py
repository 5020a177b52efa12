"""Grammar rules -> logical forms: one method per ``-> alias`` of ``grammar/*.lark``.

Each method receives the children of its rule (lark tokens and the values its sub-rules built)
and returns one value, several readings (:class:`Readings`), or raises :class:`Reject` (or
:class:`~babble.errors.LogicTypeError`) when the combination is meaningless -- that is how
ill-typed readings are dropped while parsing. :func:`evaluate` runs the methods over lark's
ambiguous parse forest bottom-up, sharing work between readings, and returns every distinct
:class:`~babble.logic.forms.LabelingRule`.

Intermediate values (entities in a list, a word list with its quantifier, a location) are small
frozen dataclasses of this module; only the root's value is a logical form.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, TypeAlias, TypeGuard

from lark import Token

from babble.errors import LogicTypeError
from babble.logic.forms import (
    ANY,
    CONDITION_TYPES,
    POS_OF_SHAPE,
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
    conjoin,
    disjoin,
    negate,
    never_holds,
    walk,
)
from babble.parse._clock import parse_time
from babble.parse.earley import Chart, Derivations

# --------------------------------------------------------------------------- values


class Reject(Exception):
    """This combination of children has no reading."""


@dataclass(frozen=True)
class Readings:
    """Several readings of one rule (e.g. "4 words before": exactly 4, or at most 4)."""

    values: tuple[Any, ...]


@dataclass(frozen=True)
class Ents:
    """Entities named together: "person1 and person2" (``conj="and"``) or "... or ..."."""

    entities: tuple[Entity, ...]
    conj: str


@dataclass(frozen=True)
class Items:
    """Word items joined by commas, "and" or "or" (``conj`` is ``"and"``, ``"or"`` or ``""``)."""

    items: tuple[Words, ...]
    conj: str
    lexical: bool = False  # a quoted word named as a word: "the word 'level'"


@dataclass(frozen=True)
class WordsNP:
    """A noun phrase of words: items and how many must occur ("any", "all", "none" or a Quant)."""

    items: tuple[Words, ...]
    quant: str | Quant
    only: bool = False


@dataclass(frozen=True)
class Place:
    """One location: regions joined by ``conj``; ``exact`` adds readings where the words fill
    the region ("directly between"); ``negated``: the place is denied ("..., but not after A")."""

    regions: tuple[Region, ...]
    conj: str = "and"
    exact: bool = False
    negated: bool = False


@dataclass(frozen=True)
class Locs:
    """Locations that must all (``"and"``) or some (``"or"``) hold."""

    places: tuple[Place, ...]
    conj: str = "and"


@dataclass(frozen=True)
class CountNP:
    """ "no more than four words", "only one word 'x'": a comparison, a number and a word set."""

    cmp: Cmp
    n: int
    word: Words
    only: bool


@dataclass(frozen=True)
class PartRef:
    """ "the last word of person1"."""

    entity: Entity
    part: Part


@dataclass(frozen=True)
class Cop:
    """A copula or occurrence verb ("is", "occurs", "is found"): no meaning of its own."""


Predicate: TypeAlias = Callable[[Entity], list[Condition]]
"""What an entity-subject verb phrase says about its subject."""


def _tok(children: Sequence[Any], kind: str) -> Token | None:
    return next((c for c in children if isinstance(c, Token) and c.type == kind), None)


def _has(children: Sequence[Any], kind: str) -> bool:
    return _tok(children, kind) is not None


def _one(children: Sequence[Any], cls: type) -> Any:
    found = [c for c in children if isinstance(c, cls)]
    if len(found) != 1:
        raise Reject(f"expected one {cls.__name__}, got {len(found)}")
    return found[0]


def _opt(children: Sequence[Any], cls: type) -> Any:
    found = [c for c in children if isinstance(c, cls)]
    return found[0] if found else None


_CMPS = {c.value: c for c in Cmp}
_OPPOSITE = {Side.BEFORE: Side.AFTER, Side.AFTER: Side.BEFORE}
_ADJACENT = Distance(Cmp.EQ, 1)

NEAR_WINDOWS = (3, 5)
""""near A" / "close to A" without a number: within 3 words of A (the default, first reading)
or within 5 words (a looser second reading); the filter bank keeps the one that fits."""

_VAGUE_DISTANCES = {"near": Cmp.LE, "far": Cmp.GT}
"""A NEAR word's value -> how a distance without a number compares with each of
:data:`NEAR_WINDOWS`: "near A" is within them, "far from A" beyond them."""


def _vague_distances(kind: str) -> tuple[Distance, ...]:
    """The readings of "near" or "far" without a number, one per :data:`NEAR_WINDOWS` entry."""
    return tuple(Distance(_VAGUE_DISTANCES[kind], n) for n in NEAR_WINDOWS)


_OPENING = frozenset({"(", "[", "{", "\u201c", "\u2018", "\u00ab", "``"})
_CLOSING = frozenset({")", "]", "}", "\u201d", "\u2019", "\u00bb", "''"})


def _quant(words: WordsNP) -> Quant:
    if isinstance(words.quant, Quant):
        return words.quant
    if words.quant == "all" and len(words.items) > 1:
        return all_items(len(words.items))
    return ANY


def _apply_not(condition: Condition, negated: bool) -> Condition:
    return negate(condition) if negated else condition


# --------------------------------------------------------------------------- builders


def _combine(parts: Sequence[list[Condition]], conj: str) -> list[Condition]:
    """All ways of joining one reading of each part with ``conj``."""
    join = conjoin if conj != "or" else disjoin
    return [join(tuple(combo)) for combo in itertools.product(*parts)]


def occurs(words: WordsNP, locs: Locs | None, negated: bool = False) -> list[Condition]:
    """Readings of "<words> occur <locs>" (negated: "do not occur")."""
    locs = locs or Locs((Place((Sentence(),)),))
    none = words.quant == "none"
    quant = ANY if (negated or none) and not isinstance(words.quant, Quant) else _quant(words)
    per_place = []
    for place in locs.places:
        per_region: list[list[Condition]] = []
        for region in place.regions:
            if _crowd_an_edge(words.items, region, quant):
                raise Reject("two words at one edge of the text")
            wholes = (True,) if words.only else ((False, True) if place.exact else (False,))
            readings: list[Condition] = []
            for whole in wholes:
                try:
                    readings.append(Occurs(words.items, region, quant, whole))
                except LogicTypeError:
                    continue
            if not readings:
                raise Reject("no occurrence reading")
            per_region.append(readings)
        per_place.append(_at_place(per_region, place))
    return [_apply_not(c, negated != none) for c in _combine(per_place, locs.conj)]


def _crowd_an_edge(items: Sequence[object], region: Region, quant: Quant) -> bool:
    """Whether two or more words must each stand at one edge of the text ("it starts with
    'who' and 'invented'"), none of them the start (end) of another: no text has that."""
    texts = [_text_of(i) for i in items]
    if not isinstance(region, Edge) or None in texts:
        return False
    least = quant.n + 1 if quant.cmp is Cmp.GT else quant.n
    if quant.cmp not in (Cmp.GE, Cmp.GT, Cmp.EQ) or least < 2:
        return False
    words = [t.lower().split()[:: -1 if region.side is Side.AFTER else 1] for t in texts if t]
    return not any(
        a[: len(b)] == b or b[: len(a)] == a for a, b in itertools.combinations(words, 2)
    )


def _text_of(item: object) -> str | None:
    """The words a phrase or a form of a word names (None for other items)."""
    if isinstance(item, Phrase):
        return item.text
    return item.word if isinstance(item, Lemma) else None


def _at_place(per_region: Sequence[list[Condition]], place: Place) -> list[Condition]:
    """The readings of one place from those of its regions."""
    return [_apply_not(c, place.negated) for c in _combine(per_region, place.conj)]


def count(word: CountNP, locs: Locs | None) -> list[Condition]:
    """Readings of "there are <cmp> <n> <words> <locs>", in canonical form."""
    locs = locs or Locs((Place((Sentence(),)),))
    per_place = []
    for place in locs.places:
        per_region = [_count_region(word, region, place.exact) for region in place.regions]
        per_place.append(_at_place(per_region, place))
    return _combine(per_place, locs.conj)


def _count_region(word: CountNP, region: Region, exact: bool) -> list[Condition]:
    readings: list[Condition] = []
    one = Occurs((word.word,), region)
    if (word.cmp is Cmp.GE and word.n == 1) or (word.cmp is Cmp.GT and word.n == 0):
        readings.append(one)
    elif (word.n == 0 and word.cmp in (Cmp.EQ, Cmp.LE)) or (word.cmp is Cmp.LT and word.n == 1):
        readings.append(Not(one))
    else:
        readings.append(Count(word.word, region, word.cmp, word.n))
    if (
        (word.only or exact)
        and word.n == 1
        and word.cmp is Cmp.EQ
        and isinstance(word.word, Phrase)
    ):
        with contextlib.suppress(LogicTypeError):  # "only one word 'x'": all there is
            readings.append(Occurs((word.word,), region, whole=True))
    return readings


def locate(subject: Entity, locs: Locs) -> list[Condition]:
    """An entity located relative to others: "the chemical comes before the disease"."""
    per_place = []
    for place in locs.places:
        per_region = [[_entity_at(subject, region)] for region in place.regions]
        per_place.append(_at_place(per_region, place))
    return _combine(per_place, locs.conj)


def _entity_at(subject: Entity, region: Region) -> Condition:
    if not isinstance(region, Window):
        raise Reject("an entity is placed by a side or a distance")
    if region.side is Side.BEFORE:
        return Order(subject, region.anchor, region.limit)
    if region.side is Side.AFTER:
        return Order(region.anchor, subject, region.limit)
    assert region.limit is not None  # a window on either side always has a limit
    return Apart(subject, region.anchor, region.limit)


def _limit(children: Sequence[Any]) -> Distance | None:
    dists = [c for c in children if isinstance(c, Distance)]
    if len(dists) > 1 or (dists and _has(children, "IMMED")):
        raise Reject("two distances for one position")
    if dists:
        return dists[0]
    return _ADJACENT if _has(children, "IMMED") else None


def _class(value: str) -> Words:
    kind, _, arg = value.partition(":")
    if kind == "ent":
        return EntityType(tuple(arg.split(",")))
    if kind == "pos":
        return PartOfSpeech(arg)
    if kind == "digits":  # "a phone number": a long run of digits, not any number
        return Digits(Cmp.GE, int(arg))
    return Shape(ShapeKind(arg))


# predicates of an entity subject (bound with functools.partial)


def _pred_words_at(
    words: WordsNP, side: Side, limit: Distance | None, e: Entity
) -> list[Condition]:
    return occurs(words, Locs((Place((Window(e, side, limit),)),)))


def _pred_order(other: Entity, side: Side, limit: Distance | None, e: Entity) -> list[Condition]:
    # "e is <side> other"
    return [Order(e, other, limit) if side is Side.BEFORE else Order(other, e, limit)]


def _pred_locate(locs: Locs, e: Entity) -> list[Condition]:
    return locate(e, locs)


def _pred_text(match: Match, words: WordsNP, e: Entity) -> list[Condition]:
    if words.only:
        raise Reject("'only' has no reading for an entity's text")
    none = words.quant == "none"
    quant = ANY if none else _quant(words)
    return [_apply_not(EntityText(e, match, words.items, quant), none)]


def _pred_same(other: Entity, match: Match, e: Entity) -> list[Condition]:
    return [SameText(e, other, match, Part.WHOLE)]


def _pred_part_of(part: Part, other: Entity, e: Entity) -> list[Condition]:
    return [And((EntityLength(e, Cmp.EQ, 1), SameText(e, other, Match.IS, part)))]


def _pred_length(dist: Distance, e: Entity) -> list[Condition]:
    return [EntityLength(e, dist.cmp, dist.n, dist.unit)]


def _pred_apart(dist: Distance, other: Entity, e: Entity) -> list[Condition]:
    return [Apart(e, other, dist)]


def _next_to(region: Region) -> Region:
    """The word after X: the window right next to X."""
    if isinstance(region, Window) and region.limit is None and region.side is not Side.EITHER:
        return Window(region.anchor, region.side, _ADJACENT)
    return region


def _pred_chain(
    words: WordsNP,
    first: tuple[Side, Distance | None],
    second: tuple[Side, Distance | None],
    other: Entity,
    e: Entity,
) -> list[Condition]:
    # "e is (immediately) followed by W which is followed by other"
    near_e = occurs(words, Locs((Place((Window(e, *first),)),)))
    near_other = occurs(words, Locs((Place((Window(other, _OPPOSITE[second[0]], second[1]),)),)))
    return _combine([near_e, near_other], "and")


def _pred_ordinal(
    pair: tuple[Entity, ...], side: Side, limit: Distance | None, e: Entity
) -> list[Condition]:
    others = [o for o in pair if o != e]
    if len(others) != 1:
        raise Reject("'first' of a pair")
    return _pred_order(others[0], side, limit, e)


_ORDINAL_SIDES = {
    "1": Side.BEFORE,
    "before": Side.BEFORE,
    "2": Side.AFTER,
    "last": Side.AFTER,
    "after": Side.AFTER,
}
"""What "X comes first" (an ORDINAL's value) says of X's side of the other entity."""

_EDGES = {
    Part.FIRST_WORD.value: Side.BEFORE,
    Part.LAST_WORD.value: Side.AFTER,
    Match.STARTS_WITH.value: Side.BEFORE,
    Match.ENDS_WITH.value: Side.AFTER,
}
"""The side of X with no words in "X is the first (last) word of the sentence" (a PART's value)
and "X starts (ends) the sentence" (a TEXTVERB's)."""


def _nth(ch: Sequence[Any]) -> tuple[Side, Distance]:
    """ "the third word after": the side and the exact distance (an ORDINAL with a number)."""
    value = _tok(ch, "ORDINAL").value  # type: ignore[union-attr]
    if not value.isdigit():
        raise Reject("'the Nth word' needs a number")
    return Side(_tok(ch, "SIDE").value), Distance(Cmp.EQ, int(value))  # type: ignore[union-attr]


def _edge_side(ch: Sequence[Any]) -> Side:
    """The side of X with no words: before X at the start of the sentence, after X at its end."""
    edge = _tok(ch, "EDGE")
    if edge is not None:
        return Side(edge.value)
    token = _tok(ch, "PART") or _tok(ch, "TEXTVERB") or _tok(ch, "CHARPART")
    if token is None or token.value not in _EDGES:
        raise Reject("the start or the end of the sentence")
    return _EDGES[token.value]


_FIRST_OR_LAST = {"1": Side.BEFORE, "last": Side.AFTER}
"""The ORDINAL of "the first (last) N words" -> the edge they are counted from."""

LONG_NUMBER = 5
"""A "long number" has at least this many digits (a year has four)."""

_ORDERED = (Phrase, Lemma, WordList, PartOfSpeech, EntityType, Shape, Digits, WordLike)
"""Word sets that may stand in an order of words ("'call' is followed by a number")."""


def _ordered_pair(a: WordsNP, b: WordsNP) -> bool:
    """Whether two word phrases are one word set each that may stand in an order of words."""
    return _one_item(a, _ORDERED) and _one_item(b, _ORDERED)


def _names_a_number(ch: Sequence[Any]) -> bool:
    """Whether the clause's word class is "a number" (not "a person", "a verb" ...), or a word
    of so many digits ("a token of 11 digits")."""
    token = _tok(ch, "CLASS")
    if token is None:
        return _has(ch, "WORD")
    value: str = token.value
    return value == f"shape:{ShapeKind.NUMBER.value}" or value.startswith("digits:")


def _word_alternatives(words: WordsNP) -> bool:
    """Whether ``words`` are two or more words or phrases, any one of which will do ("'a' or
    'b'", "{a, b, c}"), not marks such as quotes."""
    phrases = [w for w in words.items if isinstance(w, Phrase) and any(c.isalnum() for c in w.text)]
    return words.quant == "any" and len(words.items) > 1 and len(phrases) == len(words.items)


def _says_other_than_contains(ch: Sequence[Any]) -> bool:
    """Whether the clause's text verb, if any, is not "contains" ("starts with", "is" ...)."""
    verb = _tok(ch, "TEXTVERB")
    return verb is not None and verb.value != Match.CONTAINS.value


def _one_item(words: WordsNP, kinds: tuple[type, ...] = (Phrase, Lemma, WordList)) -> bool:
    """Whether ``words`` is one item of ``kinds``, unquantified."""
    return (
        len(words.items) == 1
        and isinstance(words.items[0], kinds)
        and not words.only
        and words.quant in ("any", "all")
    )


def _in_text_order(ch: Sequence[Any], passive: bool) -> tuple[WordsNP, WordsNP]:
    """The two word phrases of "'x' precedes 'y'", "'y' is followed by 'x'", "'x' comes
    before 'y'" ..., the earlier first."""
    first, second = [c for c in ch if isinstance(c, WordsNP)]
    side = Side((_tok(ch, "POSVERB") or _tok(ch, "SIDE")).value)  # type: ignore[union-attr]
    if passive:  # "'x' is followed by 'y'": 'y' after 'x'
        side = _OPPOSITE[side]
    if side is Side.EITHER:
        raise Reject("an order of two words")
    if _same_item(first, second):  # "'hours' ... within 5 words of it" = 'hours'
        raise Reject("a phrase placed against itself")
    return (second, first) if side is Side.AFTER else (first, second)


MAX_JOINED = 16
"""At most this many phrases from joining two word lists side by side."""

MAX_EDGE_WORDS = 40
"""At most this many words in "one of the first (last) N words" (a reading has a form per place)."""
MAX_COUNTED_CONDITIONS = 6
"""At most this many conditions in "at least N of these hold: ..." (a reading has a conjunction
per choice of N)."""


def _between_the_pair(ch: list[Any], exact: bool) -> Readings:
    """The words of ``ch`` between its pair of entities; ``exact``: nothing else is there. "Only"
    or "just" makes the words the only ones ("separated only by", "... by just 'and'")."""
    a, b = _pair(_one(ch, Ents))
    words = _one(ch, WordsNP)
    if _has(ch, "ONLY") or _has(ch, "IMMED"):
        words = WordsNP(words.items, words.quant, only=True)
    locs = Locs((Place((Between(a, b),), exact=exact),))
    return Readings(tuple(occurs(words, locs, _has(ch, "NOT"))))


def _side_by_side(earlier: WordsNP, later: WordsNP, negated: bool) -> Readings:
    """``earlier`` right before ``later`` as one phrase, or one of several: "'how' is followed by
    'many' or 'much'" is "how many" or "how much" anywhere in the sentence."""
    sides = [_alternatives(w) for w in (earlier, later)]
    if _ordered_pair(earlier, later) and not (_one_item(earlier) and _one_item(later)):
        # a class of words has no text to join: "'call' is immediately followed by a number"
        adjacent = Precedes(earlier.items[0], later.items[0], _ADJACENT)
        return Readings((_apply_not(adjacent, negated),))
    if any(not s for s in sides) or len(sides[0]) * len(sides[1]) > MAX_JOINED:
        raise Reject("phrases side by side")
    joined = tuple(Phrase(f"{a} {b}") for a in sides[0] for b in sides[1])
    return Readings(tuple(occurs(WordsNP(joined, "any"), None, negated)))


def _alternatives(words: WordsNP) -> tuple[str, ...]:
    """The texts of a phrase or of a list of which one is meant ("'many' or 'much'", "one of
    'a', 'b'"); nothing for anything else (forms, word lists, counts, "all")."""
    if words.only or not all(isinstance(i, Phrase) for i in words.items):
        return ()
    one = words.quant == "any" or (
        isinstance(words.quant, Quant)
        and words.quant.n == 1
        and words.quant.cmp in (Cmp.GE, Cmp.EQ)
    )
    if not (one or (words.quant == "all" and len(words.items) == 1)):
        return ()
    return tuple(i.text for i in words.items if isinstance(i, Phrase))


def _same_item(a: WordsNP, b: WordsNP) -> bool:
    """Whether two word phrases are one phrase or form, whatever its case."""
    key = _item_key(a)
    return key is not None and key == _item_key(b)


def _item_key(words: WordsNP) -> str | None:
    """The lower-case text of a one-word-set phrase or form ("'Hours'", "a form of 'hour'")."""
    if len(words.items) != 1:
        return None
    item = words.items[0]
    text = item.text if isinstance(item, Phrase) else item.word if isinstance(item, Lemma) else None
    return None if text is None else text.lower()


_CONTEXT_EDGES = {
    Match.STARTS_WITH.value: Side.AFTER,
    Match.ENDS_WITH.value: Side.BEFORE,
    Match.IS.value: None,
}
"""The context of an entity whose edge next to it a text verb names: "the right context of X
begins with 'y'", "the left context of X ends with 'y'", either context "reads 'y'"."""


def _context_edge(locs: Locs, verb: str) -> Locs:
    """ "the right context of X begins with (reads) 'y'" ("the left context of X ends with
    'y'"): 'y' right next to X, where the context meets it."""
    regions = [r for p in locs.places for r in p.regions]
    if len(regions) != 1 or not isinstance(regions[0], Window) or regions[0].limit is not None:
        raise Reject("the edge of one entity's context")
    if _CONTEXT_EDGES[verb] not in (None, regions[0].side):
        raise Reject("the edge of a context next to its entity")
    return Locs((Place((replace(regions[0], limit=_ADJACENT),)),))


def _word_count(counted: CountNP) -> list[Condition]:
    """The text's length in words ("consists of four words", "a question of five words"); a
    count of anything but words has no such reading."""
    if counted.word != AnyWord():
        raise Reject("a length counts words")
    return count(counted, None)


def _at_edge(side: Side) -> Locs:
    """At the start (``BEFORE``) or the end (``AFTER``) of the sentence."""
    return Locs((Place((Edge(side),)),))


def _nth_edge(ch: Sequence[Any]) -> Edge:
    """The Nth word of the sentence: N - 1 words before it, or after it when counted "from the
    end"; "the last word" has none after it."""
    ordinal = _tok(ch, "ORDINAL").value  # type: ignore[union-attr]
    from_end = _tok(ch, "EDGE") is not None
    if ordinal == "last" and not from_end:
        return Edge(Side.AFTER)
    if not ordinal.isdigit() or int(ordinal) < 1:
        raise Reject("the Nth word of the sentence")
    side = _edge_side(ch) if from_end else Side.BEFORE
    if from_end and side is not Side.AFTER:
        raise Reject("the Nth word from the end of the sentence")
    return Edge(side, int(ordinal) - 1)


def _pred_nth(side: Side, skip: int, e: Entity) -> list[Condition]:
    """Exactly ``skip`` words before (after) ``e``: it is the Nth word from that edge."""
    if skip == 0:
        return _pred_edge(side, e)
    return [Count(AnyWord(), Window(e, side), Cmp.EQ, skip)]


def _first_or_last_n(ch: Sequence[Any]) -> tuple[Side | None, int]:
    """ "(one of / within) the first (last) N words": the edge counted from (None when the
    ordinal is neither first nor last) and N; "within" is the only comparison."""
    cmp = _tok(ch, "CMP")
    if cmp is not None and cmp.value != "<=":  # "within the first three words" only
        raise Reject("a comparison with the first or last N words")
    edge = _FIRST_OR_LAST.get(_tok(ch, "ORDINAL").value)  # type: ignore[union-attr]
    return edge, int([c for c in ch if isinstance(c, Token) and c.type == "NUM"][-1].value)


def _fillable(condition: Condition) -> TypeGuard[Occurs]:
    """Whether ``condition`` names some words in a bounded place that they might fill
    ("'of the' is between them")."""
    return (
        isinstance(condition, Occurs)
        and isinstance(condition.where, Between | Inside)
        and condition.quant == ANY
        and not condition.whole
    )


def _pred_within_edge(side: Side, n: int, e: Entity) -> list[Condition]:
    """Fewer than ``n`` words before (after) ``e``: it starts (ends) among the first (last) n."""
    return [Count(AnyWord(), Window(e, side), Cmp.LT, n)]


def _pred_edge(side: Side, e: Entity) -> list[Condition]:
    # AnyWord leaves punctuation out: a sentence's final period does not count
    return [Not(Occurs((AnyWord(),), Window(e, side)))]


def _pred_between(words: WordsNP, other: Entity, e: Entity) -> list[Condition]:
    return occurs(words, Locs((Place((Between(e, other),)),)))


def _pred_all(preds: tuple[Predicate, ...], e: Entity) -> list[Condition]:
    return _combine([pred(e) for pred in preds], "and")


def _enclosed(words: WordsNP, limit: Distance | None) -> Predicate:
    """An entity between marks: "in quotes" (an opening mark before it, a closing one after),
    "between 'x' and 'y'" (x before, y after)."""
    if words.only or not isinstance(words.quant, str) or words.quant == "none":
        raise Reject("enclosed by some marks")
    items = words.items
    before: tuple[Words, ...]
    after: tuple[Words, ...]
    if words.quant == "all" and len(items) == 2:
        before, after = items[:1], items[1:]
    else:
        before = tuple(i for i in items if not (isinstance(i, Phrase) and i.text in _CLOSING))
        after = tuple(i for i in items if not (isinstance(i, Phrase) and i.text in _OPENING))
    if not before or not after:
        raise Reject("marks on both sides")
    sides = (Side.BEFORE, WordsNP(before, "any")), (Side.AFTER, WordsNP(after, "any"))
    return partial(_pred_all, tuple(partial(_pred_words_at, w, side, limit) for side, w in sides))


def _pred_fixed(condition: Condition, e: Entity) -> list[Condition]:
    return [condition]


def _negated(pred: Predicate, e: Entity) -> list[Condition]:
    return [negate(c) for c in pred(e)]


# --------------------------------------------------------------------------- the rules


class Semantics:
    """The rule methods; ``label`` is the label of every rule built, ``pair`` the two roles
    "them" stands for (empty when the task has not exactly two), ``stems`` the word lists whose
    one-word entries may be stems (see :meth:`loose`). ``all_read`` says whether the words being
    read are all of the explanation's but filler (none skipped): set by the parser."""

    def __init__(
        self, label: int, pair: tuple[Entity, ...], stems: frozenset[str] = frozenset()
    ) -> None:
        self.label = label
        self.pair = pair
        self.stems = stems
        self.all_read = True

    def loose(self, items: Items) -> tuple[Items, ...]:
        """The items as written and, where English allows a looser reading, loosened: a quoted
        word named as a word ("the word 'level'") is also any form of it (a :class:`Lemma`:
        *levels*), and a word list with one-word entries is also words that start with an entry
        (entries may be stems: "therap", "administrat"; a :class:`WordLike`)."""
        loose = tuple(self._loosen(item, items.lexical) for item in items.items)
        if loose == items.items or len(set(loose)) != len(loose):
            return (items,)
        return (items, Items(loose, items.conj))

    def _loosen(self, item: Words, lexical: bool) -> Words:
        if lexical and isinstance(item, Phrase) and item.text.isalpha():
            return Lemma(item.text)
        if isinstance(item, WordList) and item.name in self.stems:
            return WordLike(Match.STARTS_WITH, item)
        return item

    def _nps(self, items: Items, quant: str | Quant, only: bool = False) -> Readings:
        """A words noun phrase of each reading of ``items``."""
        return Readings(tuple(WordsNP(i.items, quant, only) for i in self.loose(items)))

    # ---------------------------------------------------------------- boolean structure
    def root(self, ch: list[Any]) -> LabelingRule:
        condition = self.and_(ch)
        if any(never_holds(node) for node in walk(condition) if isinstance(node, And)):
            raise Reject("a rule that can never hold")
        return LabelingRule(self.label, condition)

    def or_(self, ch: list[Any]) -> Condition:
        return disjoin(tuple(c for c in ch if _is_condition(c)))

    def and_(self, ch: list[Any]) -> Condition:
        return conjoin(tuple(c for c in ch if _is_condition(c)))

    def and_nothing_else(self, ch: list[Any]) -> Condition:
        """ "'of the' joins them and nothing else is in between": the words just named fill
        their place (the last words named, in that place when one is given). After what says
        no more ("the text is 'ok' and nothing else"), it adds nothing."""
        named = _condition(ch)
        parts = list(named.parts) if isinstance(named, And) else [named]
        last = parts[-1]
        locs = _opt(ch, Locs)
        regions = [r for p in locs.places for r in p.regions] if locs is not None else []
        if not _fillable(last):
            if locs is not None:
                raise Reject("'nothing else' somewhere after what names no words there")
            return named
        if locs is not None and regions != [last.where]:
            raise Reject("'nothing else' in another place than the words named")
        parts[-1] = replace(last, whole=True)
        return conjoin(tuple(parts))

    def unless_(self, ch: list[Any]) -> Condition:
        """ "A unless B", "A, except when B": A holds and B does not."""
        rule, exception = (c for c in ch if _is_condition(c))
        return conjoin((rule, negate(exception)))

    def unless_only(self, ch: list[Any]) -> LabelingRule:
        """ "Negative unless B": the label holds where B does not (and where the sentences
        after it hold: "Negative unless B. Here C.")."""
        exception, *rest = (c for c in ch if _is_condition(c))
        return self.root([negate(exception), *rest])

    def unless_first(self, ch: list[Any]) -> Condition:
        """ "Unless B, A": as "A unless B"."""
        exception, rule = (c for c in ch if _is_condition(c))
        return self.unless_([rule, exception])

    def at_least_of(self, ch: list[Any]) -> Condition:
        """ "at least two of these hold: A, B, C": some two of them (one conjunction per
        choice, so the conditions are few: :data:`MAX_COUNTED_CONDITIONS`)."""
        cmp = _tok(ch, "CMP")
        n = int(_tok(ch, "NUM").value)  # type: ignore[union-attr]
        parts = [c for c in ch if _is_condition(c)]
        if cmp is not None and cmp.value != ">=":
            raise Reject("'at least N of these hold', no other comparison")
        if not 1 <= n <= len(parts) or len(parts) > MAX_COUNTED_CONDITIONS:
            raise Reject(f"{n} of {len(parts)} conditions")
        return disjoin(tuple(conjoin(c) for c in itertools.combinations(parts, n)))

    def group(self, ch: list[Any]) -> Condition:
        return _condition(ch)

    def not_(self, ch: list[Any]) -> Condition:
        return negate(_condition(ch))

    def neither(self, ch: list[Any]) -> Condition:
        return conjoin(tuple(negate(c) for c in ch if _is_condition(c)))

    # ---------------------------------------------------------------- words somewhere
    def cop(self, ch: list[Any]) -> Cop:
        return Cop()

    def words_at(self, ch: list[Any]) -> Readings:
        return Readings(tuple(occurs(_one(ch, WordsNP), _one(ch, Locs))))

    def words_in_order(self, ch: list[Any]) -> Readings:
        """ "'put' and 'into' are between them in that order", "the text has 'call' and 'now'
        in this order": all the phrases there, each before the next (in the sentence)."""
        words = _one(ch, WordsNP)
        items = words.items
        if (
            words.quant != "all"
            or words.only
            or len(items) < 2
            or not all(isinstance(i, _ORDERED) for i in items)
            or _says_other_than_contains(ch)
        ):
            raise Reject("several phrases in the order named")
        order = tuple(Precedes(a, b) for a, b in itertools.pairwise(items))
        return Readings(tuple(conjoin((r, *order)) for r in occurs(words, _opt(ch, Locs))))

    def words_not_at(self, ch: list[Any]) -> Readings:
        return Readings(tuple(occurs(_one(ch, WordsNP), _one(ch, Locs), negated=True)))

    def words_anywhere(self, ch: list[Any]) -> Readings:
        return Readings(tuple(occurs(_one(ch, WordsNP), None, negated=_has(ch, "NOT"))))

    def words_absent(self, ch: list[Any]) -> Readings:
        """ "'not' is absent (from the sentence)", "'x' is nowhere between them", "the message
        lacks 'txt'" ("is missing 'x'", "is without 'x'"): not there."""
        return Readings(tuple(occurs(_one(ch, WordsNP), _opt(ch, Locs), negated=True)))

    def words_at_text(self, ch: list[Any]) -> Readings:
        subject, pattern = [c for c in ch if isinstance(c, WordsNP)]
        if subject.items != (AnyWord(),) or pattern.only or pattern.quant == "none":
            raise Reject("'a word ... contains x' needs 'a word' and a pattern")
        match = Match(_tok(ch, "TEXTVERB").value)  # type: ignore[union-attr]
        items = tuple(_wordlike(match, item) for item in pattern.items)
        readings = occurs(WordsNP(items, pattern.quant), _one(ch, Locs), negated=_has(ch, "NOT"))
        if match is Match.CONTAINS:  # "the words between A and B include 'wife'"
            readings += occurs(pattern, _one(ch, Locs), negated=_has(ch, "NOT"))
        return Readings(tuple(readings))

    def words_at_is(self, ch: list[Any]) -> Readings:
        """The word right before person2 is 'wife': the second words occur there ("the word
        after X" is also read as the next word)."""
        subject, words = [c for c in ch if isinstance(c, WordsNP)]
        if subject.items != (AnyWord(),) or words.quant == "none" or subject.quant == "all":
            raise Reject("'the word <somewhere> is x' needs 'the word'")
        if subject.quant == "none":  # "none of the words between them is a treat word"
            return Readings(tuple(occurs(words, _one(ch, Locs), not _has(ch, "NOT"))))
        return self._is_at(words, _one(ch, Locs), _has(ch, "NOT"), next_word=True)

    def words_n_at_is(self, ch: list[Any]) -> Readings:
        """The two words right before the term are 'good size': a phrase of that many words
        occurs there."""
        words = _one(ch, WordsNP)
        n = int(_tok(ch, "NUM").value)  # type: ignore[union-attr]
        if not all(isinstance(w, Phrase) and len(w.text.split()) == n for w in words.items):
            raise Reject("'the N words ... are x' needs phrases of N words")
        return self._is_at(words, _one(ch, Locs), _has(ch, "NOT"), next_word=True)

    def words_link_is(self, ch: list[Any]) -> Readings:
        """ "The only word separating person1 and person2 is 'and'": as "... between them"."""
        between = Locs((self.loc_between(ch),))
        return self.words_at_is([*(c for c in ch if not isinstance(c, Ents)), between])

    def text_at_is(self, ch: list[Any]) -> Readings:
        """The text between X and Y is 'and his wife'."""
        return self._is_at(_one(ch, WordsNP), _one(ch, Locs), _has(ch, "NOT"), next_word=False)

    def part_at_is(self, ch: list[Any]) -> Readings:
        """The last word before Y is 'wife', the first word after X is 'and': adjacent ("'son'
        is the last word before X and before Y": adjacent to each)."""
        part = Part(_tok(ch, "PART").value)  # type: ignore[union-attr]
        locs = _one(ch, Locs)
        wanted = Side.BEFORE if part is Part.LAST_WORD else Side.AFTER
        windows = [r for p in locs.places for r in p.regions]
        if any(not isinstance(w, Window) or w.side is not wanted for w in windows):
            raise Reject("the last word before / the first word after an entity")
        if any(w.limit is not None for w in windows):
            raise Reject("'the last word before' is already adjacent")
        adjacent = Locs(
            tuple(
                replace(p, regions=tuple(replace(w, limit=_ADJACENT) for w in p.regions))
                for p in locs.places
            ),
            locs.conj,
        )
        return Readings(tuple(occurs(_one(ch, WordsNP), adjacent, _has(ch, "NOT"))))

    @staticmethod
    def _is_at(words: WordsNP, locs: Locs, negated: bool, next_word: bool) -> Readings:
        if words.quant == "none":
            raise Reject("'is none of' has no reading")
        exact = Locs(tuple(replace(p, exact=True) for p in locs.places), locs.conj)
        readings = occurs(words, exact, negated)
        if next_word:
            nearest = tuple(
                replace(p, regions=tuple(_next_to(r) for r in p.regions), exact=False)
                for p in locs.places
            )
            if nearest != locs.places:
                readings += occurs(words, Locs(nearest, locs.conj), negated)
        return Readings(tuple(readings))

    def words_word_at(self, ch: list[Any]) -> Readings:
        """ "'x' is the (only) word between them" ("... separating them")."""
        words = _one(ch, WordsNP)
        words = WordsNP(words.items, words.quant, only=words.only or _has(ch, "ONLY"))
        locs = _opt(ch, Locs) or Locs((self.loc_between(ch),))
        return Readings(tuple(occurs(words, locs, negated=_has(ch, "NOT"))))

    def words_times(self, ch: list[Any]) -> Readings:
        """ "'x' appears twice between them", "the text has 'free' more than once": a count of
        one word."""
        words = _one(ch, WordsNP)
        if len(words.items) != 1 or words.quant == "none":
            raise Reject("count one word")
        if _says_other_than_contains(ch):
            raise Reject("a text contains a word so many times")
        n = int(_tok(ch, "NUMTIMES").value)  # type: ignore[union-attr]
        cmp = _tok(ch, "CMP")
        cmps = (_CMPS[cmp.value],) if cmp is not None else (Cmp.EQ, Cmp.GE)
        readings = [
            c for op in cmps for c in count(CountNP(op, n, words.items[0], False), _opt(ch, Locs))
        ]
        return Readings(tuple(readings))

    def words_posverb(self, ch: list[Any]) -> Readings:
        return self._words_side(ch, passive=False)

    def words_posverb_passive(self, ch: list[Any]) -> Readings:
        return self._words_side(ch, passive=True)

    def _words_side(self, ch: list[Any], passive: bool) -> Readings:
        side = Side(_tok(ch, "POSVERB").value)  # type: ignore[union-attr]
        if passive:  # "'x' is followed by A": A after x, so x before A
            side = _OPPOSITE[side]
        ents = _one(ch, Ents)
        place = Place(tuple(Window(e, side, _limit(ch)) for e in ents.entities), ents.conj)
        return Readings(tuple(occurs(_one(ch, WordsNP), Locs((place,)), _has(ch, "NOT"))))

    def words_link(self, ch: list[Any]) -> Readings:
        """ "'x' links A and B", "'x' connects A to B", "A and B are separated by 'x'"."""
        named = [c for c in ch if isinstance(c, Entity)]
        a, b = named if len(named) == 2 else _pair(_one(ch, Ents))
        locs = Locs((Place((Between(a, b),), exact=_has(ch, "SANDWICH")),))
        return Readings(tuple(occurs(_one(ch, WordsNP), locs, _has(ch, "NOT"))))

    def words_ellipsis(self, ch: list[Any]) -> Readings:
        """ "'x' occurs before $T$ and 'y' does not" ("..., but not 'y'"): the second words do
        not occur where the first do; "the question contains 'what' but not 'name'" ("... and
        none of 'x' or 'y'"); "it ends with '?' and no digits" (none in the text); "it opens
        with 'how many', not 'how is'" (nor does it open with those)."""
        present, absent = [c for c in ch if isinstance(c, WordsNP)]
        negated = _has(ch, "NOT")
        if (absent.quant == "none") == negated:  # "... and none of 'x' or 'y'" needs no "not"
            raise Reject("a text contains some words but not others")
        named = all(isinstance(item, Phrase) for item in absent.items)
        if negated and not named and not _has(ch, "AND"):
            raise Reject("', not a person' glosses: only named words are denied after a comma")
        locs, verb = _opt(ch, Locs), _tok(ch, "TEXTVERB")
        if verb is not None and verb.value in _EDGES and locs is None and (named or not negated):
            # "ends with '?' and no digits": the text has none of them anywhere; "opens with
            # 'how many', not 'how is'": it does not open with those
            edge = _at_edge(_EDGES[verb.value])
            denied = occurs(absent, edge, negated=True) if negated else occurs(absent, None)
            return Readings(tuple(_combine([occurs(present, edge), denied], "and")))
        if _says_other_than_contains(ch):
            raise Reject("a text contains some words but not others")
        parts = [occurs(present, locs), occurs(absent, locs, negated=negated)]
        return Readings(tuple(_combine(parts, "and")))

    # ---------------------------------------------------------------- locations
    def locs(self, ch: list[Any]) -> Locs:
        places = tuple(c for c in ch if isinstance(c, Place))
        located = tuple(p for p in places if p.regions != (Sentence(),))
        return Locs(located or places[:1])

    def locs_and(self, ch: list[Any]) -> Locs:
        return self._join_locs(ch, "and")

    def locs_and_not(self, ch: list[Any]) -> Locs:
        """ "before person1 but not after person2"."""
        first, place = _one(ch, Locs), _one(ch, Place)
        return self._join_locs([first, replace(place, negated=True)], "and")

    def locs_or(self, ch: list[Any]) -> Locs:
        return self._join_locs(ch, "or")

    def _join_locs(self, ch: list[Any], conj: str) -> Locs:
        first, place = _one(ch, Locs), _one(ch, Place)
        if len(first.places) > 1 and first.conj != conj:
            raise Reject("mixed 'and' and 'or' between locations")
        return Locs((*first.places, place), conj)

    def loc_between(self, ch: list[Any]) -> Place:
        a, b = _pair(_one(ch, Ents))
        return Place((Between(a, b),), exact=_has(ch, "IMMED"))

    def loc_side(self, ch: list[Any]) -> Place:
        """ "before person2", "within 3 words after X"; a participle: "(the word) directly
        preceding person2"."""
        side = Side((_tok(ch, "SIDE") or _tok(ch, "POSVERB")).value)  # type: ignore[union-attr]
        ents = _one(ch, Ents)
        limit = _limit(ch)
        return Place(tuple(Window(e, side, limit) for e in ents.entities), ents.conj)

    def loc_sides(self, ch: list[Any]) -> Place:
        """ "before and after A": a window on each side."""
        sides = [Side(t.value) for t in ch if isinstance(t, Token) and t.type == "SIDE"]
        ents = _one(ch, Ents)
        if len(ents.entities) != 1 or sides[0] is sides[1]:
            raise Reject("'before and after' one entity")
        windows = tuple(Window(ents.entities[0], side) for side in sides)
        return Place(windows, "or" if _has(ch, "OR") else "and")

    def loc_near(self, ch: list[Any]) -> Place:
        ents, dist = _one(ch, Ents), _one(ch, Distance)
        return Place(tuple(Window(e, Side.EITHER, dist) for e in ents.entities), ents.conj)

    loc_near_post = loc_near

    def loc_near_bare(self, ch: list[Any]) -> Readings:
        """ "near A" (see :data:`NEAR_WINDOWS`), "before or after A", "on both sides of A"."""
        ents = _one(ch, Ents)
        kind = _tok(ch, "NEAR").value  # type: ignore[union-attr]
        if kind in _VAGUE_DISTANCES:
            return Readings(
                tuple(
                    Place(tuple(Window(e, Side.EITHER, limit) for e in ents.entities), ents.conj)
                    for limit in _vague_distances(kind)
                )
            )
        if len(ents.entities) != 1:
            raise Reject("'before or after' one entity")
        anchor = ents.entities[0]
        return Readings((Place((Window(anchor, Side.BEFORE), Window(anchor, Side.AFTER)), kind),))

    def loc_adjacent(self, ch: list[Any]) -> Place:
        ents = _one(ch, Ents)
        return Place(tuple(Window(e, Side.EITHER, _ADJACENT) for e in ents.entities), ents.conj)

    def loc_sentence(self, ch: list[Any]) -> Place:
        return Place((Sentence(),))

    def loc_edge(self, ch: list[Any]) -> Place:
        """ "at the start (end) of the sentence"."""
        return _at_edge(_edge_side(ch)).places[0]

    def loc_nth(self, ch: list[Any]) -> Place:
        """ "as the second word (of the sentence)", "as the third word from the end"."""
        return Place((_nth_edge(ch),))

    def loc_inside(self, ch: list[Any]) -> Place:
        ents = _one(ch, Ents)
        return Place(tuple(Inside(e) for e in ents.entities), ents.conj)

    def distance(self, ch: list[Any]) -> Distance | Readings:
        n, unit = int(_tok(ch, "NUM").value), _one(ch, Unit)  # type: ignore[union-attr]
        cmp = _tok(ch, "CMP")
        if cmp is not None:
            return Distance(_CMPS[cmp.value], n, unit)
        if n <= 1 and unit is Unit.WORDS:  # "1 word after": adjacent (nothing is closer)
            return Distance(Cmp.EQ, n, unit)
        # "4 words before": exactly 4, or within 4
        return Readings(tuple(_distances(((Cmp.EQ, n), (Cmp.LE, n)), unit)))

    def distance_bare(self, ch: list[Any]) -> Distance:
        cmp = _tok(ch, "CMP")
        n = int(_tok(ch, "NUM").value)  # type: ignore[union-attr]
        return Distance(_CMPS[cmp.value] if cmp is not None else Cmp.EQ, n)

    def distance_gap(self, ch: list[Any]) -> Distance:
        """ "with at most 3 words between them": the anchor is one word further than the words
        between it and what it is measured from."""
        n, unit = int(_tok(ch, "NUM").value), _one(ch, Unit)  # type: ignore[union-attr]
        if unit is not Unit.WORDS:
            raise Reject("characters between, counted as a distance")
        cmp = _tok(ch, "CMP")
        return Distance(_CMPS[cmp.value] if cmp is not None else Cmp.EQ, n + 1)

    def distance_post(self, ch: list[Any]) -> Distance:
        n, unit = int(_tok(ch, "NUM").value), _one(ch, Unit)  # type: ignore[union-attr]
        return Distance(_CMPS[_tok(ch, "CMPPOST").value], n, unit)  # type: ignore[union-attr]

    def unit(self, ch: list[Any]) -> Unit:
        return Unit.CHARS if _has(ch, "CHAR") else Unit.WORDS

    # ---------------------------------------------------------------- entities
    def ent(self, ch: list[Any]) -> Entity:
        return Entity(_tok(ch, "ENT").value)  # type: ignore[union-attr]

    def ent_ordinal(self, ch: list[Any]) -> Entity:
        """ "the first one", "the second one" ("... and the second is an event"): one of a task's
        two entities, in their order."""
        number = _tok(ch, "NUM")  # "the second" alone: the second one
        place, n = _tok(ch, "ORDINAL").value, "1" if number is None else number.value  # type: ignore[union-attr]
        if len(self.pair) != 2 or n != "1" or place not in ("1", "2"):
            raise Reject("the first or second one of two entities")
        return self.pair[int(place) - 1]

    def ents_one(self, ch: list[Any]) -> Ents:
        return Ents((_one(ch, Entity),), "and")

    def ents_and(self, ch: list[Any]) -> Ents:
        return _ents(ch, "and")

    def ents_or(self, ch: list[Any]) -> Ents:
        return _ents(ch, "or")

    def ents_pair(self, ch: list[Any]) -> Ents:
        if len(self.pair) != 2:
            raise Reject("'them' needs a task with two entities")
        return Ents(self.pair, "and")

    def ents_it(self, ch: list[Any]) -> Ents:
        """ "right before it": the entity the tokenizer found "it" to name (see
        :func:`babble.parse.tokens.tokenize`)."""
        return Ents((Entity(_tok(ch, "IT").value),), "and")  # type: ignore[union-attr]

    def ent_it(self, ch: list[Any]) -> Entity:
        """ "between it and the disease": "it" as one entity of a pair."""
        return Entity(_tok(ch, "IT").value)  # type: ignore[union-attr]

    def ents_two(self, ch: list[Any]) -> Ents:
        """ "the two people", "both of the people", "the two entities": the task's pair."""
        number = _tok(ch, "NUM")
        noun = _tok(ch, "CLASS")
        if number is not None and number.value != "2":
            raise Reject("'the two people' names two")
        if noun is not None and noun.value != "ent:PERSON":
            raise Reject("'the two people' names people (or entities, names)")
        return self.ents_pair(ch)

    def ents_either(self, ch: list[Any]) -> Ents:
        """ "either person", "either of them", "any of them", "one of them": the task's pair,
        one or the other."""
        number = _tok(ch, "NUM")
        if number is not None and number.value != "1":
            raise Reject("'one of them' names one")
        pair = self.ents_two([c for c in ch if not _is_token(c, "NUM")])
        return Ents(pair.entities, "or")

    def ents_group(self, ch: list[Any]) -> Ents:
        ents: Ents = _one(ch, Ents)
        return ents

    # ---------------------------------------------------------------- an entity does something
    def entity_vps(self, ch: list[Any]) -> Readings:
        ents = _one(ch, Ents)
        preds = [c for c in ch if isinstance(c, partial)]
        per_entity = [_combine([p(e) for p in preds], "and") for e in ents.entities]
        return Readings(tuple(_combine(per_entity, ents.conj)))

    def entity_vps_neither(self, ch: list[Any]) -> Readings:
        """ "neither person1 nor person2 is preceded by 'Mr.'": it holds of neither."""
        pred = _one(ch, partial)
        per_entity = [[negate(c) for c in pred(e)] for e in ch if isinstance(e, Entity)]
        return Readings(tuple(_combine(per_entity, "and")))

    def evp_passive_words(self, ch: list[Any]) -> Predicate:
        side = Side(_tok(ch, "POSVERB").value)  # type: ignore[union-attr]
        return self._maybe_not(ch, partial(_pred_words_at, _one(ch, WordsNP), side, _limit(ch)))

    def evp_passive_ent(self, ch: list[Any]) -> Predicate:
        # "e is preceded by A": A before e, so e after A
        side = _OPPOSITE[Side(_tok(ch, "POSVERB").value)]  # type: ignore[union-attr]
        ents = _one(ch, Ents)
        if len(ents.entities) != 1:
            raise Reject("one entity after 'by'")
        return self._maybe_not(ch, partial(_pred_order, ents.entities[0], side, _limit(ch)))

    def evp_active_ent(self, ch: list[Any]) -> Predicate:
        side = Side(_tok(ch, "POSVERB").value)  # type: ignore[union-attr]
        return self._maybe_not(ch, partial(_pred_order, _one(ch, Entity), side, _limit(ch)))

    def evp_active_words(self, ch: list[Any]) -> Predicate:
        # "e precedes 'x'": x after e
        side = _OPPOSITE[Side(_tok(ch, "POSVERB").value)]  # type: ignore[union-attr]
        return self._maybe_not(ch, partial(_pred_words_at, _one(ch, WordsNP), side, _limit(ch)))

    def evp_side_words(self, ch: list[Any]) -> Predicate:
        """ "person2 comes right after 'wife'": the words are on the other side of it."""
        side = _OPPOSITE[Side(_tok(ch, "SIDE").value)]  # type: ignore[union-attr]
        pred = partial(_pred_words_at, _one(ch, WordsNP), side, _limit(ch))
        return self._maybe_not(ch, pred)

    def possessed(self, ch: list[Any]) -> Readings:
        """ "person1's 'wife'": the words within two tokens after the owner ('s, then them)."""
        window = Window(_one(ch, Entity), Side.AFTER, Distance(Cmp.LE, 2))
        return Readings(tuple(occurs(_one(ch, WordsNP), Locs((Place((window,)),)))))

    def possessed_of(self, ch: list[Any]) -> Readings:
        """ "the 'wife' of person1": the words within two tokens before the owner ("of", then
        them)."""
        window = Window(_one(ch, Entity), Side.BEFORE, Distance(Cmp.LE, 2))
        return Readings(tuple(occurs(_one(ch, WordsNP), Locs((Place((window,)),)))))

    def evp_described(self, ch: list[Any]) -> Predicate:
        """ "X is referred to as person1's 'wife'" (or "as 'a couple'"): the description occurs."""
        verb = _tok(ch, "TEXTVERB")
        if verb is not None and verb.value != Match.IS.value:
            raise Reject("'is called', not 'contains'")
        found = [c for c in ch if _is_condition(c)]
        if found:
            return self._maybe_not(ch, partial(_pred_fixed, found[0]))
        readings = occurs(_one(ch, WordsNP), None)
        return self._maybe_not(ch, partial(_pred_fixed, readings[0]))

    def ent_words_ent(self, ch: list[Any]) -> Readings:
        """ "person1 'married' person2": the words between them."""
        a, b = [c for c in ch if isinstance(c, Entity)]
        locs = Locs((Place((Between(a, b),), exact=True),))
        return Readings(tuple(occurs(_one(ch, WordsNP), locs, _has(ch, "NOT"))))

    def evp_chain(self, ch: list[Any]) -> Predicate:
        """X is followed by 'and' which is followed by Y ("... and then by Y": the same verb);
        "immediately" makes a link adjacent."""
        words = _one(ch, WordsNP)
        at = ch.index(words)
        sides = [Side(t.value) for t in ch if _is_token(t, "POSVERB")]
        first = (sides[0], _limit(ch[:at]))
        second = (sides[-1], _limit(ch[at + 1 :]))
        return partial(_pred_chain, words, first, second, _one(ch, Entity))

    def evp_enclosed(self, ch: list[Any]) -> Readings:
        """ "person2 is in quotes", "X is surrounded by commas": the marks right around the
        entity, or (a second reading: inside a quotation) anywhere before and after it. In
        alternatives, the entity is one of them: "arg1 in {brigade, team, crew}"."""
        quoted = _tok(ch, "QUOTED")  # "quoted": the marks are the lexicon's value
        if quoted is not None:
            words = WordsNP(tuple(Phrase(m) for m in quoted.value.split()), "any")
        else:
            words = _one(ch, WordsNP)
            if _has(ch, "IN") and _word_alternatives(words):
                return Readings((self.evp_is(ch),))
        preds = (_enclosed(words, _ADJACENT), _enclosed(words, None))
        return Readings(tuple(self._maybe_not(ch, pred) for pred in preds))

    def evp_near_words(self, ch: list[Any]) -> Readings:
        """ "person1 is close to 'husband'", "X is within 3 words of 'wife'": the words are
        near the entity (:data:`NEAR_WINDOWS` without a number)."""
        words = _one(ch, WordsNP)
        near = _tok(ch, "NEAR")
        limits: tuple[Distance, ...]
        if _has(ch, "ADJACENT"):
            limits = (_ADJACENT,)
        elif _opt(ch, Distance) is not None:
            limits = (_one(ch, Distance),)
        elif near is not None and near.value in _VAGUE_DISTANCES:
            limits = _vague_distances(near.value)
        else:
            raise Reject("'before or after' words needs a distance")
        preds = (partial(_pred_words_at, words, Side.EITHER, limit) for limit in limits)
        return Readings(tuple(self._maybe_not(ch, pred) for pred in preds))

    def evp_enclosed_loosely(self, ch: list[Any]) -> Predicate:
        """ "person2 occurs in a phrase surrounded by quotes": marks somewhere around it."""
        return self._maybe_not(ch, _enclosed(_one(ch, WordsNP), None))

    def evp_ordinal(self, ch: list[Any]) -> Predicate:
        """X comes first (second, last): before (after) the task's other entity."""
        side = _ORDINAL_SIDES.get(_tok(ch, "ORDINAL").value)  # type: ignore[union-attr]
        if side is None or len(self.pair) != 2:
            raise Reject("'first' or 'second' of a task's two entities")
        return self._maybe_not(ch, partial(_pred_ordinal, self.pair, side, None))

    def evp_ordinal_far(self, ch: list[Any]) -> Predicate:
        """ "person2 appears less than 5 words later": after (before) the task's other entity,
        that far from it."""
        value = _tok(ch, "ORDINAL").value  # type: ignore[union-attr]
        if value not in (Side.BEFORE.value, Side.AFTER.value) or len(self.pair) != 2:
            raise Reject("'earlier' or 'later' than the task's other entity")
        limit = _one(ch, Distance)
        return self._maybe_not(ch, partial(_pred_ordinal, self.pair, Side(value), limit))

    def evp_nth(self, ch: list[Any]) -> Predicate:
        """ "person2 is the fourth word after person1": that far after it."""
        side, limit = _nth(ch)
        return self._maybe_not(ch, partial(_pred_order, _one(ch, Entity), side, limit))

    def evp_edge(self, ch: list[Any]) -> Predicate:
        """ "X is the first (last) word of the sentence", "X is at the end of the sentence",
        "X starts the sentence": no word before (after) X."""
        return self._maybe_not(ch, partial(_pred_edge, _edge_side(ch)))

    def evp_nth_edge(self, ch: list[Any]) -> Predicate:
        """ "the aspect is the second word (of the sentence)": so many words before it (after
        it, counted "from the end")."""
        edge = _nth_edge(ch)
        return self._maybe_not(ch, partial(_pred_nth, edge.side, edge.skip))

    def evp_within_edge_n(self, ch: list[Any]) -> Predicate:
        """ "the aspect is among the first four words" ("one of", "in", "within" the first or
        last N): fewer than N words before (after) it."""
        side, n = _first_or_last_n(ch)
        if side is None or n < 1:
            raise Reject("an entity among the first or last N words")
        return self._maybe_not(ch, partial(_pred_within_edge, side, n))

    def sentence_edge(self, ch: list[Any]) -> Condition:
        """ "the sentence ends with person2": no word after it."""
        (condition,) = _pred_edge(_edge_side(ch), _one(ch, Entity))
        return _apply_not(condition, _has(ch, "NOT"))

    def evp_order_with(self, ch: list[Any]) -> Predicate:
        """ "OBJ is preceded by SUBJ with 'in the' in between", "SUBJ precedes OBJ with 'of'
        between them", "SUBJ comes right before OBJ with nothing in between": the order, and
        the words between the two."""
        side = Side((_tok(ch, "POSVERB") or _tok(ch, "SIDE")).value)  # type: ignore[union-attr]
        if _has(ch, "BY"):  # passive: "e is preceded by other" = e after other
            side = _OPPOSITE[side]
        order = partial(_pred_order, _one(ch, Entity), side, _limit(ch))
        between = partial(_pred_between, _one(ch, WordsNP), _one(ch, Entity))
        return self._maybe_not(ch, partial(_pred_all, (order, between)))

    def nth_is(self, ch: list[Any]) -> Readings:
        """ "the third word after person1 is 'wife'": the words that far after person1."""
        side, limit = _nth(ch)
        window = Window(_one(ch, Entity), side, limit)
        return Readings(
            tuple(occurs(_one(ch, WordsNP), Locs((Place((window,)),)), _has(ch, "NOT")))
        )

    def evp_at(self, ch: list[Any]) -> Predicate:
        return partial(_pred_locate, _one(ch, Locs))

    def evp_not_at(self, ch: list[Any]) -> Predicate:
        return partial(_negated, partial(_pred_locate, _one(ch, Locs)))

    def evp_text(self, ch: list[Any]) -> Predicate:
        match = Match(_tok(ch, "TEXTVERB").value)  # type: ignore[union-attr]
        return self._maybe_not(ch, partial(_pred_text, match, _one(ch, WordsNP)))

    def evp_text_edge(self, ch: list[Any]) -> Predicate:
        """ "person2 has 'Jr' at the end" ("... at the start"): its text ends (starts) with it."""
        if _says_other_than_contains(ch):
            raise Reject("an entity has words at one of its ends")
        side = Side(_tok(ch, "EDGE").value)  # type: ignore[union-attr]
        match = Match.ENDS_WITH if side is Side.AFTER else Match.STARTS_WITH
        return self._maybe_not(ch, partial(_pred_text, match, _one(ch, WordsNP)))

    def evp_is(self, ch: list[Any]) -> Predicate:
        return self._maybe_not(ch, partial(_pred_text, Match.IS, _one(ch, WordsNP)))

    def words_are_ent(self, ch: list[Any]) -> Readings:
        """ "the word 'coma' is the disease": the entity's text, said the other way round."""
        pred = self._maybe_not(ch, partial(_pred_text, Match.IS, _one(ch, WordsNP)))
        return Readings(tuple(_combine([pred(_one(ch, Entity))], "and")))

    def word_is_ent(self, ch: list[Any]) -> Readings:
        """ "the first word is the term" ("the 2nd word of the sentence is person1"): the entity
        is that word, said the other way round."""
        pred = self.evp_edge(ch) if _tok(ch, "PART") is not None else self.evp_nth_edge(ch)
        return Readings(tuple(_combine([pred(_one(ch, Entity))], "and")))

    def evp_is_shape(self, ch: list[Any]) -> Predicate:
        shape = Shape(ShapeKind(_tok(ch, "SHAPEADJ").value))  # type: ignore[union-attr]
        return self._maybe_not(ch, partial(_pred_text, Match.IS, WordsNP((shape,), "any")))

    def evp_text_ent(self, ch: list[Any]) -> Predicate:
        match = Match(_tok(ch, "TEXTVERB").value)  # type: ignore[union-attr]
        return self._maybe_not(ch, partial(_pred_same, _one(ch, Entity), match))

    def evp_length(self, ch: list[Any]) -> Predicate:
        if _says_other_than_contains(ch):
            raise Reject("a length is 'contains N words'")
        return self._maybe_not(ch, partial(_pred_length, _one(ch, Distance)))

    def evp_same_as(self, ch: list[Any]) -> Predicate:
        return self._maybe_not(ch, partial(_pred_same, _one(ch, Entity), Match.IS))

    def evp_part_of(self, ch: list[Any]) -> Predicate:
        """ "person2 is the last word (the last name) of person1": one person named in part and
        in full; its text is one word, the same as that word of the other's."""
        part = Part(_tok(ch, "PART").value)  # type: ignore[union-attr]
        return self._maybe_not(ch, partial(_pred_part_of, part, _one(ch, Entity)))

    def evp_apart(self, ch: list[Any]) -> Predicate:
        return self._maybe_not(ch, partial(_pred_apart, _one(ch, Distance), _one(ch, Entity)))

    @staticmethod
    def _maybe_not(ch: list[Any], pred: Predicate) -> Predicate:
        return partial(_negated, pred) if _has(ch, "NOT") else pred

    # ---------------------------------------------------------------- two entities
    def pair_same(self, ch: list[Any]) -> Condition:
        """ "person1 and person2 are the same" ("are different")."""
        a, b = _pair(_one(ch, Ents))
        return _apply_not(SameText(a, b), _has(ch, "NOT") != _has(ch, "DIFFERENT"))

    def pair_order_sign(self, ch: list[Any]) -> Condition:
        """ "e1 < e2" ("p2 > p1"): a note's sign for the order of the two entities, the smaller
        one first."""
        a, b = [c for c in ch if isinstance(c, Entity)]
        sign = _tok(ch, "CMP").value  # type: ignore[union-attr]
        if sign not in ("<", ">") or a == b:
            raise Reject("'<' or '>' between two entities")
        return Order(a, b) if sign == "<" else Order(b, a)

    def pair_apart(self, ch: list[Any]) -> Condition:
        a, b = _pair(_one(ch, Ents))
        return _apply_not(Apart(a, b, _one(ch, Distance)), _has(ch, "NOT"))

    def pair_adjacent(self, ch: list[Any]) -> Condition:
        a, b = _pair(_one(ch, Ents))
        return _apply_not(Apart(a, b, _ADJACENT), _has(ch, "NOT"))

    def pair_near(self, ch: list[Any]) -> Readings:
        """ "A and B are close to each other": within :data:`NEAR_WINDOWS` words ("far from each
        other": more than that)."""
        kind = _tok(ch, "NEAR").value  # type: ignore[union-attr]
        if kind not in _VAGUE_DISTANCES:
            raise Reject("'near each other'")
        a, b = _pair(_one(ch, Ents))
        readings = (Apart(a, b, limit) for limit in _vague_distances(kind))
        return Readings(tuple(_apply_not(c, _has(ch, "NOT")) for c in readings))

    def pair_distance(self, ch: list[Any]) -> Condition:
        """ "the distance between A and B is less than 5 words"."""
        return self.pair_apart(ch)

    def pair_same_part(self, ch: list[Any]) -> Condition:
        """ "person1 and person2 have the same last name" ("different last names")."""
        a, b = _pair(_one(ch, Ents))
        part = Part(_tok(ch, "PART").value)  # type: ignore[union-attr]
        negated = _has(ch, "NOT") != _has(ch, "DIFFERENT")
        return _apply_not(SameText(a, b, Match.IS, part), negated)

    def pair_sandwich(self, ch: list[Any]) -> Readings:
        return _between_the_pair(ch, exact=True)

    def pair_linked(self, ch: list[Any]) -> Readings:
        """ "the drug is linked to the disease by 'induced'": as "the drug and the disease are
        linked by 'induced'"."""
        a, b = [c for c in ch if isinstance(c, Entity)]
        if a == b:
            raise Reject("an entity linked to another")
        rest = [c for c in ch if not isinstance(c, Entity)]
        return _between_the_pair([Ents((a, b), "and"), *rest], exact=True)

    def pair_words_between(self, ch: list[Any]) -> Readings:
        """ "person1 and person2 have 'and' between them" ("... have only 'and' in between")."""
        if _tok(ch, "TEXTVERB").value != "contains":  # type: ignore[union-attr]
            raise Reject("a pair that is, starts or ends with words between it")
        return _between_the_pair(ch, exact=_has(ch, "ONLY"))

    def pair_separated(self, ch: list[Any]) -> Readings:
        a, b = _pair(_one(ch, Ents))
        readings = count(_one(ch, CountNP), Locs((Place((Between(a, b),)),)))
        return Readings(tuple(_apply_not(c, _has(ch, "NOT")) for c in readings))

    # ---------------------------------------------------------------- existence and counts
    def there_words(self, ch: list[Any]) -> Readings:
        return Readings(tuple(occurs(_one(ch, WordsNP), _opt(ch, Locs), _has(ch, "NOT"))))

    inverted_words = there_words

    def none_bare(self, ch: list[Any]) -> Readings:
        """ "no links", "no 'wife' between them": none of the words occur (there). Not "no
        words" with nowhere named: a text always has words."""
        if _opt(ch, Locs) is None and AnyWord() in _one(ch, WordsNP).items:
            raise Reject("no word anywhere in the text")
        return self.there_words(ch)

    def there_count(self, ch: list[Any]) -> Readings:
        return Readings(tuple(count(_one(ch, CountNP), _opt(ch, Locs))))

    count_at = there_count
    inverted_count = there_count

    def count_of(self, ch: list[Any]) -> Readings:
        """ "the number of words between A and B is less than 5"."""
        items: Items = _one(ch, Items)
        if len(items.items) != 1:
            raise Reject("count one kind of word")
        cmp = _tok(ch, "CMP")
        n = int(_tok(ch, "NUM").value)  # type: ignore[union-attr]
        op = _CMPS[cmp.value] if cmp is not None else Cmp.EQ
        readings = [
            c
            for i in self.loose(items)
            for c in count(CountNP(op, n, i.items[0], False), _opt(ch, Locs))
        ]
        return Readings(tuple(_apply_not(c, _has(ch, "NOT")) for c in readings))

    def sentence_count(self, ch: list[Any]) -> Readings:
        """ "the sentence has more than 20 words" ("consists of four words")."""
        verb = _tok(ch, "TEXTVERB")
        if verb is None or verb.value not in (Match.CONTAINS.value, Match.IS.value):
            raise Reject("a sentence contains (consists of) words")
        counted: CountNP = _one(ch, CountNP)
        # "consists of three words ('a b c')": the words, not a count of the phrase
        readings = _word_count(counted) if verb.value == Match.IS.value else count(counted, None)
        return Readings(tuple(_apply_not(c, _has(ch, "NOT")) for c in readings))

    def count_np(self, ch: list[Any]) -> Readings:
        items: Items = _one(ch, Items)
        if len(items.items) != 1:
            raise Reject("count one kind of word")
        n = int(_tok(ch, "NUM").value)  # type: ignore[union-attr]
        only, cmp = _has(ch, "ONLY"), _tok(ch, "CMP") or _tok(ch, "CMPPOST")
        if cmp is not None:  # "more than 3 commas", "3 or more commas"
            cmps: tuple[Cmp, ...] = (_CMPS[cmp.value],)
        elif only:
            cmps = (Cmp.EQ,)
        else:  # "there are two people": exactly two, or at least two
            cmps = (Cmp.EQ, Cmp.GE)
        words = [i.items[0] for i in self.loose(items)]
        return Readings(tuple(CountNP(c, n, w, only) for w in words for c in cmps))

    # ---------------------------------------------------------------- a sequence
    def sequence(self, ch: list[Any]) -> Readings:
        """Things in text order: consecutive entities are ordered; words lie between the
        entities around them (or after the last, before the first)."""
        if any(Side(t.value) is not Side.AFTER for t in ch if _is_token(t, "POSVERB")):
            raise Reject("a sequence reads left to right ('followed by')")
        things = [c for c in ch if isinstance(c, Entity | WordsNP)]
        ents = [c for c in things if isinstance(c, Entity)]
        if not ents or len(set(ents)) != len(ents):
            raise Reject("a sequence of distinct entities and words")
        parts: list[list[Condition]] = [[Order(a, b)] for a, b in itertools.pairwise(ents)]
        for k, thing in enumerate(things):
            if isinstance(thing, WordsNP):
                region = _region_in_sequence(things[:k], things[k + 1 :])
                parts.append(occurs(thing, Locs((Place((region,)),))))
        return Readings(tuple(_combine(parts, "and")))

    # ---------------------------------------------------------------- the sentence, parts
    def sentence_has(self, ch: list[Any]) -> Readings:
        """ "the sentence contains 'x'", "the sentence starts (ends) with 'x'"."""
        verb, locs = _tok(ch, "TEXTVERB"), _opt(ch, Locs)
        if verb is not None and verb.value == Match.IS.value and locs is None:
            return Readings((self.sentence_is(ch),))
        if verb is not None and verb.value in _EDGES and locs is None:
            locs = _at_edge(_EDGES[verb.value])
        elif verb is not None and verb.value in _CONTEXT_EDGES and locs is not None:
            locs = _context_edge(locs, verb.value)
        elif verb is not None and verb.value != Match.CONTAINS.value:
            raise Reject("a sentence contains words, or starts or ends with them")
        return Readings(tuple(occurs(_one(ch, WordsNP), locs, _has(ch, "NOT"))))

    def question_stem(self, ch: list[Any]) -> Readings:
        """ "it is a 'why' question", "a 'how many' question of only three words": the
        question starts with the phrase (and has that many words)."""
        stem = Occurs((Phrase(_tok(ch, "QSTEM").value),), Edge(Side.BEFORE))  # type: ignore[union-attr]
        counted = _opt(ch, CountNP)
        if counted is None:
            return Readings((stem,))
        return Readings(tuple(conjoin((stem, c)) for c in _word_count(counted)))

    def sentence_is(self, ch: list[Any]) -> Condition:
        """ "the message is 'ok'" ("is just 'ok'", "consists of 'ok'", "is 'yes' or 'no'"): the
        phrase at both ends of the text, so nothing but punctuation besides it."""
        texts = _alternatives(_one(ch, WordsNP))
        sentence = _tok(ch, "SENTENCE")
        if not texts or (sentence is not None and sentence.value == "it"):  # "it is 'x'": unsure
            raise Reject("the text (named as such) is a phrase")
        whole = (
            conjoin(tuple(Occurs((Phrase(t),), Edge(side)) for side in (Side.BEFORE, Side.AFTER)))
            for t in texts
        )
        return _apply_not(disjoin(tuple(whole)), _has(ch, "NOT"))

    def words_bare(self, ch: list[Any]) -> Readings:
        """ "because of 'brand new' and 'free'": the words, with no verb, occur. Only when no
        word but filler is skipped: "person1 and person2 look like an 'old married couple'" is
        not about the phrase alone."""
        if not self.all_read:
            raise Reject("words alone, with every known word of the explanation read")
        return self.words_bare_first(ch)

    def words_bare_first(self, ch: list[Any]) -> Readings:
        """ "because of 'free', and it tells you to 'install' something": words with no verb,
        then a clause; a clause follows, so words skipped after it do not make the words alone
        the whole reason."""
        words = _one(ch, WordsNP)
        if AnyWord() in words.items:  # "because of the ... thing"
            raise Reject("words alone")
        return Readings(tuple(occurs(words, None, False)))

    def count_bare(self, ch: list[Any]) -> Readings:
        """ "only 4 words", "at least three exclamation marks": a count with no verb, in the
        text; like words alone, only when every known word of the explanation is read."""
        if not self.all_read:
            raise Reject("a count alone, with every known word of the explanation read")
        return Readings(tuple(count(_one(ch, CountNP), None)))

    def sentence_length(self, ch: list[Any]) -> Condition:
        """ "the message is shorter than 5 words": a count of its words."""
        dist: Distance = _one(ch, Distance)
        if dist.unit is not Unit.WORDS:
            raise Reject("a sentence's length is counted in words")
        return _apply_not(Count(AnyWord(), Sentence(), dist.cmp, dist.n), _has(ch, "NOT"))

    def text_at_length(self, ch: list[Any]) -> Condition:
        """ "the text between X and Y is shorter than 4 words": a count of the words there."""
        dist: Distance = _one(ch, Distance)
        regions = [r for p in _one(ch, Locs).places for r in p.regions]
        if dist.unit is not Unit.WORDS or len(regions) != 1:
            raise Reject("the length in words of one stretch of text")
        return _apply_not(Count(AnyWord(), regions[0], dist.cmp, dist.n), _has(ch, "NOT"))

    def sentence_vps(self, ch: list[Any]) -> Condition:
        """ "the message mentions 'ringtone' and contains a number": each holds."""
        return conjoin(tuple(c for c in ch if _is_condition(c)))

    def sentence_vps_or(self, ch: list[Any]) -> Condition:
        """ "the message mentions 'win' or contains a link": one holds."""
        return disjoin(tuple(c for c in ch if _is_condition(c)))

    def words_adjacent(self, ch: list[Any]) -> Readings:
        return self._adjacent(ch, passive=False)

    def words_adjacent_passive(self, ch: list[Any]) -> Readings:
        return self._adjacent(ch, passive=True)

    def inverted_order(self, ch: list[Any]) -> Readings:
        """ "right before 'wife' is 'his'", "after 'call' comes 'now'": the second phrase on that
        side of the first (right there with "right")."""
        anchor, located = [c for c in ch if isinstance(c, WordsNP)]
        negated = _has(ch, "NOT") != (located.quant == "none")  # "... there is no 'his'"
        if located.quant == "none":
            located = replace(located, quant="any")
        side = Side(_tok(ch, "SIDE").value)  # type: ignore[union-attr]
        if side is Side.EITHER or _same_item(anchor, located) or not _alternatives(located):
            raise Reject("a phrase on one side of another")  # "..., right before '?', is a date"
        earlier, later = (located, anchor) if side is Side.BEFORE else (anchor, located)
        if _has(ch, "IMMED"):
            return _side_by_side(earlier, later, negated)
        if not _ordered_pair(earlier, later):
            raise Reject("two words in order")
        return Readings((_apply_not(Precedes(earlier.items[0], later.items[0]), negated),))

    def words_part_adjacent(self, ch: list[Any]) -> Readings:
        """ "'called' is the last word before '?'" ("the first word after 'how'"): right there."""
        part = Part(_tok(ch, "PART").value)  # type: ignore[union-attr]
        side = Side(_tok(ch, "SIDE").value)  # type: ignore[union-attr]
        if side is not (Side.BEFORE if part is Part.LAST_WORD else Side.AFTER):
            raise Reject("the first word before / the last word after a phrase")
        return self._adjacent(ch, passive=False)

    def _adjacent(self, ch: list[Any], passive: bool) -> Readings:
        """ "'check' is immediately followed by 'out'", "'now' comes right before 'send'": the
        two phrases side by side are one phrase."""
        earlier, later = _in_text_order(ch, passive)
        return _side_by_side(earlier, later, _has(ch, "NOT"))

    def words_within_passive(self, ch: list[Any]) -> Condition:
        """ "'txt' is followed within three words by 'now'": 'now' within 3 words after 'txt'
        (the verb's side is where the words after "by" lie)."""
        anchor, located = [c for c in ch if isinstance(c, WordsNP)]
        side = Side(_tok(ch, "POSVERB").value)  # type: ignore[union-attr]
        return self._within(located, anchor, side, ch)

    def words_within(self, ch: list[Any]) -> Condition:
        """ "'term' comes within 3 words after 'what'": in that order, that far apart; "'x' is
        within 2 words of 'y'": either way round."""
        located, anchor = [c for c in ch if isinstance(c, WordsNP)]
        side = _tok(ch, "SIDE")
        return self._within(located, anchor, Side(side.value) if side else Side.EITHER, ch)

    def _within(self, located: WordsNP, anchor: WordsNP, side: Side, ch: list[Any]) -> Condition:
        """``located`` lies within a distance of ``anchor``, on ``side`` of it (or either)."""
        limit: Distance = _one(ch, Distance)
        if limit.unit is not Unit.WORDS or not _ordered_pair(located, anchor):
            raise Reject("a distance in words between two words")
        if _same_item(located, anchor):
            raise Reject("a phrase placed against itself")
        a, b = located.items[0], anchor.items[0]
        if side is Side.EITHER:
            found = disjoin((Precedes(a, b, limit), Precedes(b, a, limit)))
        else:
            found = Precedes(b, a, limit) if side is Side.AFTER else Precedes(a, b, limit)
        return _apply_not(found, _has(ch, "NOT"))

    def words_apart(self, ch: list[Any]) -> Condition:
        """ "'won' and 'prize' are at most 5 words apart" ("within 5 words of each other"): the
        two phrases that far apart, either way round."""
        words = _one(ch, WordsNP)
        if len(words.items) != 2 or words.quant != "all" or words.only:
            raise Reject("two phrases a distance apart")
        located, anchor = (WordsNP((item,), "any") for item in words.items)
        return self._within(located, anchor, Side.EITHER, ch)

    def words_next_is(self, ch: list[Any]) -> Readings:
        """ "the word after 'what' is 'city'" ("the word following 'what'"), "the word right
        before 'hours' is one of 'two', 'three' or 'four'": the anchor and the word side by
        side."""
        anchor, word = [c for c in ch if isinstance(c, WordsNP)]
        side = Side((_tok(ch, "SIDE") or _tok(ch, "POSVERB")).value)  # type: ignore[union-attr]
        if side is Side.EITHER:
            raise Reject("the word on one side of a phrase")
        earlier, later = (anchor, word) if side is Side.AFTER else (word, anchor)
        return _side_by_side(earlier, later, _has(ch, "NOT"))

    def next_word_is(self, ch: list[Any]) -> Readings:
        """ "'who' starts it and the next word is 'invented'", "e1 = 'pile' and next word 'of'":
        the words right after what was named last (a phrase, or an entity)."""
        anchor = _tok(ch, "NEXTWORD").value  # type: ignore[union-attr]
        words, negated = _one(ch, WordsNP), _has(ch, "NOT")
        kind, _, named = anchor.partition(":")
        if kind == "ent":
            after = Locs((Place((Window(Entity(named), Side.AFTER, _ADJACENT),)),))
            return Readings(tuple(occurs(words, after, negated)))
        return _side_by_side(WordsNP((Phrase(named),), "any"), words, negated)

    def text_words_in_order(self, ch: list[Any]) -> Readings:
        """ "it says 'call' followed by a number" ("... immediately followed by", "... followed
        within three words by"): the words in that order in the text; "the question starts
        with 'who' followed directly by a verb": and the first words at its start."""
        verb = _tok(ch, "TEXTVERB")
        starts = verb is not None and verb.value == Match.STARTS_WITH.value
        if verb is not None and verb.value != Match.CONTAINS.value and not starts:
            raise Reject("a text says (or starts with) some words followed by others")
        found: Condition | Readings
        if _opt(ch, Distance) is not None:
            found = self.words_within_passive(ch)
        elif _has(ch, "IMMED"):
            found = self._adjacent(ch, passive=True)
        else:
            found = self._order(ch, passive=True)
        readings = found.values if isinstance(found, Readings) else (found,)
        if not starts:
            return Readings(readings)
        first = next(c for c in ch if isinstance(c, WordsNP))
        at_start = occurs(first, _at_edge(Side.BEFORE))
        return Readings(tuple(conjoin((a, r)) for a in at_start for r in readings))

    def words_order(self, ch: list[Any]) -> Condition:
        return self._order(ch, passive=False)

    def words_order_passive(self, ch: list[Any]) -> Condition:
        return self._order(ch, passive=True)

    def _order(self, ch: list[Any], passive: bool) -> Condition:
        """ "'reply' is followed by 'stop'", "'x' comes before 'y'": in that order, anywhere."""
        earlier, later = _in_text_order(ch, passive)
        if not _ordered_pair(earlier, later):
            raise Reject("two words in order")
        return _apply_not(Precedes(earlier.items[0], later.items[0]), _has(ch, "NOT"))

    def words_edge(self, ch: list[Any]) -> Readings:
        """ "'Best' starts the sentence", "'great' is the last word of the sentence"."""
        return Readings(tuple(occurs(_one(ch, WordsNP), _at_edge(_edge_side(ch)), _has(ch, "NOT"))))

    def words_edge_n(self, ch: list[Any]) -> Readings:
        """ "the first two words are 'how many'", "the last 2 words of the question are 'stand
        for'": phrases of that many words at the start (end) of the sentence."""
        edge = _FIRST_OR_LAST.get(_tok(ch, "ORDINAL").value)  # type: ignore[union-attr]
        words = _one(ch, WordsNP)
        n = int(_tok(ch, "NUM").value)  # type: ignore[union-attr]
        texts = _alternatives(words)
        if edge is None or not texts or any(len(t.split()) != n for t in texts):
            raise Reject("the first or last N words are phrases of N words")
        return Readings(tuple(occurs(words, _at_edge(edge), _has(ch, "NOT"))))

    def words_within_edge_n(self, ch: list[Any]) -> Condition:
        """ "'win' is one of the first three words" ("in the last 5 words of the message"): the
        phrase has fewer than that many words before (after) it, and fits."""
        edge, n = _first_or_last_n(ch)
        if n > MAX_EDGE_WORDS:  # one form per place: bounded, as the number is the writer's
            raise Reject(f"a phrase among the first or last {n} words")
        texts = _alternatives(_one(ch, WordsNP)) if edge is not None else ()
        found = tuple(
            Occurs((Phrase(t),), Edge(edge, k))  # type: ignore[arg-type]
            for t in texts
            for k in range(n - len(t.split()) + 1)
        )
        if not found:
            raise Reject("phrases among the first or last N words")
        return _apply_not(disjoin(found), _has(ch, "NOT"))

    def words_nth(self, ch: list[Any]) -> Readings:
        """ "the second word is 'film'", "'film' is the third word of the question"."""
        where = Locs((Place((_nth_edge(ch),)),))
        return Readings(tuple(occurs(_one(ch, WordsNP), where, _has(ch, "NOT"))))

    def char_edge(self, ch: list[Any]) -> Readings:
        """ "the last character is a question mark": punctuation at the end (start) of the
        sentence; a letter or digit there is no token of its own, so no reading."""
        words = _one(ch, WordsNP)
        texts = _alternatives(words)
        if not texts or any(any(c.isalnum() for c in t) for t in texts):
            raise Reject("the first or last character of the text is a punctuation mark")
        return Readings(tuple(occurs(words, _at_edge(_edge_side(ch)), _has(ch, "NOT"))))

    def part_same(self, ch: list[Any]) -> Condition:
        a, b = [c for c in ch if isinstance(c, PartRef)]
        if a.part is not b.part:
            raise Reject("compare the same part of two entities")
        verb = _tok(ch, "TEXTVERB")
        match = Match(verb.value) if verb is not None else Match.IS
        return _apply_not(SameText(a.entity, b.entity, match, a.part), _has(ch, "NOT"))

    def part_same_as(self, ch: list[Any]) -> Condition:
        """ "person1 has the same last name as person2"."""
        a, b = [c for c in ch if isinstance(c, Entity)]
        part = Part(_tok(ch, "PART").value)  # type: ignore[union-attr]
        return _apply_not(SameText(a, b, Match.IS, part), _has(ch, "NOT"))

    def part_is(self, ch: list[Any]) -> Condition:
        """ "the first word of person1 is 'Mr'" ("'Mr' is the first word of person1"): the
        entity starts (ends) with it."""
        ref: PartRef = _one(ch, PartRef)
        words: WordsNP = _one(ch, WordsNP)
        match = Match.STARTS_WITH if ref.part is Part.FIRST_WORD else Match.ENDS_WITH
        if ref.part is Part.WHOLE or words.only or words.quant == "none":
            raise Reject("a part of an entity is one word")
        text = EntityText(ref.entity, match, words.items, _quant(words))
        return _apply_not(text, _has(ch, "NOT"))

    def char_is(self, ch: list[Any]) -> Condition:
        """ "the first letter of person1 is 'A'": the entity's text starts with it."""
        words: WordsNP = _one(ch, WordsNP)
        if words.only or words.quant == "none":
            raise Reject("a letter is one of some strings")
        match = Match(_tok(ch, "CHARPART").value)  # type: ignore[union-attr]
        text = EntityText(_one(ch, Entity), match, words.items, _quant(words))
        return _apply_not(text, _has(ch, "NOT"))

    def part(self, ch: list[Any]) -> PartRef:
        return PartRef(_one(ch, Entity), Part(_tok(ch, "PART").value))  # type: ignore[union-attr]

    # ---------------------------------------------------------------- word sets
    def words_list(self, ch: list[Any]) -> Readings:
        items = _items(ch)
        return self._nps(items, "all" if items.conj == "and" else "any")

    def words_none(self, ch: list[Any]) -> Readings:
        return self._nps(_items(ch), "none")

    def words_all(self, ch: list[Any]) -> Readings:
        return self._nps(_items(ch), "all")

    def words_any(self, ch: list[Any]) -> Readings:
        return self._nps(_items(ch), "any")

    def words_count_of(self, ch: list[Any]) -> Readings:
        n = int(_tok(ch, "NUM").value)  # type: ignore[union-attr]
        cmp = _tok(ch, "CMP")
        quant = Quant(_CMPS[cmp.value] if cmp is not None else Cmp.GE, n)
        items = _items(ch)
        quant.check_against("words", len(items.items))
        return self._nps(items, quant)

    def words_nothing(self, ch: list[Any]) -> WordsNP:
        return WordsNP((AnyWord(),), "none")

    def words_only(self, ch: list[Any]) -> Readings:
        items = _items(ch)
        return self._nps(items, "all" if items.conj == "and" else "any", only=True)

    def witems(self, ch: list[Any]) -> Items:
        found = [c for c in ch if isinstance(c, Items)]
        if len(found) == 1:
            return found[0]  # one item (maybe several marks: "parentheses")
        items = tuple(dict.fromkeys(i for c in ch if isinstance(c, Items) for i in c.items))
        if _has(ch, "OR") and _has(ch, "AND"):
            raise Reject("a list joined by both 'and' and 'or'")
        conj = "or" if _has(ch, "OR") else "and" if len(items) > 1 else ""
        return Items(items, conj, _lexical(ch))

    def item_quote(self, ch: list[Any]) -> Items:
        """ "'x'", "the word 'x'" (``lexical``: named as a word, see :meth:`loose`)."""
        noun = _tok(ch, "WORD")
        lexical = noun is not None and noun.value == "word"
        return Items((Phrase(_tok(ch, "QUOTE").value),), "", lexical)  # type: ignore[union-attr]

    def item_quote_pos(self, ch: list[Any]) -> Items:
        """ "the verb 'pushes'", "the adjective 'great'": the word, named by its part of speech
        (a word, so also any form of it, see :meth:`loose`)."""
        if not _tok(ch, "CLASS").value.startswith("pos:"):  # type: ignore[union-attr]
            raise Reject("a word named by its part of speech")
        return Items((Phrase(_tok(ch, "QUOTE").value),), "", True)  # type: ignore[union-attr]

    def item_symbol(self, ch: list[Any]) -> Items:
        marks = _tok(ch, "SYMBOL").value.split()  # type: ignore[union-attr]
        return Items(tuple(Phrase(m) for m in marks), "or")

    def item_word(self, ch: list[Any]) -> Items:
        shape = _tok(ch, "SHAPEADJ")
        return Items((Shape(ShapeKind(shape.value)) if shape else AnyWord(),), "")

    def item_shape(self, ch: list[Any]) -> Items:
        return Items((Shape(ShapeKind(_tok(ch, "SHAPEADJ").value)),), "")  # type: ignore[union-attr]

    def digits(self, ch: list[Any]) -> Digits:
        """ "five digits", "at least 10 digits", "4 or more digits"."""
        cmp = _tok(ch, "CMP") or _tok(ch, "CMPPOST")
        n = int(_tok(ch, "NUM").value)  # type: ignore[union-attr]
        return Digits(_CMPS[cmp.value] if cmp is not None else Cmp.EQ, n)

    def item_digits(self, ch: list[Any]) -> Items:
        """ "a number with five digits", "a 5-digit phone number" ("a four-digit year": a
        number too)."""
        named = _tok(ch, "CLASS")
        if not ((named is not None and named.value == "ent:DATE") or _names_a_number(ch)):
            raise Reject("a number of so many digits")
        return Items((_one(ch, Digits),), "")

    def item_long_number(self, ch: list[Any]) -> Items:
        """ "a long number": one of :data:`LONG_NUMBER` digits or more, longer than a year,
        a price or a time of day."""
        if not _names_a_number(ch):
            raise Reject("only a number is long")
        return Items((Digits(Cmp.GE, LONG_NUMBER),), "")

    def item_digit(self, ch: list[Any]) -> Items:
        """ "a digit", "digits": a number of at least one digit."""
        return Items((Digits(Cmp.GE, 1),), "")

    def item_link(self, ch: list[Any]) -> Items:
        """ "a link": a URL (not the verb "comes between" or "joins")."""
        if _tok(ch, "LINK").value != "link":  # type: ignore[union-attr]
            raise Reject("only the noun 'link' names a URL")
        return Items((Shape(ShapeKind.URL),), "")

    def item_class(self, ch: list[Any]) -> Items:
        if _has(ch, "SHAPEADJ"):
            raise Reject("a shape of a word class has no reading")
        return Items((_class(_tok(ch, "CLASS").value),), "")  # type: ignore[union-attr]

    def item_tagged(self, ch: list[Any]) -> Items:
        """ "a word tagged as a number": the class as a part of speech (or an entity type)."""
        value = _tok(ch, "CLASS").value  # type: ignore[union-attr]
        kind, _, arg = value.partition(":")
        if kind == "shape":
            if arg not in POS_OF_SHAPE:
                raise Reject(f"no part of speech for the shape {arg!r}")
            return Items((PartOfSpeech(POS_OF_SHAPE[arg]),), "")
        return Items((_class(value),), "")

    def item_types(self, ch: list[Any]) -> Items:
        """ "an entity of type person or organization": one mention of any of the types."""
        labels: list[str] = []
        for token in ch:
            if isinstance(token, Token) and token.type == "CLASS":
                kind, _, arg = token.value.partition(":")
                if kind != "ent":
                    raise Reject("'an entity of type' names entity types")
                labels.extend(arg.split(","))
        return Items((EntityType(tuple(dict.fromkeys(labels))),), "")

    def item_lemma(self, ch: list[Any]) -> Items:
        return Items((Lemma(_tok(ch, "QUOTE").value),), "")  # type: ignore[union-attr]

    def item_wordlike(self, ch: list[Any]) -> Items:
        """ "a word containing 'induc'"; "a link (a web address) starting with 'www'": a word
        that does (what it starts with says more than that it is a link)."""
        link = _tok(ch, "LINK")
        if link is not None and link.value != "link":
            raise Reject("the noun 'link' starts with a phrase, not the verb")
        match = Match(_tok(ch, "TEXTVERB").value)  # type: ignore[union-attr]
        inner = _one(ch, Items)
        if inner.conj == "and":
            raise Reject("a word containing 'a' and 'b' has no reading")
        return Items(tuple(_wordlike(match, item) for item in inner.items), "or")

    def item_list(self, ch: list[Any]) -> Items:
        return Items((WordList(_tok(ch, "LIST").value),), "")  # type: ignore[union-attr]


def _distances(pairs: Iterable[tuple[Cmp, int]], unit: Unit) -> list[Distance]:
    out = []
    for cmp, n in pairs:
        try:
            out.append(Distance(cmp, n, unit))
        except LogicTypeError:
            continue
    if not out:
        raise Reject("no distance")
    return out


def _region_in_sequence(left: Sequence[Any], right: Sequence[Any]) -> Region:
    """Where words of a sequence lie: between the nearest entities on their left and right."""
    before = next((t for t in reversed(left) if isinstance(t, Entity)), None)
    after = next((t for t in right if isinstance(t, Entity)), None)
    if before is not None and after is not None:
        return Between(before, after)
    if before is not None:
        return Window(before, Side.AFTER)
    assert after is not None  # a sequence has an entity
    return Window(after, Side.BEFORE)


def _is_token(value: Any, kind: str) -> bool:
    return isinstance(value, Token) and value.type == kind


def _wordlike(match: Match, item: Words) -> Words:
    if item == Shape(ShapeKind.CAPITALIZED) and match is Match.STARTS_WITH:
        return item  # "a word that begins with a capital letter"
    if not isinstance(item, Phrase | WordList):
        raise Reject("a word contains a string or a listed word")
    return WordLike(match, item)


def _items(ch: Sequence[Any]) -> Items:
    """The items of a word phrase ("either 'a' or 'b'" has two item lists: merged)."""
    found = [c for c in ch if isinstance(c, Items)]
    if len(found) == 1:
        return found[0]
    conj = "or" if _has(ch, "OR") or _has(ch, "NOR") else "and"
    return Items(tuple(dict.fromkeys(i for f in found for i in f.items)), conj, _lexical(found))


def _lexical(ch: Sequence[Any]) -> bool:
    """Whether some of these items name a quoted word as a word."""
    return any(c.lexical for c in ch if isinstance(c, Items))


def _ents(ch: Sequence[Any], conj: str) -> Ents:
    entities = tuple(c for c in ch if isinstance(c, Entity))
    if len(set(entities)) != len(entities):
        raise Reject("an entity named twice")
    return Ents(entities, conj)


def _pair(ents: Ents) -> tuple[Entity, Entity]:
    if len(ents.entities) != 2 or ents.conj != "and":
        raise Reject("two entities")
    return ents.entities[0], ents.entities[1]


def _is_condition(value: Any) -> bool:
    return isinstance(value, CONDITION_TYPES)


def _condition(ch: Sequence[Any]) -> Condition:
    found = [c for c in ch if _is_condition(c)]
    if len(found) != 1:
        raise Reject("expected one condition")
    condition: Condition = found[0]
    return condition


# --------------------------------------------------------------------------- evaluation


class Deadline(Exception):
    """Evaluation ran past its deadline."""


def evaluate(
    chart: Chart, terms: Sequence[str], semantics: Semantics, limit: int, deadline: float
) -> list[LabelingRule]:
    """Every distinct logical form of a recognized input, at most ``limit`` of them.

    ``terms`` are the values of the input's terminals (a quote's text, an entity's role ...).
    Raises :class:`Deadline` past ``deadline`` (a :func:`~babble.parse._clock.parse_time`
    value: the parsing thread's CPU time outside the garbage collector).
    """
    names = chart.grammar.names
    calls = itertools.count()

    def leaf(position: int) -> Token:
        return Token(names[chart.tokens[position]], terms[position], start_pos=position)

    def build(handler: str, children: tuple[Any, ...]) -> list[Any]:
        if next(calls) % 64 == 63 and parse_time() > deadline:
            raise Deadline()
        try:
            result = getattr(semantics, handler)(list(children))
        except (Reject, LogicTypeError, ValueError):
            return []
        return list(result.values) if isinstance(result, Readings) else [result]

    derivations = Derivations(chart, leaf, build, cap=max(limit * 4, 64))
    found = derivations.values(chart.grammar.start, 0, len(chart.tokens))
    return [v[0] for v in found if len(v) == 1 and isinstance(v[0], LabelingRule)][:limit]
