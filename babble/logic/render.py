"""Logical forms as text: a compact S-expression (exact, both ways) and one English sentence.

:func:`to_sexpr` / :func:`from_sexpr` round-trip every :class:`~babble.logic.forms.LabelingRule`
exactly. The reader is a few lines of tokenising and list building -- it never evaluates
anything -- and the logical-form constructors type-check what it builds. The format::

    rule     (rule LABEL COND)
    COND     (and COND COND ...) | (or COND COND ...) | (not COND)
             | (occurs QUANT REGION ITEM ...)         ; (fills ...): Occurs with whole=True
             | (count ITEM REGION CMP N) | (order ENT ENT [DIST]) | (apart ENT ENT DIST)
             | (text ENT MATCH QUANT ITEM ...) | (same ENT ENT MATCH PART)
             | (length ENT CMP N UNIT)
    REGION   (sentence) | (between ENT ENT) | (window ENT SIDE [DIST]) | (inside ENT)
    ITEM     "phrase" | (list "name") | (lemma "word") | (pos TAG) | (ent "LABEL" ...)
             | (shape KIND) | (word) | (word-contains P) | (word-starts-with P)
             | (word-ends-with P)                     ; P: "phrase" or (list "name")
    QUANT    any | none | all | (CMP N)       DIST  (CMP N) | (CMP N characters)
    ENT      subject | object | target        CMP   == != < <= > >=

Strings are JSON string literals. :func:`paraphrase` renders a rule as one short English
sentence in the constructions the parser's grammar reads (``grammar/*.lark``), naming entities
by the task's first alias and word classes by the first lexicon phrase of their value ("a
word tagged as a number" for a part of speech named only by a shape, "an entity of type person
or date" for a set of entity types), so that parsing the paraphrase gives the rule back
(:func:`expressible` says which word classes have lexicon words).

Examples
--------
>>> from babble.logic.forms import Cmp, Distance, Entity, Occurs, Phrase, Side, Window
>>> rule = LabelingRule(1, Occurs((Phrase("his wife"),), Window(Entity("object"), Side.BEFORE,
...     Distance(Cmp.EQ, 1))))
>>> to_sexpr(rule)
'(rule 1 (occurs any (window object before (== 1)) "his wife"))'
>>> from_sexpr(to_sexpr(rule)) == rule
True
>>> from babble.types import LabelSpace
>>> space = LabelSpace(("other", "spouse"), entity_aliases={"person1": "subject",
...                                                         "person2": "object"})
>>> paraphrase(rule, space)
"label spouse if 'his wife' is immediately before person2"
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal, TypeAlias

from babble.errors import SExpressionError, UnknownEntityError
from babble.logic.forms import (
    ANY,
    NONE,
    POS_OF_SHAPE,
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
    Node,
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
)
from babble.parse.lexicon import load_lexicon
from babble.types import ROLES, LabelSpace

MAX_DEPTH = 200
"""S-expressions nested deeper than this are refused (no logical form needs it)."""

# --------------------------------------------------------------------------- writing


def to_sexpr(node: Node) -> str:
    """The S-expression of a logical-form node (see the module docstring).

    Examples
    --------
    >>> from babble.logic.forms import Entity, Order
    >>> to_sexpr(Order(Entity("subject"), Entity("object")))
    '(order subject object)'
    """
    return _write(node)


def _write(node: Node) -> str:
    match node:
        case LabelingRule(label, condition):
            return _list("rule", str(label), _write(condition))
        case And(parts) | Or(parts):
            return _list(type(node).__name__.lower(), *map(_write, parts))
        case Not(part):
            return _list("not", _write(part))
        case Occurs(items, where, quant, whole):
            head = "fills" if whole else "occurs"
            return _list(head, _quant(quant, len(items)), _write(where), *map(_write, items))
        case Count(words, where, cmp, n):
            return _list("count", _write(words), _write(where), cmp.value, str(n))
        case Order(first, second, gap):
            return _list("order", first.role, second.role, *([_write(gap)] if gap else []))
        case Apart(a, b, gap):
            return _list("apart", a.role, b.role, _write(gap))
        case Precedes(first, second, limit):
            bound = [_write(limit)] if limit else []
            return _list("precedes", _write(first), _write(second), *bound)
        case EntityText(entity, match, items, quant):
            quantity = _quant(quant, len(items))
            return _list("text", entity.role, _sym(match), quantity, *map(_write, items))
        case SameText(a, b, match, part):
            return _list("same", a.role, b.role, _sym(match), _sym(part))
        case EntityLength(entity, cmp, n, unit):
            return _list("length", entity.role, cmp.value, str(n), unit.value)
        case Sentence():
            return "(sentence)"
        case Between(a, b):
            return _list("between", a.role, b.role)
        case Window(anchor, side, limit):
            return _list("window", anchor.role, side.value, *([_write(limit)] if limit else []))
        case Inside(entity):
            return _list("inside", entity.role)
        case Edge(side, skip):
            return _list("edge", side.value, *([str(skip)] if skip else []))
        case Distance(cmp, n, unit):
            return _list(cmp.value, str(n), *([unit.value] if unit is Unit.CHARS else []))
        case Phrase(text):
            return _string(text)
        case WordList(name):
            return _list("list", _string(name))
        case Lemma(word):
            return _list("lemma", _string(word))
        case PartOfSpeech(tag):
            return _list("pos", tag)
        case EntityType(labels):
            return _list("ent", *map(_string, labels))
        case Shape(kind):
            return _list("shape", _sym(kind))
        case Digits(cmp, n):
            return _list("digits", cmp.value, str(n))
        case AnyWord():
            return "(word)"
        case WordLike(match, pattern):
            return _list(f"word-{_sym(match)}", _write(pattern))
        case Entity(role):
            return role
        case Quant(cmp, n):
            return _list(cmp.value, str(n))
    raise TypeError(f"not a logical-form node: {node!r}")


def _list(*parts: str) -> str:
    return "(" + " ".join(parts) + ")"


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _sym(value: Match | ShapeKind | Part) -> str:
    return str(value.value).replace(" ", "-")


def _quant(quant: Quant, n_items: int) -> str:
    if quant == ANY:
        return "any"
    if quant == NONE:
        return "none"
    if n_items > 1 and quant == Quant(Cmp.EQ, n_items):
        return "all"
    return _list(quant.cmp.value, str(quant.n))


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Str:
    """A string literal (symbols are plain ``str``)."""

    text: str


SExpr: TypeAlias = "str | _Str | list[SExpr]"

_TOKEN = re.compile(r'\s*(?:(\()|(\))|("(?:[^"\\\n]|\\.)*")|([^\s()"]+))')


def from_sexpr(text: str) -> LabelingRule:
    """Read the S-expression of a rule (as :func:`to_sexpr` writes it) back into the rule.

    Raises
    ------
    SExpressionError
        The text is not a well-formed S-expression of a rule (says where and what was expected).
    LogicTypeError
        It is well formed but describes an ill-typed rule (e.g. ``(== 0)`` as a word distance).

    Examples
    --------
    >>> from_sexpr('(rule 0 (count (word) (between subject object) <= 3))').condition.n
    3
    >>> from_sexpr('(rule 0 (order subject))')
    Traceback (most recent call last):
    ...
    babble.errors.SExpressionError: [E411] (order subject): expected 2 or 3 arguments, got 1
    """
    tree = _read(text)
    return _rule(tree)


def _read(text: str) -> SExpr:
    """Tokenise and nest; the text must hold exactly one expression."""
    stack: list[list[SExpr]] = [[]]
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            if text[pos:].strip():
                raise SExpressionError(
                    f"unreadable text at character {pos}: {text[pos : pos + 20]!r}"
                )
            break
        pos = match.end()
        opening, closing, string, symbol = match.groups()
        if opening:
            if len(stack) > MAX_DEPTH:
                raise SExpressionError(f"nested deeper than {MAX_DEPTH} levels")
            stack.append([])
        elif closing:
            if len(stack) == 1:
                raise SExpressionError(f"unbalanced ')' at character {match.start(2)}")
            done = stack.pop()
            stack[-1].append(done)
        elif string:
            try:
                stack[-1].append(_Str(json.loads(string)))
            except json.JSONDecodeError as exc:
                raise SExpressionError(f"bad string literal {string!r}: {exc}") from exc
        elif symbol:
            stack[-1].append(symbol)
    if len(stack) > 1:
        raise SExpressionError(f"{len(stack) - 1} unclosed '(' at the end of the text")
    if len(stack[0]) != 1:
        raise SExpressionError(f"expected one expression, found {len(stack[0])}")
    return stack[0][0]


def _show(x: SExpr) -> str:
    if isinstance(x, list):
        return "(" + " ".join(_show(y) for y in x) + ")"
    return _string(x.text) if isinstance(x, _Str) else x


def _form(x: SExpr, heads: Sequence[str] | None = None) -> tuple[str, list[SExpr]]:
    """A list expression's head symbol and arguments."""
    if not isinstance(x, list) or not x or not isinstance(x[0], str):
        raise SExpressionError(f"{_show(x)}: expected a list that starts with a symbol")
    if heads is not None and x[0] not in heads:
        raise SExpressionError(f"{_show(x)}: expected one of {', '.join(heads)}")
    return x[0], x[1:]


