"""Logical forms: the small typed language an explanation is parsed into.

A parse of an explanation is a :class:`LabelingRule`: a label and a boolean :data:`Condition` over
one candidate. The language has four sorts, and every node belongs to exactly one:

* **entities** -- :class:`Entity`, a candidate's span named by role (``subject``, ``object``,
  ``target``);
* **word sets** (:data:`Words`) -- what a token or phrase must look like: a quoted :class:`Phrase`,
  a named :class:`WordList`, a :class:`Lemma`, a :class:`PartOfSpeech`, an :class:`EntityType`, a
  :class:`Shape` (capitalised, punctuation, number ...), a number of so many :class:`Digits`, any
  word (:class:`AnyWord`) or a word that contains / starts with / ends with a string
  (:class:`WordLike`);
* **regions** (:data:`Region`) -- where in the sentence to look: the whole :class:`Sentence`, the
  tokens :class:`Between` two entities, a :class:`Window` on one side of an entity, the tokens
  :class:`Inside` an entity, or the :class:`Edge` of the sentence (its start or its end);
* **conditions** (:data:`Condition`) -- booleans: :class:`And`, :class:`Or`, :class:`Not`, word
  occurrence (:class:`Occurs`), counting (:class:`Count`), entity order and distance
  (:class:`Order`, :class:`Apart`), word order (:class:`Precedes`) and entity text
  (:class:`EntityText`, :class:`SameText`, :class:`EntityLength`).

Every node is a frozen, hashable dataclass, so distinct parses dedupe with a ``set``. Each
constructor checks its sort and its numbers and raises :class:`~babble.errors.LogicTypeError` on an
ill-typed combination (a region where a word set belongs, "at least 3 of" two words, ``within 0
words``), so the parser rejects such a reading while parsing, never at labeling time.
:class:`And` and :class:`Or` flatten nested conjunctions and drop repeated parts, so equivalent
parses compare equal.

Semantics (shared by the interpreter and the paraphraser)
--------------------------------------------------------
* Tokens are the candidate's preprocessed tokens; matching is case-insensitive unless a
  :class:`Shape` asks about case. A multi-word :class:`Phrase` matches a run of consecutive tokens
  (tokenised the same way as the sentence); an occurrence lies in a region when all its tokens do.
* Word distance: the number of tokens strictly between two things plus one, so adjacent things are
  1 word apart ("immediately before A" is ``Window(A, BEFORE, Distance(EQ, 1))``, "within 3 words
  after A" is ``Window(A, AFTER, Distance(LE, 3))``). A distance counts every token, punctuation
  included ("immediately before" means nothing at all in between), except a hyphen that joins
  two words (:data:`JOINING_HYPHENS`, no space on either side): in "Lidocaine-induced", 'induced'
  is right after Lidocaine, as a reader sees it. :class:`AnyWord` matches words only, so "3 words
  between" counts no punctuation. Character distance: the characters strictly between the end of
  the earlier thing and the start of the later one.
* An entity is never part of a region: ``Between(a, b)`` is the tokens strictly between the two
  spans (whichever comes first); a :class:`Window` excludes its anchor.
* :class:`Occurs` counts how many of its *items* occur in the region (``Quant(GE, 1)`` = any of
  them, ``Quant(EQ, len(items))`` = all of them, ``Quant(EQ, 0)`` = none of them); with
  ``whole=True`` an item must fill the region exactly ("directly between", "the only words
  between"). :class:`Count` counts matching *tokens* (phrase occurrences; for :class:`EntityType`,
  entity mentions) in the region.

Examples
--------
>>> rule = LabelingRule(1, Occurs((Phrase("his wife"),), Window(Entity("object"), Side.BEFORE,
...     Distance(Cmp.EQ, 1))))
>>> rule == LabelingRule(1, Occurs((Phrase("his wife"),), Window(Entity("object"), Side.BEFORE,
...     Distance(Cmp.EQ, 1))))
True
>>> And((And((Not(rule.condition), rule.condition)), rule.condition)).parts == (
...     Not(rule.condition), rule.condition)
True
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from enum import Enum
from types import MappingProxyType
from typing import TypeAlias

from babble.errors import LogicTypeError
from babble.types import ROLES

# --------------------------------------------------------------------------- enumerations


class Cmp(Enum):
    """A comparison of a measured integer ``x`` with a bound ``n`` (``x <cmp> n``).

    Examples
    --------
    >>> Cmp.LE.holds(3, 3), Cmp.LT.holds(3, 3), Cmp.GT.negated()
    (True, False, <Cmp.LE: '<='>)
    """

    EQ = "=="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="

    def holds(self, x: int, n: int) -> bool:
        """Whether ``x <self> n``."""
        if self is Cmp.EQ:
            return x == n
        if self is Cmp.NE:
            return x != n
        if self is Cmp.LT:
            return x < n
        if self is Cmp.LE:
            return x <= n
        if self is Cmp.GT:
            return x > n
        return x >= n

    def negated(self) -> Cmp:
        """The comparison that holds exactly when this one does not."""
        return _NEGATED[self]

    def satisfiable(self, n: int, low: int, high: int | None = None) -> bool:
        """Whether some ``x`` in ``low..high`` (``None``: unbounded) satisfies ``x <self> n``."""
        if high is not None and high < low:
            return False
        # in closed form, not by scanning the range: n comes from the explanation, unbounded
        if self is Cmp.EQ:
            return low <= n and (high is None or n <= high)
        if self is Cmp.NE:
            return high != low or low != n
        if self in (Cmp.LT, Cmp.LE):
            return self.holds(low, n)  # the smallest x is the best chance
        return high is None or self.holds(high, n)  # GT, GE: the largest x

    def trivial(self, n: int, low: int, high: int | None = None) -> bool:
        """Whether every ``x`` in ``low..high`` satisfies it (the comparison says nothing)."""
        if high is None:
            return self in (Cmp.GE, Cmp.GT, Cmp.NE) and not self.negated().satisfiable(n, low)
        return not self.negated().satisfiable(n, low, high)


_NEGATED = {
    Cmp.EQ: Cmp.NE,
    Cmp.NE: Cmp.EQ,
    Cmp.LT: Cmp.GE,
    Cmp.LE: Cmp.GT,
    Cmp.GT: Cmp.LE,
    Cmp.GE: Cmp.LT,
}


class Unit(Enum):
    """What a distance or a length counts: tokens or characters."""

    WORDS = "words"
    CHARS = "characters"


class Side(Enum):
    """Which side of an anchor entity a :class:`Window` looks at."""

    BEFORE = "before"
    AFTER = "after"
    EITHER = "either"


class Match(Enum):
    """How a text relates to a pattern: equal to it, containing it, starting or ending with it."""

    IS = "is"
    CONTAINS = "contains"
    STARTS_WITH = "starts with"
    ENDS_WITH = "ends with"


class ShapeKind(Enum):
    """Surface classes of a token that need no dictionary."""

    CAPITALIZED = "capitalized"
    ALL_CAPS = "all caps"
    LOWERCASE = "lowercase"
    PUNCTUATION = "punctuation"
    NUMBER = "number"
    URL = "url"
    EMAIL = "email"


class Part(Enum):
    """Which part of an entity's text :class:`SameText` compares."""

    WHOLE = "whole"
    FIRST_WORD = "first word"
    LAST_WORD = "last word"