_MANY = -1  # an _arity bound: no upper limit


def _arity(x: SExpr, args: list[SExpr], low: int, high: int | None = None) -> None:
    """Check the number of arguments: exactly ``low``, or ``low..high`` (``_MANY``: no limit)."""
    if high is None:
        ok, want = len(args) == low, str(low)
    elif high == _MANY:
        ok, want = len(args) >= low, f"{low} or more"
    else:
        ok, want = low <= len(args) <= high, f"{low} or {high}"
    if not ok:
        raise SExpressionError(f"{_show(x)}: expected {want} arguments, got {len(args)}")


def _symbol(x: SExpr, what: str, options: Sequence[str]) -> str:
    if not isinstance(x, str) or x not in options:
        raise SExpressionError(f"{_show(x)}: expected {what} ({', '.join(options)})")
    return x


def _int(x: SExpr) -> int:
    if not isinstance(x, str) or not x.isdigit():
        raise SExpressionError(f"{_show(x)}: expected a non-negative integer")
    return int(x)


def _text(x: SExpr) -> str:
    if not isinstance(x, _Str):
        raise SExpressionError(f"{_show(x)}: expected a string literal")
    return x.text


def _rule(x: SExpr) -> LabelingRule:
    _, args = _form(x, ("rule",))
    _arity(x, args, 2)
    return LabelingRule(_int(args[0]), _cond(args[1]))


def _entity(x: SExpr) -> Entity:
    return Entity(_symbol(x, "an entity role", ROLES))


def _cmp(x: SExpr) -> Cmp:
    return Cmp(_symbol(x, "a comparison", [c.value for c in Cmp]))


def _enum(x: SExpr, kind: type[Match] | type[ShapeKind] | type[Part]) -> str:
    return _symbol(x, kind.__name__, [v.value.replace(" ", "-") for v in kind]).replace("-", " ")


def _distance(x: SExpr) -> Distance:
    head, args = _form(x)
    _arity(x, args, 1, 2)
    unit = _unit(args[1]) if len(args) > 1 else Unit.WORDS
    return Distance(_cmp(head), _int(args[0]), unit)


def _unit(x: SExpr) -> Unit:
    return Unit(_symbol(x, "a unit", [u.value for u in Unit]))


def _read_quant(x: SExpr, n_items: int) -> Quant:
    if x == "any":
        return ANY
    if x == "none":
        return NONE
    if x == "all":
        return Quant(Cmp.EQ, n_items)
    head, args = _form(x)
    _arity(x, args, 1)
    return Quant(_cmp(head), _int(args[0]))


def _cond(x: SExpr) -> Condition:
    head, args = _form(x, _CONDITIONS)
    if head in ("and", "or"):
        _arity(x, args, 2, _MANY)
        parts = tuple(_cond(a) for a in args)
        return And(parts) if head == "and" else Or(parts)
    if head == "not":
        _arity(x, args, 1)
        return Not(_cond(args[0]))
    if head in ("occurs", "fills"):
        _arity(x, args, 3, _MANY)
        items = tuple(_item(a) for a in args[2:])
        return Occurs(items, _region(args[1]), _read_quant(args[0], len(items)), head == "fills")
    if head == "count":
        _arity(x, args, 4)
        return Count(_item(args[0]), _region(args[1]), _cmp(args[2]), _int(args[3]))
    if head == "order":
        _arity(x, args, 2, 3)
        gap = _distance(args[2]) if len(args) > 2 else None
        return Order(_entity(args[0]), _entity(args[1]), gap)
    if head == "apart":
        _arity(x, args, 3)
        return Apart(_entity(args[0]), _entity(args[1]), _distance(args[2]))
    if head == "precedes":
        _arity(x, args, 2, 3)
        limit = _distance(args[2]) if len(args) > 2 else None
        return Precedes(_item(args[0]), _item(args[1]), limit)
    if head == "text":
        _arity(x, args, 4, _MANY)
        items = tuple(_item(a) for a in args[3:])
        match = Match(_enum(args[1], Match))
        return EntityText(_entity(args[0]), match, items, _read_quant(args[2], len(items)))
    if head == "same":
        _arity(x, args, 4)
        match, part = Match(_enum(args[2], Match)), Part(_enum(args[3], Part))
        return SameText(_entity(args[0]), _entity(args[1]), match, part)
    _arity(x, args, 4)
    return EntityLength(_entity(args[0]), _cmp(args[1]), _int(args[2]), _unit(args[3]))