UNIVERSAL_POS = frozenset(
    {"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN"}
    | {"PUNCT", "SCONJ", "SYM", "VERB", "X"}
)
"""The Universal Dependencies part-of-speech tags :class:`PartOfSpeech` accepts."""

POS_OF_SHAPE: Mapping[str, str] = MappingProxyType({"number": "NUM", "punctuation": "PUNCT"})
"""Shape kinds (by value) that name a part of speech too: "a word tagged as a number" is
``PartOfSpeech("NUM")``, "a number" alone is ``Shape(ShapeKind.NUMBER)``."""


def _fail(node: object, message: str) -> LogicTypeError:
    return LogicTypeError(f"{type(node).__name__}: {message}")


def _check_int(node: object, name: str, value: object, low: int = 0) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise _fail(node, f"{name} must be an integer >= {low}, got {value!r}")


def _check_text(node: object, name: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise _fail(node, f"{name} must be a non-empty string, got {value!r}")


# --------------------------------------------------------------------------- entities


@dataclass(frozen=True)
class Entity:
    """A candidate's entity span, by role (see :data:`babble.types.ROLES`).

    Examples
    --------
    >>> Entity("subject")
    Entity(role='subject')
    """

    role: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise _fail(self, f"role must be one of {ROLES}, got {self.role!r}")


# --------------------------------------------------------------------------- word sets


@dataclass(frozen=True)
class Phrase:
    """A literal word or phrase, e.g. ``'his wife'`` (matched case-insensitively)."""

    text: str

    def __post_init__(self) -> None:
        _check_text(self, "text", self.text)


@dataclass(frozen=True)
class WordList:
    """A named word list the task or user supplies (CDR's ``causal``); any entry matches."""

    name: str

    def __post_init__(self) -> None:
        _check_text(self, "name", self.name)


@dataclass(frozen=True)
class Lemma:
    """Any inflection of a word: "a form of 'marry'" matches married, marries, marrying."""

    word: str

    def __post_init__(self) -> None:
        _check_text(self, "word", self.word)


@dataclass(frozen=True)
class PartOfSpeech:
    """A token with this Universal POS tag ("a verb" is ``PartOfSpeech("VERB")``)."""

    tag: str

    def __post_init__(self) -> None:
        if self.tag not in UNIVERSAL_POS:
            raise _fail(self, f"tag must be one of {sorted(UNIVERSAL_POS)}, got {self.tag!r}")


@dataclass(frozen=True)
class EntityType:
    """A named-entity mention of one of these NER labels ("a person" is ``("PERSON",)``)."""

    labels: tuple[str, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.labels, tuple) or not self.labels:
            raise _fail(self, f"labels must be a non-empty tuple, got {self.labels!r}")
        for label in self.labels:
            _check_text(self, "label", label)


@dataclass(frozen=True)
class Shape:
    """A token of a surface class: capitalised, all caps, lower case, punctuation, a number."""

    kind: ShapeKind

    def __post_init__(self) -> None:
        if not isinstance(self.kind, ShapeKind):
            raise _fail(self, f"kind must be a ShapeKind, got {self.kind!r}")


@dataclass(frozen=True)
class AnyWord:
    """Any word ("a word", "words"): a token that is neither punctuation, nor whitespace, nor a
    clitic written onto the word before it (:data:`CLITICS`), so "there are 3 words between"
    counts the words of "John's wife, Ann" as an English reader does."""


@dataclass(frozen=True)
class WordLike:
    """A token whose text contains / starts with / ends with a string of ``pattern``.

    ``pattern`` is a :class:`Phrase` or a :class:`WordList` ("a word containing 'induc'", "a word
    that starts with a word in the uncertain list"). ``Match.IS`` is not allowed: that is the
    pattern itself.
    """

    match: Match
    pattern: Phrase | WordList

    def __post_init__(self) -> None:
        if self.match is Match.IS or not isinstance(self.match, Match):
            raise _fail(
                self, f"match must be CONTAINS, STARTS_WITH or ENDS_WITH, not {self.match!r}"
            )
        if not isinstance(self.pattern, Phrase | WordList):
            raise _fail(self, f"pattern must be a Phrase or a WordList, got {self.pattern!r}")


@dataclass(frozen=True)
class Digits:
    """A number written in digits, ``cmp`` ``n`` of them ("a number with five digits", "a phone
    number with at least 10 digits", "a digit"): a token of the digits 0-9 and, between them,
    the separators "," and "." only; its digits are counted ("1,000" has four).

    Examples
    --------
    >>> Digits(Cmp.EQ, 5).holds("87121")
    True
    >>> Digits(Cmp.GE, 4).holds("1,000"), Digits(Cmp.GE, 1).holds("five")
    (True, False)
    """

    cmp: Cmp
    n: int

    def __post_init__(self) -> None:
        _check_int(self, "n", self.n)
        if not isinstance(self.cmp, Cmp) or not self.cmp.satisfiable(self.n, 1):
            raise _fail(self, f"no number of at least 1 digit has {self.cmp!r} {self.n} digits")

    def holds(self, text: str) -> bool:
        """Whether the token text ``text`` is such a number."""
        digits = text.replace(",", "").replace(".", "")
        ok = digits.isascii() and digits.isdigit() and text[0].isdigit() and text[-1].isdigit()
        return ok and self.cmp.holds(len(digits), self.n)


CLITICS = frozenset(
    {"'s", "'re", "'ve", "'ll", "'d", "'m", "n't", "\u2019s", "\u2019re", "\u2019ve"}
    | {"\u2019ll", "\u2019d", "\u2019m", "n\u2019t"}
)
"""Lower-case tokens that a tokenizer splits off the word they are written onto ("John's",
"don't"): part of that word, so never a word (:class:`AnyWord`) of their own."""

JOINING_HYPHENS = frozenset({"-", "\u2010", "\u2011"})
"""Hyphens a tokenizer splits out of a hyphenated word ("Lidocaine-induced", "ex-wife"): written
with no space on either side, such a token joins two words and is no distance between them."""

Words: TypeAlias = (
    Phrase | WordList | Lemma | PartOfSpeech | EntityType | Shape | Digits | AnyWord | WordLike
)
"""A word set: what one token (or, for a :class:`Phrase`, a run of tokens) must look like."""

WORD_TYPES = (Phrase, WordList, Lemma, PartOfSpeech, EntityType, Shape, Digits, AnyWord, WordLike)


def _check_items(node: object, items: object) -> None:
    if not isinstance(items, tuple) or not items:
        raise _fail(node, f"items must be a non-empty tuple of word sets, got {items!r}")
    for item in items:
        if not isinstance(item, WORD_TYPES):
            raise _fail(node, f"items must be word sets, got {item!r}")
    if len(set(items)) != len(items):
        raise _fail(node, f"items must be distinct, got {items!r}")


# --------------------------------------------------------------------------- quantities


@dataclass(frozen=True)
class Distance:
    """A bound on a distance: ``distance <cmp> n`` in ``unit`` (see the module's semantics).

    Examples
    --------
    >>> Distance(Cmp.LE, 3).unit
    <Unit.WORDS: 'words'>
    >>> Distance(Cmp.LE, 0)
    Traceback (most recent call last):
    ...
    babble.errors.LogicTypeError: [E410] Distance: no distance of at least 1 words is <= 0
    """

    cmp: Cmp
    n: int
    unit: Unit = Unit.WORDS

    def __post_init__(self) -> None:
        _check_int(self, "n", self.n)
        if not isinstance(self.cmp, Cmp) or not isinstance(self.unit, Unit):
            raise _fail(self, f"cmp must be a Cmp and unit a Unit, got {self.cmp!r}, {self.unit!r}")
        low = 1 if self.unit is Unit.WORDS else 0
        if not self.cmp.satisfiable(self.n, low):
            unit = self.unit.value
            raise _fail(self, f"no distance of at least {low} {unit} is {self.cmp.value} {self.n}")


@dataclass(frozen=True)
class Quant:
    """How many items must occur: ``count <cmp> n`` (any = ``GE 1``, none = ``EQ 0``).

    Examples
    --------
    >>> ANY, NONE
    (Quant(cmp=<Cmp.GE: '>='>, n=1), Quant(cmp=<Cmp.EQ: '=='>, n=0))
    """

    cmp: Cmp
    n: int

    def __post_init__(self) -> None:
        _check_int(self, "n", self.n)
        if not isinstance(self.cmp, Cmp):
            raise _fail(self, f"cmp must be a Cmp, got {self.cmp!r}")

    def check_against(self, node: object, size: int) -> None:
        """Raise :class:`LogicTypeError` unless some, but not every, count in ``0..size`` fits."""
        if not self.cmp.satisfiable(self.n, 0, size):
            raise _fail(node, f"no count of {size} items is {self.cmp.value} {self.n}")
        if self.cmp.trivial(self.n, 0, size):
            raise _fail(node, f"every count of {size} items is {self.cmp.value} {self.n}")


ANY = Quant(Cmp.GE, 1)
"""At least one of the items."""

NONE = Quant(Cmp.EQ, 0)
"""None of the items."""


def all_items(n_items: int) -> Quant:
    """The quantifier "all of these ``n_items`` items"."""
    return Quant(Cmp.EQ, n_items)


# --------------------------------------------------------------------------- regions


@dataclass(frozen=True)
class Sentence:
    """The whole sentence, the candidate's entities included."""


@dataclass(frozen=True)
class Between:
    """The tokens strictly between two distinct entities, whichever comes first."""

    a: Entity
    b: Entity

    def __post_init__(self) -> None:
        if not isinstance(self.a, Entity) or not isinstance(self.b, Entity):
            raise _fail(self, f"needs two entities, got {self.a!r}, {self.b!r}")
        if self.a == self.b:
            raise _fail(self, f"needs two different entities, got {self.a.role} twice")


@dataclass(frozen=True)
class Window:
    """Tokens on one side (or both) of ``anchor``, optionally no farther than ``limit``.

    ``Window(A, Side.BEFORE)`` is everything left of A; ``Window(A, Side.EITHER, Distance(LE, 3))``
    is "within three words of A".
    """

    anchor: Entity
    side: Side
    limit: Distance | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.anchor, Entity) or not isinstance(self.side, Side):
            raise _fail(self, f"needs an entity and a side, got {self.anchor!r}, {self.side!r}")
        if self.limit is not None and not isinstance(self.limit, Distance):
            raise _fail(self, f"limit must be a Distance or None, got {self.limit!r}")
        if self.side is Side.EITHER and self.limit is None:
            raise _fail(self, "a window on either side needs a limit (else it is the sentence)")