_CONDITIONS = (
    *("and", "or", "not", "occurs", "fills", "count", "order", "apart", "text", "same"),
    *("length", "precedes"),
)


def _region(x: SExpr) -> Region:
    head, args = _form(x, ("sentence", "between", "window", "inside", "edge"))
    if head == "sentence":
        _arity(x, args, 0)
        return Sentence()
    if head == "edge":
        _arity(x, args, 1, 2)
        side = Side(_symbol(args[0], "a side", [Side.BEFORE.value, Side.AFTER.value]))
        return Edge(side, *(_int(a) for a in args[1:]))
    if head == "between":
        _arity(x, args, 2)
        return Between(_entity(args[0]), _entity(args[1]))
    if head == "inside":
        _arity(x, args, 1)
        return Inside(_entity(args[0]))
    _arity(x, args, 2, 3)
    side = Side(_symbol(args[1], "a side", [s.value for s in Side]))
    return Window(_entity(args[0]), side, _distance(args[2]) if len(args) > 2 else None)


def _item(x: SExpr) -> Words:
    if isinstance(x, _Str):
        return Phrase(x.text)
    head, args = _form(x, _ITEMS)
    if head == "ent":
        _arity(x, args, 1, _MANY)
        return EntityType(tuple(_text(a) for a in args))
    if head == "word":
        _arity(x, args, 0)
        return AnyWord()
    if head == "digits":
        _arity(x, args, 2)
        return Digits(_cmp(args[0]), _int(args[1]))
    _arity(x, args, 1)
    (arg,) = args
    if head == "list":
        return WordList(_text(arg))
    if head == "lemma":
        return Lemma(_text(arg))
    if head == "pos":
        return PartOfSpeech(_symbol(arg, "a part of speech", sorted(UNIVERSAL_POS)))
    if head == "shape":
        return Shape(ShapeKind(_enum(arg, ShapeKind)))
    pattern = _item(arg)
    if not isinstance(pattern, Phrase | WordList):
        raise SExpressionError(f"{_show(x)}: expected a phrase or (list ...) to compare with")
    return WordLike(Match(head.removeprefix("word-").replace("-", " ")), pattern)


_ITEMS = (
    *("list", "lemma", "pos", "ent", "shape", "digits", "word", "word-contains"),
    *("word-starts-with", "word-ends-with"),
)


# --------------------------------------------------------------------------- paraphrasing


def paraphrase(rule: LabelingRule, label_space: LabelSpace) -> str:
    """One short English sentence for a rule, in words the parser reads back into the rule.

    Entities are named by the first alias ``label_space`` lists for their role; the label by its
    name.

    Raises
    ------
    UnknownEntityError
        The rule mentions a role the label space has no alias for.

    Examples
    --------
    >>> from babble.logic.forms import AnyWord, Between, Cmp, Count, Entity
    >>> space = LabelSpace(("no", "yes"), entity_aliases={"chemical": "subject",
    ...                                                    "disease": "object"})
    >>> paraphrase(LabelingRule(1, Count(AnyWord(), Between(Entity("subject"), Entity("object")),
    ...                                  Cmp.LE, 3)), space)
    'label yes if there are at most 3 words between chemical and disease'
    """
    english = _English(_aliases(label_space))
    return f"label {label_space.name(rule.label)} if {english.cond(rule.condition)}"


def _aliases(space: LabelSpace) -> Mapping[str, str]:
    aliases: dict[str, str] = {}
    for alias, role in space.entity_aliases.items():
        aliases.setdefault(role, alias)
    return aliases


@cache
def _class_phrases() -> Mapping[tuple[str, str], str]:
    """(terminal, value) -> the first lexicon phrase for it, for word classes and shapes."""
    out: dict[tuple[str, str], str] = {}
    for key, (terminal, value) in load_lexicon().phrases.items():
        if terminal in ("CLASS", "SHAPEADJ"):
            out.setdefault((terminal, value), " ".join(key))
    return out


def expressible(item: Words) -> bool:
    """Whether :func:`paraphrase` has lexicon words for a word set (a part of speech or an
    entity-type set the lexicon names; every other word set always has words).

    Examples
    --------
    >>> expressible(PartOfSpeech("NUM")), expressible(EntityType(("PERSON", "NORP")))
    (True, True)
    >>> expressible(EntityType(("PERSON", "NO_SUCH_TYPE")))
    False
    """
    if not isinstance(item, PartOfSpeech | EntityType | Shape):
        return True
    try:
        _class_np(item, "a")
    except KeyError:
        return False
    return True


Number: TypeAlias = Literal["a", "one", "many"]
"""How a word set is named: with an article ("a verb"), after the number 1 ("1 verb"), or after
a larger number ("2 verbs")."""


def _noun(singular: str, number: Number, rest: str = "") -> str:
    """A noun with its article or plural, and words after it: "an entity of type date"."""
    if number == "many":
        return _plural(singular) + rest
    if number == "one":
        return singular + rest
    return f"{'an' if singular[0] in 'aeiou' else 'a'} {singular}{rest}"


def _class_np(item: Words, number: Number) -> str:
    """A part of speech, entity type or shape as a noun phrase ("a verb", "capitalized words",
    "a word tagged as a number", "an entity of type person or date"); ``KeyError`` when the
    lexicon has no words for it."""
    phrases = _class_phrases()
    if isinstance(item, Shape) and item.kind.value in _SHAPEADJ_KINDS:
        return _noun(f"{phrases[('SHAPEADJ', item.kind.value)]} word", number)
    if isinstance(item, PartOfSpeech):
        if ("CLASS", f"pos:{item.tag}") in phrases:
            return _noun(phrases[("CLASS", f"pos:{item.tag}")], number)
        shape = {pos: kind for kind, pos in POS_OF_SHAPE.items()}[item.tag]
        tagged = _noun(phrases[("CLASS", f"shape:{shape}")], "a")
        return _noun("word", number, f" tagged as {tagged}")
    if isinstance(item, EntityType):
        whole = ("CLASS", "ent:" + ",".join(item.labels))
        if whole in phrases:
            return _noun(phrases[whole], number)
        types = " or ".join(phrases[("CLASS", f"ent:{label}")] for label in item.labels)
        return _noun("entity", number, f" of type {types}")
    if isinstance(item, Shape):
        return _noun(phrases[("CLASS", f"shape:{item.kind.value}")], number)
    raise TypeError(item)  # pragma: no cover - callers pass classes only


_SHAPEADJ_KINDS = {ShapeKind.CAPITALIZED.value, ShapeKind.ALL_CAPS.value}
_SHAPEADJ_KINDS.add(ShapeKind.LOWERCASE.value)

_CMP_WORDS = {
    Cmp.EQ: "exactly",
    Cmp.NE: "other than",  # "not exactly" fuses with a "not" before it
    Cmp.LT: "fewer than",
    Cmp.LE: "at most",
    Cmp.GT: "more than",
    Cmp.GE: "at least",
}

_MATCH_VERBS = {
    Match.IS: ("is", "are"),
    Match.CONTAINS: ("contains", "contain"),
    Match.STARTS_WITH: ("starts with", "start with"),
    Match.ENDS_WITH: ("ends with", "end with"),
}
_NEGATED_VERBS = {
    Match.IS: "is not",
    Match.CONTAINS: "does not contain",
    Match.STARTS_WITH: "does not start with",
    Match.ENDS_WITH: "does not end with",
}


def _fuses(text: str, word: str) -> bool:
    """Whether ``word`` (a "not" or an "or" of ``text``) and the words after it form another
    lexicon phrase ("not more than", "not exactly", "or fewer"): English to avoid."""
    lexicon = load_lexicon()
    key = lexicon.key(text)
    for i, w in enumerate(key):
        if w == word and any(
            key[i : i + n] in lexicon.phrases for n in range(2, lexicon.max_len + 1)
        ):
            return True
    return False


def _plural(noun: str) -> str:
    head, _, last = noun.rpartition(" ")
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


_RIGHT_QUOTE = "\u2019"  # closes a single-quoted phrase too