@dataclass(frozen=True)
class Inside:
    """The tokens of an entity's own span ("'Mr' is in person1")."""

    entity: Entity

    def __post_init__(self) -> None:
        if not isinstance(self.entity, Entity):
            raise _fail(self, f"needs an entity, got {self.entity!r}")


@dataclass(frozen=True)
class Edge:
    """The start (``Side.BEFORE``) or the end (``Side.AFTER``) of the sentence: an occurrence
    lies there when no word comes before (after) it; punctuation may ("'Best' starts the
    sentence"; "the sentence ends with 'great'" though a period follows). With ``skip`` = n,
    exactly n words come before (after) it: "the second word is 'film'" is ``skip=1``."""

    side: Side
    skip: int = 0

    def __post_init__(self) -> None:
        _check_int(self, "skip", self.skip)
        if self.side not in (Side.BEFORE, Side.AFTER):
            raise _fail(
                self, f"side must be before (the start) or after (the end), got {self.side!r}"
            )


Region: TypeAlias = Sentence | Between | Window | Inside | Edge
"""Where in the sentence a word set is looked for."""

REGION_TYPES = (Sentence, Between, Window, Inside, Edge)


# --------------------------------------------------------------------------- conditions


@dataclass(frozen=True)
class And:
    """All parts hold. Nested conjunctions are flattened and repeated parts dropped."""

    parts: tuple[Condition, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", _flatten(self, And, self.parts))


@dataclass(frozen=True)
class Or:
    """At least one part holds. Nested disjunctions are flattened and repeated parts dropped."""

    parts: tuple[Condition, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", _flatten(self, Or, self.parts))


@dataclass(frozen=True)
class Not:
    """The part does not hold."""

    part: Condition

    def __post_init__(self) -> None:
        if not isinstance(self.part, CONDITION_TYPES):
            raise _fail(self, f"part must be a condition, got {self.part!r}")


@dataclass(frozen=True)
class Occurs:
    """``quant`` of the ``items`` occur in ``where`` (with ``whole``: fill it exactly).

    Examples
    --------
    >>> between = Between(Entity("subject"), Entity("object"))
    >>> Occurs((Phrase("wife"), Phrase("husband")), between).quant == ANY
    True
    >>> Occurs((Phrase("wife"),), between, Quant(Cmp.GE, 2))
    Traceback (most recent call last):
    ...
    babble.errors.LogicTypeError: [E410] Occurs: no count of 1 items is >= 2
    """

    items: tuple[Words, ...]
    where: Region
    quant: Quant = ANY
    whole: bool = False

    def __post_init__(self) -> None:
        _check_items(self, self.items)
        if not isinstance(self.where, REGION_TYPES):
            raise _fail(self, f"where must be a region, got {self.where!r}")
        if not isinstance(self.quant, Quant):
            raise _fail(self, f"quant must be a Quant, got {self.quant!r}")
        self.quant.check_against(self, len(self.items))
        if self.whole and not isinstance(self.where, Between | Inside):
            raise _fail(self, "whole=True needs a bounded region (Between or Inside)")


@dataclass(frozen=True)
class Count:
    """The number of tokens matching ``words`` in ``where`` satisfies ``<cmp> n``.

    Examples
    --------
    >>> Count(AnyWord(), Between(Entity("subject"), Entity("object")), Cmp.LE, 4).n
    4
    """

    words: Words
    where: Region
    cmp: Cmp
    n: int

    def __post_init__(self) -> None:
        if not isinstance(self.words, WORD_TYPES):
            raise _fail(self, f"words must be a word set, got {self.words!r}")
        if not isinstance(self.where, REGION_TYPES):
            raise _fail(self, f"where must be a region, got {self.where!r}")
        _check_int(self, "n", self.n)
        if not isinstance(self.cmp, Cmp):
            raise _fail(self, f"cmp must be a Cmp, got {self.cmp!r}")
        if not self.cmp.satisfiable(self.n, 0) or self.cmp.trivial(self.n, 0):
            raise _fail(self, f"a count {self.cmp.value} {self.n} is always or never true")


@dataclass(frozen=True)
class Order:
    """Entity ``first`` ends before ``second`` starts, optionally within ``gap``.

    "the chemical precedes the disease by no more than 100 characters" is
    ``Order(chemical, disease, Distance(LE, 100, CHARS))``.
    """

    first: Entity
    second: Entity
    gap: Distance | None = None

    def __post_init__(self) -> None:
        _check_pair(self, self.first, self.second)
        if self.gap is not None and not isinstance(self.gap, Distance):
            raise _fail(self, f"gap must be a Distance or None, got {self.gap!r}")


@dataclass(frozen=True)
class Apart:
    """Two entities are ``gap`` apart, in either order ("within 3 words of each other")."""

    a: Entity
    b: Entity
    gap: Distance

    def __post_init__(self) -> None:
        _check_pair(self, self.a, self.b)
        if not isinstance(self.gap, Distance):
            raise _fail(self, f"gap must be a Distance, got {self.gap!r}")


@dataclass(frozen=True)
class EntityText:
    """An entity's text ``match``-es ``quant`` of ``items`` ("person2 starts with 'Mr'").

    For a string item (:class:`Phrase`, :class:`WordList`, :class:`Lemma`) the match is on the
    text (``CONTAINS`` is a substring test). For a token class (:class:`PartOfSpeech`,
    :class:`EntityType`, :class:`Shape`, :class:`WordLike`), ``IS`` means every token of the entity
    is of the class, ``CONTAINS`` some token, ``STARTS_WITH`` / ``ENDS_WITH`` the first / last.
    """

    entity: Entity
    match: Match
    items: tuple[Words, ...]
    quant: Quant = ANY

    def __post_init__(self) -> None:
        if not isinstance(self.entity, Entity) or not isinstance(self.match, Match):
            raise _fail(self, f"needs an entity and a Match, got {self.entity!r}, {self.match!r}")
        _check_items(self, self.items)
        if any(isinstance(item, AnyWord) for item in self.items):
            raise _fail(self, "an entity always consists of words; name what kind")
        if not isinstance(self.quant, Quant):
            raise _fail(self, f"quant must be a Quant, got {self.quant!r}")
        self.quant.check_against(self, len(self.items))


@dataclass(frozen=True)
class SameText:
    """Part of entity ``a``'s text ``match``-es the same part of entity ``b``'s text.

    "person1 is the same as person2" is ``SameText(p1, p2, Match.IS, Part.WHOLE)``; "the last word
    of person1 is the same as the last word of person2" uses ``Part.LAST_WORD``.
    """

    a: Entity
    b: Entity
    match: Match = Match.IS
    part: Part = Part.WHOLE

    def __post_init__(self) -> None:
        _check_pair(self, self.a, self.b)
        if not isinstance(self.match, Match) or not isinstance(self.part, Part):
            raise _fail(self, f"needs a Match and a Part, got {self.match!r}, {self.part!r}")


@dataclass(frozen=True)
class EntityLength:
    """An entity's length in ``unit`` satisfies ``<cmp> n`` ("person1 is one word long")."""

    entity: Entity
    cmp: Cmp
    n: int
    unit: Unit = Unit.WORDS

    def __post_init__(self) -> None:
        if not isinstance(self.entity, Entity):
            raise _fail(self, f"needs an entity, got {self.entity!r}")
        _check_int(self, "n", self.n)
        if not isinstance(self.cmp, Cmp) or not isinstance(self.unit, Unit):
            raise _fail(self, f"cmp must be a Cmp and unit a Unit, got {self.cmp!r}, {self.unit!r}")
        if not self.cmp.satisfiable(self.n, 1) or self.cmp.trivial(self.n, 1):
            raise _fail(self, f"a length {self.cmp.value} {self.n} is always or never true")


@dataclass(frozen=True)
class Precedes:
    """Some occurrence of ``first`` ends before some occurrence of ``second`` starts, anywhere
    in the sentence ("'check' is followed by 'out'", "'reply' comes before 'stop'", "'call' is
    followed by a number"); each is a word set other than :class:`AnyWord` (any word says
    nothing about order). With ``limit``, ``second`` starts within that many words after
    ``first`` ends, counted as for :class:`Order` (1: right after; "'term' comes within 3 words
    after 'what'")."""

    first: Words
    second: Words
    limit: Distance | None = None

    def __post_init__(self) -> None:
        for item in (self.first, self.second):
            if not isinstance(item, WORD_TYPES) or isinstance(item, AnyWord):
                raise _fail(self, f"needs word sets other than any word, got {item!r}")
        if self.limit is not None and (
            not isinstance(self.limit, Distance) or self.limit.unit is not Unit.WORDS
        ):
            raise _fail(self, f"limit must be a Distance in words, got {self.limit!r}")


Condition: TypeAlias = (
    And
    | Or
    | Not
    | Occurs
    | Count
    | Order
    | Apart
    | EntityText
    | SameText
    | EntityLength
    | Precedes
)
"""A boolean over one candidate."""

CONDITION_TYPES = (
    *(And, Or, Not, Occurs, Count, Order, Apart, EntityText, SameText, EntityLength),
    Precedes,
)


def _check_pair(node: object, a: object, b: object) -> None:
    if not isinstance(a, Entity) or not isinstance(b, Entity):
        raise _fail(node, f"needs two entities, got {a!r}, {b!r}")
    if a == b:
        raise _fail(node, f"needs two different entities, got {a.role} twice")


def _flatten(node: object, kind: type[And] | type[Or], parts: object) -> tuple[Condition, ...]:
    if not isinstance(parts, tuple):
        raise _fail(node, f"parts must be a tuple of conditions, got {parts!r}")
    flat: list[Condition] = []
    for part in parts:
        if not isinstance(part, CONDITION_TYPES):
            raise _fail(node, f"parts must be conditions, got {part!r}")
        for sub in part.parts if isinstance(part, kind) else (part,):
            if sub not in flat:
                flat.append(sub)
    if len(flat) < 2:
        raise _fail(node, f"needs at least two different parts, got {len(flat)}")
    return tuple(flat)


# --------------------------------------------------------------------------- the root


@dataclass(frozen=True)
class LabelingRule:
    """The root of a parse: vote ``label`` (an integer of the task's label space) when
    ``condition`` holds, else abstain.

    Examples
    --------
    >>> LabelingRule(0, Order(Entity("subject"), Entity("object"))).label
    0
    """

    label: int
    condition: Condition

    def __post_init__(self) -> None:
        _check_int(self, "label", self.label)
        if not isinstance(self.condition, CONDITION_TYPES):
            raise _fail(self, f"condition must be a condition, got {self.condition!r}")


Node: TypeAlias = LabelingRule | Condition | Region | Words | Entity | Distance | Quant
"""Any logical-form node."""


# --------------------------------------------------------------------------- helpers


def conjoin(parts: tuple[Condition, ...]) -> Condition:
    """``And(parts)``, or the single part when all parts are the same.

    Examples
    --------
    >>> c = Order(Entity("subject"), Entity("object"))
    >>> conjoin((c, c)) == c
    True
    """
    unique = tuple(dict.fromkeys(parts))
    return unique[0] if len(unique) == 1 else And(unique)


def disjoin(parts: tuple[Condition, ...]) -> Condition:
    """``Or(parts)``, or the single part when all parts are the same."""
    unique = tuple(dict.fromkeys(parts))
    return unique[0] if len(unique) == 1 else Or(unique)


def never_holds(conjunction: And) -> bool:
    """Whether a conjunction says one thing and its opposite: a part and its negation, or a word
    both in the text and nowhere in it (a sound check, not a complete one: ``False`` does not
    mean some text satisfies it). The parser gives no such reading: nobody explains a label with
    a rule that never holds.

    Examples
    --------
    >>> free = Occurs((Phrase("free"),), Sentence())
    >>> never_holds(And((Occurs((Phrase("free"), Phrase("win")), Sentence(), NONE), free)))
    True
    >>> never_holds(And((Not(free), Occurs((Phrase("win"),), Sentence()))))
    False
    """
    parts = conjunction.parts
    present: set[Words] = set()
    absent: set[Words] = set()
    for part in parts:
        if isinstance(part, Not) and part.part in parts:
            return True
        negated = isinstance(part, Not)
        occurs = part.part if isinstance(part, Not) else part
        if not isinstance(occurs, Occurs):
            continue
        size, quant = len(occurs.items), occurs.quant
        # which counts of its items make the part hold
        counts = [k for k in range(size + 1) if quant.cmp.holds(k, quant.n) != negated]
        if counts == [size]:  # every item occurs (in a region: so in the text)
            present.update(occurs.items)
        elif counts == [0] and isinstance(occurs.where, Sentence):  # none occurs anywhere
            absent.update(occurs.items)
    return not present.isdisjoint(absent)


def negate(condition: Condition) -> Condition:
    """``Not(condition)``, cancelling a double negation.

    Examples
    --------
    >>> c = Order(Entity("subject"), Entity("object"))
    >>> negate(negate(c)) == c
    True
    """
    return condition.part if isinstance(condition, Not) else Not(condition)


def children(node: Node) -> Iterator[Node]:
    """The direct sub-nodes of ``node`` (entities, word sets, regions, conditions ...)."""
    for f in fields(node):
        value = getattr(node, f.name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, _NODE_TYPES):
                yield item


def walk(node: Node) -> Iterator[Node]:
    """``node`` and all nodes below it, depth first, parents before children."""
    yield node
    for child in children(node):
        yield from walk(child)


def roles_used(node: Node) -> frozenset[str]:
    """The entity roles a logical form mentions.

    Examples
    --------
    >>> sorted(roles_used(Order(Entity("subject"), Entity("object"))))
    ['object', 'subject']
    """
    return frozenset(n.role for n in walk(node) if isinstance(n, Entity))


def word_lists_used(node: Node) -> frozenset[str]:
    """The names of the word lists a logical form mentions."""
    return frozenset(n.name for n in walk(node) if isinstance(n, WordList))


def depth(node: Node) -> int:
    """The height of the tree below ``node`` (a leaf is 1)."""
    return 1 + max((depth(child) for child in children(node)), default=0)


_NODE_TYPES = (
    LabelingRule,
    *CONDITION_TYPES,
    *REGION_TYPES,
    *WORD_TYPES,
    Entity,
    Distance,
    Quant,
)