def _quote(text: str) -> str:
    """``text`` in quotation marks it does not contain (the parser reads any style)."""
    for opening, closing in (("'", "'"), ('"', '"'), ("“", "”"), ("«", "»"), ("`", "`")):
        if opening not in text and closing not in text and _RIGHT_QUOTE not in text:
            return f"{opening}{text}{closing}"
    return f"«{text}»"


def _as_nth(where: Region) -> bool:
    """Whether ``where`` reads "as the Nth word ...", which takes "occurs", not "is"."""
    return isinstance(where, Edge) and where.skip > 0


def _verb(where: Region, plural: bool = False) -> str:
    """ "is" / "are" before a region; "occurs" / "occur" before "as the Nth word"."""
    if _as_nth(where):
        return "occur" if plural else "occurs"
    return "are" if plural else "is"


_ORDINALS = (
    *("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"),
    "tenth",
)


def _ordinal(n: int) -> str:
    """ "second" for 2; "12th" beyond the words the lexicon reads."""
    return _ORDINALS[n - 1] if n <= len(_ORDINALS) else f"{n}th"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else _plural(noun)}"


@dataclass(frozen=True)
class _English:
    """Renders conditions with the task's entity names."""

    aliases: Mapping[str, str]

    def ent(self, entity: Entity) -> str:
        if entity.role not in self.aliases:
            known = ", ".join(sorted(self.aliases)) or "none"
            raise UnknownEntityError(
                f"the task has no alias for the {entity.role} entity (it names: {known})"
            )
        return self.aliases[entity.role]

    # ---------------------------------------------------------------- conditions
    def cond(self, c: Condition) -> str:
        match c:
            case And(parts):
                return " and ".join(self.nested(p) for p in parts)
            case Or(parts):
                return " or ".join(self.disjunct(p) for p in parts)
            case Not(part):
                return self.negated(part)
            case Occurs(items, where, quant, whole):
                subject, plural = self.quantified(items, quant)
                only = "only " if whole else ""
                return f"{only}{subject} {_verb(where, plural)} {self.region(where)}"
            case Count(words, where, cmp, n):
                counted = self.item(words, "one" if n == 1 else "many")
                be = "is" if n == 1 else "are"
                return f"there {be} {_CMP_WORDS[cmp]} {n} {counted} {self.region(where)}"
            case Order(first, second, gap):
                return f"{self.ent(first)} is {self.place(second, Side.BEFORE, gap)}"
            case Apart(a, b, gap):
                return f"{self.ent(a)} and {self.ent(b)} are {self.distance(gap)} apart"
            case Precedes(first, second, limit):
                if limit is None:
                    return f"{self.item(first)} is before {self.item(second)}"
                return f"{self.item(second)} is {self.distance(limit)} after {self.item(first)}"
            case EntityText(entity, match, items, quant):
                subject, _ = self.quantified(items, quant)
                return f"{self.ent(entity)} {_MATCH_VERBS[match][0]} {subject}"
            case SameText(a, b, match, part):
                return self.same(a, b, match, part)
            case EntityLength(entity, cmp, n, unit):
                noun = "word" if unit is Unit.WORDS else "character"
                return f"{self.ent(entity)} is {_CMP_WORDS[cmp]} {_count(n, noun)} long"
        raise TypeError(f"not a condition: {c!r}")  # pragma: no cover - forms checks

    def nested(self, c: Condition) -> str:
        return f"({self.cond(c)})" if isinstance(c, And | Or) else self.cond(c)

    def disjunct(self, c: Condition) -> str:
        """A part of an "or": in parentheses where it would run into "or" ("or more than")."""
        text = self.nested(c)
        return f"({text})" if _fuses(f"or {text}", "or") else text

    def negated(self, c: Condition) -> str:
        """``Not(c)``: a negated verb where English has one, else "it is not true that"."""
        natural = self._negated_verb(c)
        if natural is not None and not _fuses(natural, "not"):
            return natural
        return f"it is not true that {self.nested(c)}"

    def _negated_verb(self, c: Condition) -> str | None:
        match c:
            case Occurs(items, where, quant, False) if quant == ANY:
                if len(items) > 1:
                    listed = " or ".join(self.item(i) for i in items)
                    return f"none of {listed} {_verb(where)} {self.region(where)}"
                negated = "does not occur" if _as_nth(where) else "is not"
                return f"{self.item(items[0])} {negated} {self.region(where)}"
            case EntityText(entity, match, items, quant) if quant == ANY:
                subject, _ = self.quantified(items, quant)
                return f"{self.ent(entity)} {_NEGATED_VERBS[match]} {subject}"
            case SameText(a, b, match, part) if match is Match.IS or part is Part.WHOLE:
                return self.same(a, b, match, part, negated=True)
            case Order(first, second, gap):
                return f"{self.ent(first)} is not {self.place(second, Side.BEFORE, gap)}"
            case Apart(a, b, gap):
                return f"{self.ent(a)} and {self.ent(b)} are not {self.distance(gap)} apart"
            case Precedes(first, second, limit):
                if limit is None:
                    return f"{self.item(first)} is not before {self.item(second)}"
                return f"{self.item(second)} is not {self.distance(limit)} after {self.item(first)}"
            case EntityLength():
                return self.cond(c).replace(" is ", " is not ", 1)
        return None

    def same(self, a: Entity, b: Entity, match: Match, part: Part, negated: bool = False) -> str:
        if part is Part.WHOLE:
            left, right = self.ent(a), self.ent(b)
        else:
            left, right = f"the {part.value} of {self.ent(a)}", f"the {part.value} of {self.ent(b)}"
        if match is Match.IS:
            verb = "is not the same as" if negated else "is the same as"
        else:
            verb = _NEGATED_VERBS[match] if negated else _MATCH_VERBS[match][0]
        return f"{left} {verb} {right}"

    # ---------------------------------------------------------------- word sets
    def quantified(self, items: tuple[Words, ...], quant: Quant) -> tuple[str, bool]:
        """A list of word sets under a quantifier, and whether it takes a plural verb."""
        listed = [self.item(i) for i in items]
        if len(items) > 1 and quant == Quant(Cmp.EQ, len(items)):
            return " and ".join(listed), True
        if quant == ANY:
            return " or ".join(listed), False
        if quant == NONE:
            return "none of " + " or ".join(listed), False
        return f"{_CMP_WORDS[quant.cmp]} {quant.n} of " + " or ".join(listed), quant.n != 1

    def item(self, item: Words, number: Number = "a") -> str:
        match item:
            case Phrase(text):
                return _quote(text) if number == "a" else f"{_noun('word', number)} {_quote(text)}"
            case WordList(name):
                return f"{_noun('word', number)} in the {name} list"
            case Lemma(word):
                return f"{_noun('form', number)} of {_quote(word)}"
            case AnyWord():
                return _noun("word", number)
            case Digits(cmp, n):
                return _noun("number", number, f" with {_CMP_WORDS[cmp]} {_count(n, 'digit')}")
            case WordLike(match, pattern):
                verb = _MATCH_VERBS[match][1 if number == "many" else 0]
                return f"{_noun('word', number)} that {verb} {self.item(pattern)}"
        return _class_np(item, number)

    # ---------------------------------------------------------------- places
    def region(self, region: Region) -> str:
        match region:
            case Sentence():
                return "in the sentence"
            case Between(a, b):
                return f"between {self.ent(a)} and {self.ent(b)}"
            case Inside(entity):
                return f"in {self.ent(entity)}"
            case Edge(side, 0):
                return f"at the {'start' if side is Side.BEFORE else 'end'} of the sentence"
            case Edge(side, skip):
                from_end = " from the end" if side is Side.AFTER else ""
                return f"as the {_ordinal(skip + 1)} word{from_end} of the sentence"
            case Window(anchor, side, limit):
                return self.place(anchor, side, limit)
        raise TypeError(f"not a region: {region!r}")  # pragma: no cover - forms checks

    def place(self, anchor: Entity, side: Side, limit: Distance | None) -> str:
        """Where something lies relative to ``anchor``: "immediately before A", "next to A"."""
        name = self.ent(anchor)
        adjacent = limit == Distance(Cmp.EQ, 1)
        if side is Side.EITHER:
            assert limit is not None  # forms require a limit on either side
            return f"next to {name}" if adjacent else f"{self.distance(limit)} from {name}"
        if limit is None:
            return f"{side.value} {name}"
        if adjacent:
            return f"immediately {side.value} {name}"
        return f"{self.distance(limit)} {side.value} {name}"

    def distance(self, d: Distance) -> str:
        noun = "word" if d.unit is Unit.WORDS else "character"
        return f"{_CMP_WORDS[d.cmp]} {_count(d.n, noun)}"
