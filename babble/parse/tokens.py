"""Explanation text -> a sequence of typed terminals for the grammar.

Three steps, all linear in the text:

1. :func:`scan` cuts the text into *pieces*: quoted phrases (any quote style), words and symbols,
   with character offsets; contractions are expanded and a possessive ``'s`` split off. A quote
   that never closes raises :class:`~babble.errors.UnclosedQuoteError`.
2. :func:`tokenize` drops fillers ("the", "because", "because of", a leading label name as the
   label space spells it), then matches the longest phrase at each position against the lexicon
   and the task's own names (entity aliases, word lists). Words that match nothing are
   *unknown*: they are skipped, and recorded -- except a joining word ("to" in "connects SUBJ
   to OBJ") between an entity and an entity or a quoted word, which is a filler there.
3. The result, :class:`Tokens`, lists the terminals, the runs of unknown words (the parser may
   turn a run that occurs in the candidate's sentence into a quoted phrase) and the stretches
   that may be remarks ("..., which indicates ...", "(...)"; the parser may read them as
   filler).

Examples
--------
>>> from babble.types import LabelSpace
>>> space = LabelSpace(("no", "yes"), entity_aliases={"person1": "subject", "person2": "object"})
>>> toks = tokenize("Label yes because 'wife' is right before person2!", space)
>>> [(t.type, t.value) for t in toks.terms]
[('QUOTE', 'wife'), ('BE', ''), ('IMMED', ''), ('SIDE', 'before'), ('ENT', 'object')]
>>> [toks.pieces[i].text for i in toks.fillers]
['Label', 'yes', 'because']
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from babble.errors import UnclosedQuoteError, UndefinedWordListError, UnknownEntityError
from babble.parse.lexicon import WORD_RE, Lexicon, load_lexicon
from babble.types import LabelSpace

PieceKind = Literal["word", "quote", "symbol"]

# opening quote -> the marks that may close it
_QUOTES: dict[str, tuple[str, ...]] = {
    "``": ("''", '"', "``"),
    '"': ('"', "\u201d"),
    "\u201c": ("\u201d", '"', "\u201c"),
    "\u201d": ("\u201d", '"'),
    "'": ("'", "\u2019"),
    "\u2018": ("\u2019", "'", "\u2018"),
    "\u2019": ("\u2019", "'"),
    "`": ("`", "'", "\u2019"),
    "\u00ab": ("\u00bb",),
    "\u201e": ("\u201c", '"', "\u201d"),
}
_CLOSERS = {mark for marks in _QUOTES.values() for mark in marks}
_SINGLE = {"'", "\u2018", "\u2019", "`"}  # apostrophe-like marks: also inside words ("Ryan's")
_OPENERS = sorted(_QUOTES, key=len, reverse=True)
_SYMBOL_TERMS = {",": "COMMA", ";": "COMMA", "(": "LPAR", "[": "LPAR", ")": "RPAR", "]": "RPAR"}
_WORD_AT = re.compile(WORD_RE.pattern)
_LETTERS_AT = re.compile(r"\w+")
_LABEL_VERBS = {
    "label", "labeled", "labelled", "classify", "classified", "mark", "marked",
    # the imperatives of annotation guidelines: "Return negative when ...", "Choose X if ..."
    "return", "choose", "assign", "assigned", "tag", "tagged", "predict", "output", "pick",
    "select", "annotate", "annotated", "categorize", "categorise", "categorized", "vote",
    "call",
}  # fmt: skip
_LABEL_OBJECTS = {"as", "it", "this", "them", "one", "to"}  # after a label verb: "label it as X"
_LABEL_SUBJECTS = {"we", "i"}  # before a label verb: "We assign neutral: ...", "I label it X"
_CONCLUSIONS = {"so", "hence", "therefore", "thus", "then"}


@dataclass(frozen=True)
class Piece:
    """A word, symbol or quoted phrase of an explanation.

    ``text`` is the surface text (a quote's content, without marks); ``start``/``end`` are
    character offsets into the explanation (a quote's include its marks); ``key`` is the lower-case
    base form used for matching -- for a quote, the phrase it means (its content, or for a
    pronoun read as a quoted phrase, that phrase).
    """

    text: str
    start: int
    end: int
    kind: PieceKind
    key: str


@dataclass(frozen=True)
class Term:
    """One terminal for the grammar: its type, its value, and the pieces it covers."""

    type: str
    value: str
    pieces: tuple[int, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Tokens:
    """A tokenized explanation.

    Attributes
    ----------
    pieces
        Every piece of the text, in order.
    terms
        The terminals, in order (unknown words are not among them).
    fillers
        Indices of pieces dropped as fillers (not counted as skipped).
    unknown
        Indices of word pieces that matched nothing.
    runs
        Runs of unknown words (consecutive but for fillers), as piece-index tuples, each with the
        position in ``terms`` where a quoted phrase made from it would go.
    remarks
        Stretches of pieces that may be a remark rather than part of the explanation: a
        parenthetical "(...)", or a trailing "..., which indicates ..." to the end of its
        sentence. The parser reads them as filler when that skips fewer words.
    respelled
        Indices of misspelt words read as the lexicon word they stand for (their ``key``).
    listed
        Indices of words listed in brackets ("(wife, husband, married)"): words named as words.
    """

    pieces: tuple[Piece, ...]
    terms: tuple[Term, ...]
    fillers: tuple[int, ...]
    unknown: tuple[int, ...]
    runs: tuple[tuple[int, tuple[int, ...]], ...]
    remarks: tuple[tuple[int, ...], ...] = ()
    respelled: tuple[int, ...] = ()
    listed: tuple[int, ...] = ()

    def words(self, indices: Sequence[int]) -> tuple[str, ...]:
        """The surface texts of some pieces."""
        return tuple(self.pieces[i].text for i in indices)


def scan(
    text: str, lexicon: Lexicon, labels: frozenset[tuple[str, ...]] = frozenset()
) -> list[Piece]:
    """Cut ``text`` into quotes, words and symbols (see the module docstring); Markdown
    emphasis is a quote, but for a word stressed or one of the ``labels`` (keys) emphasised.

    Examples
    --------
    >>> [p.text for p in scan("\u201chis wife\u201d isn't after Ann's", load_lexicon())]
    ['his wife', 'is', 'not', 'after', 'Ann', "'s"]
    """
    text = _emphasis_as_quotes(text, lambda words: lexicon.key(words) in labels)
    pieces: list[Piece] = []
    pos = 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        opener = _opener_at(text, pos)
        if opener is not None:
            pos = _scan_quote(text, pos, opener, pieces)
            continue
        negation = _negation_mark_at(text, pos)
        if negation:
            end = pos + len(negation)
            pieces.extend(Piece(w, pos, end, "word", w) for w in _NEGATIONS[negation])
            pos = end
            continue
        short = _shorthand_at(text, pos, lexicon)
        if short:
            pieces.extend(_word_pieces(short, pos, lexicon))
            pos += len(short)
            continue
        match = _WORD_AT.match(text, pos)
        if match is None:  # pragma: no cover - the pattern matches any non-space character
            pos += 1
            continue
        pieces.extend(_word_pieces(match.group(), match.start(), lexicon))
        pos = match.end()
    return _quote_first_word(pieces)


_DEFINING = frozenset({
    "the", "a", "an", "hereinafter", "hereafter", "henceforth", "thereafter", "below",
    "called", "referred", "to", "as",
})  # fmt: skip
"""Words that may come before the name a bracket defines ('(hereinafter referred to as the
"Marker")')."""
_MAX_DEFINING = 5
"""The most words before the defined name inside its bracket."""


def _defined_terms(pieces: list[Piece], names: Names) -> list[Piece]:
    """A name defined in brackets for the entity or quoted phrase right before them, as a
    drafter writes it ('the first entity (the "Event") ... the Event precedes e2', 'the term
    "wife" (hereinafter the "Marker")'): the bracket goes and each later use of the name, as
    written, reads as what it names. A bracket after anything else, or with a name not
    capitalised ("the second argument ('battles')"), stays as it is."""
    out: list[Piece] = []
    defined: dict[tuple[str, ...], list[Piece]] = {}  # the name's words -> what it names
    i = 0
    while i < len(pieces):
        found = _definition_at(pieces, i, out, names)
        if found is not None:
            end, name, referent = found
            defined[name] = referent
            i = end
            continue
        used = next((n for n in defined if _texts(pieces, i, len(n)) == n), None)
        if used is None:
            out.append(pieces[i])
            i += 1
            continue
        first, last = pieces[i], pieces[i + len(used) - 1]
        out.extend(replace(p, start=first.start, end=last.end) for p in defined[used])
        i += len(used)
    return out


def _texts(pieces: Sequence[Piece], i: int, n: int) -> tuple[str, ...]:
    """The surface texts of the ``n`` pieces from ``i`` (fewer at the end); a quoted phrase's
    words one by one."""
    return tuple(w for p in pieces[i : i + n] for w in p.text.split())[:n]


def _definition_at(
    pieces: Sequence[Piece], i: int, before: Sequence[Piece], names: Names
) -> tuple[int, tuple[str, ...], list[Piece]] | None:
    """At an opening bracket that defines a name ('(the "Event")'): the index after its closing
    bracket, the name's words and the pieces it names (the entity or quote in ``before``,
    right before the bracket); else None."""
    if pieces[i].text != "(" or not before:
        return None
    ahead = range(i + 1, min(i + _MAX_DEFINING + 3, len(pieces)))
    close = next((k for k in ahead if pieces[k].text == ")"), None)
    if close is None or close - i < 2 or pieces[close - 1].kind != "quote":
        return None
    name = tuple(pieces[close - 1].text.split())
    if not all(w[:1].isupper() for w in name):  # a defined name is capitalised: not "('battles')"
        return None
    if any(p.kind != "word" or p.key not in _DEFINING for p in pieces[i + 1 : close - 1]):
        return None
    if before[-1].kind == "quote":
        referent = [before[-1]]
    else:
        sizes = range(min(len(before), 6), 0, -1)
        size = next((n for n in sizes if tuple(p.key for p in before[-n:]) in names.entities), 0)
        if not size:
            return None
        referent = list(before[-size:])
    return close + 1, name, referent


_EMPHASIS = re.compile(r"(?<![\w*_])(\*\*|__|\*|_)(?=[^\s*_])(.{1,60}?)(?<=[^\s*_])\1(?![\w*_])")
"""Markdown emphasis: "**wife**", "*wife*", "__wife__", "_wife_" (the marks touch the words,
so a bullet "* starts with ..." is none)."""
_STRESSED = frozenset({
    "not", "never", "no", "only", "all", "both", "none", "neither", "nor", "and", "or", "any",
    "every", "each", "exactly", "just", "before", "after", "between",
})  # fmt: skip
"""Words emphasised to stress them, not named as cues ("*not* between them")."""


def _emphasis_as_quotes(text: str, is_label: Callable[[str], bool]) -> str:
    """``text`` with Markdown emphasis read as quotation marks, as a chat or notebook user
    marks a cue ("**his wife** is right before p2"): the same length, so offsets stay. Emphasis
    that stresses a word ("*only*"), heads a field ("**Label:**"), names a label ("**spouse**")
    or holds a quote already is no quote: its marks become spaces."""

    def rewrite(match: re.Match[str]) -> str:
        mark, content = match.group(1), match.group(2)
        plain = content.endswith(":") or content.lower() in _STRESSED or is_label(content)
        if plain or any(q in content for q in _QUOTES):
            return " " * len(mark) + content + " " * len(mark)
        return '"'.rjust(len(mark)) + content + '"'.ljust(len(mark))

    return _EMPHASIS.sub(rewrite, text)


def _quote_first_word(pieces: list[Piece]) -> list[Piece]:
    """``and' occurs ...``: a closing quote right after the first word quotes that word."""
    if (
        len(pieces) > 1
        and pieces[0].kind == "word"
        and pieces[1].kind == "symbol"
        and pieces[1].text in _CLOSERS
        and pieces[1].start == pieces[0].end
    ):
        first = pieces[0]
        return [Piece(first.text, first.start, pieces[1].end, "quote", first.text), *pieces[2:]]
    return pieces


def _opener_at(text: str, pos: int) -> str | None:
    if pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] in "_$"):
        return None  # an apostrophe inside or after a word: "Ryan's", "parents'"
    for mark in _OPENERS:
        if text.startswith(mark, pos):
            after = pos + len(mark)
            if mark in _SINGLE and (after >= len(text) or text[after].isspace()):
                return None  # a stray apostrophe
            return mark
    return None


def _arrow_head(pieces: Sequence[Piece], i: int) -> bool:
    """Whether piece ``i`` is the head of an arrow ("->", "=>", "<-"), not a sign "<" or ">"."""
    shaft = {">": (i - 1, ("-", "=")), "<": (i + 1, ("-",))}.get(pieces[i].text)
    if shaft is None or not 0 <= shaft[0] < len(pieces):
        return False
    other = pieces[shaft[0]]
    touching = other.end == pieces[i].start or pieces[i].end == other.start
    return touching and other.text in shaft[1]


def _scan_quote(text: str, pos: int, opener: str, pieces: list[Piece]) -> int:
    inner = pos + len(opener)
    for close in range(inner, len(text)):
        for mark in _QUOTES[opener]:
            if not text.startswith(mark, close):
                continue
            end = close + len(mark)
            if opener in _SINGLE and end < len(text) and text[end].isalnum():
                continue  # an apostrophe inside a word of the quote: 'Ryan's wife'
            content = text[inner:close].strip()
            if content:
                pieces.append(Piece(content, pos, end, "quote", content))
            return end
    raise UnclosedQuoteError(
        f"the quotation mark {opener!r} at character {pos} is never closed; close the quoted "
        f"phrase with a matching mark",
        text=text,
        spans=((pos, pos + len(opener)),),
        words=(opener,),
    )


def _at_least(pieces: Sequence[Piece], i: int) -> bool:
    """Whether piece ``i`` is a plus sign written right after a number ("25+")."""
    before = pieces[i - 1] if i else None
    return (
        pieces[i].text == "+"
        and before is not None
        and before.text.isdigit()
        and before.end == pieces[i].start
    )


_NEGATIONS = {"!=": ("is", "not"), "!": ("not",)}


def _negation_mark_at(text: str, pos: int) -> str:
    """A programmer's negation in a note, or "": "!=" ("p1 != p2": is not), or a "!" that
    starts a word or a quote ("!'wife' b/w them": not), unlike the "!" that ends a sentence."""
    if text.startswith("!=", pos):
        return "!="
    starts = pos + 1 < len(text) and (
        text[pos + 1].isalnum() or _opener_at(text, pos + 1) is not None
    )
    loose = pos == 0 or text[pos - 1].isspace() or text[pos - 1] in "(,;:"
    return "!" if text[pos] == "!" and starts and loose else ""


def _shorthand_at(text: str, pos: int, lexicon: Lexicon) -> str:
    """A shorthand with a slash that starts a word at ``pos`` ("b/c", "w/", "w/in"): the lexicon
    spells it out, but a slash would cut it into pieces; "" when none starts there. Such forms
    are short: their slash is among their first four characters."""
    if "/" not in text[pos : pos + 4] or (pos and text[pos - 1].isalnum()):
        return ""
    found = ""
    for form in lexicon.contractions:
        end = pos + len(form)
        fits = "/" in form and len(form) > len(found) and text[pos:end].lower() == form
        if fits and (end == len(text) or not text[end].isalnum()):
            found = text[pos:end]
    return found


def _word_pieces(word: str, start: int, lexicon: Lexicon) -> list[Piece]:
    end = start + len(word)
    lower = word.lower().replace("\u2019", "'")
    if lower in lexicon.contractions:
        return [Piece(w, start, end, "word", lexicon.lemma(w)) for w in lexicon.contractions[lower]]
    if lower.endswith("n't") and len(lower) > 3:
        base = word[:-3]
        return [
            Piece(base, start, end - 3, "word", lexicon.lemma(base.lower())),
            Piece("not", end - 3, end, "word", "not"),
        ]
    if lower.endswith("'s") and len(lower) > 2:
        base = word[:-2]
        return [
            Piece(base, start, end - 2, "word", lexicon.lemma(base.lower())),
            Piece("'s", end - 2, end, "symbol", "'s"),
        ]
    count, hyphen, rest = word.partition("-")
    if rest and (count.isdigit() or lexicon.phrases.get((count.lower(),), ("",))[0] == "NUM"):
        # "a 5-digit number", "a two-word phrase": the count and its noun
        head = Piece(count, start, start + len(count), "word", lexicon.lemma(count.lower()))
        return [head, *_word_pieces(rest, start + len(count) + len(hyphen), lexicon)]
    kind: PieceKind = "word" if (word[0].isalnum() or word[0] in "_$") else "symbol"
    return [Piece(word, start, end, kind, lexicon.lemma(lower) if kind == "word" else word)]


@dataclass(frozen=True)
class Names:
    """The task's own phrases: entity aliases, word-list names and label words, as keys."""

    entities: Mapping[tuple[str, ...], str]
    lists: Mapping[tuple[str, ...], str]
    labels: frozenset[tuple[str, ...]]
    generic: frozenset[tuple[str, ...]] = frozenset()
    """Keys of :attr:`entities` that are the lexicon's generic names, not the task's own."""

    def owns(self, key: tuple[str, ...]) -> bool:
        """Whether ``key`` is one of the task's own names (an entity, a word list, a label)."""
        return key in self.entities or key in self.lists or key in self.labels

    def with_entities(self, entities: Mapping[str, str], lexicon: Lexicon) -> Names:
        """These names and the example's own entities by their words: the whole text ("the
        ball", "Kim Murray") or a capitalised word of a name that only one entity has
        ("Murray"); not a lexicon word, nor one of the task's names."""
        words: dict[tuple[str, ...], set[str]] = {}
        for role, text in entities.items():
            parts = text.split()
            words.setdefault(lexicon.key(text), set()).add(role)
            for part in parts if len(parts) > 1 else ():
                if part[:1].isupper():
                    words.setdefault(lexicon.key(part), set()).add(role)
        own = {
            key: roles.pop()
            for key, roles in words.items()
            if key and len(roles) == 1 and key not in lexicon.phrases and not self.owns(key)
        }
        return replace(self, entities={**self.entities, **own})

    @classmethod
    def build(cls, space: LabelSpace, word_lists: Mapping[str, object], lexicon: Lexicon) -> Names:
        """Keys for a label space and a set of word lists: the task's entity aliases, and the
        lexicon's generic names of the roles it has ("arg1" for a subject) where the task uses
        them for nothing else."""
        entities = {lexicon.key(alias): role for alias, role in space.entity_aliases.items()}
        lists = {lexicon.key(name.replace("_", " ")): name for name in word_lists}
        lists.update({(name.lower(),): name for name in word_lists})
        labels = {lexicon.key(w) for w in (*space.labels, *space.label_aliases)}
        labels |= {lexicon.key(_spoken(w)) for w in space.labels}
        generic = {
            lexicon.key(name): role
            for role in set(entities.values())
            for name in lexicon.generic_entity_names.get(role, ())
        }
        taken = {*entities, *lists, *labels, *lexicon.phrases}
        generic = {k: v for k, v in generic.items() if k and k not in taken}
        entities.update(generic)
        return cls(
            entities={k: v for k, v in entities.items() if k},
            lists={k: v for k, v in lists.items() if k},
            labels=frozenset(k for k in labels if k),
            generic=frozenset(generic),
        )


_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_LETTER_DIGIT = re.compile(r"(?<=[A-Za-z])(\d)\b")


def _spoken(label: str) -> str:
    """A label as dictation types it: "Cause-Effect(e2,e1)" is "cause effect e two e one" (a
    digit after a letter spelled out, punctuation dropped)."""
    spelled = _LETTER_DIGIT.sub(lambda m: " " + _DIGIT_WORDS[int(m.group(1))], label)
    return re.sub(r"[^\w\s]", " ", spelled)


_NAMES: dict[tuple[LabelSpace, tuple[str, ...]], tuple[Lexicon, Names]] = {}
_MAX_TASKS = 64


def names_for(space: LabelSpace, word_lists: Mapping[str, object], lexicon: Lexicon) -> Names:
    """:meth:`Names.build`, kept for the tasks met last: the parser meets one task many times,
    and building its keys costs as much as tokenizing a short explanation."""
    key = (space, tuple(word_lists))
    found = _NAMES.get(key)
    if found is None or found[0] is not lexicon:
        if len(_NAMES) >= _MAX_TASKS:
            _NAMES.clear()
        found = _NAMES[key] = (lexicon, Names.build(space, word_lists, lexicon))
    return found[1]


def tokenize(
    text: str,
    space: LabelSpace,
    word_lists: Mapping[str, object] | None = None,
    lexicon: Lexicon | None = None,
    drop: Collection[int] = (),
    refer: bool = False,
    names: Names | None = None,
    sentence: str | None = None,
    bare: bool = False,
    entities: Mapping[str, str] | None = None,
) -> Tokens:
    """Turn an explanation into terminals (see the module docstring); the pieces ``drop``
    indexes (a remark of an earlier call) are fillers too. With ``refer``, a pronoun after a
    quoted phrase names that phrase ("the words 'who cooks' come right after e1, and e2 is
    after them", "... and the disease immediately after that"), not the entities or the
    sentence (the parser tries both readings; the piece keeps the pronoun's offsets).
    ``names`` are :meth:`Names.build`'s keys for ``space`` and ``word_lists`` when the caller
    has them (the parser tokenizes one explanation several ways). A misspelt word of the
    lexicon is read as that word (:meth:`~babble.parse.lexicon.Lexicon.respell`), unless it
    occurs in ``sentence`` (the candidate's text, when known): there it is a cue. With ``bare``,
    words of the sentence named without quotes where a phrase goes are quoted, lexicon words
    too ("the first word is who", "begins with WHO WAS": :func:`bare_cues`), and the example's
    ``entities`` (role -> text) named by their own words are those entities ("between the ball
    and the leather": :meth:`Names.with_entities`).

    Raises :class:`~babble.errors.UnclosedQuoteError`, :class:`~babble.errors.UnknownEntityError`
    (a word such as ``person3`` the task does not define) or
    :class:`~babble.errors.UndefinedWordListError` (``the ctd_therapy dictionary``).
    """
    lexicon = lexicon or load_lexicon()
    names = names or names_for(space, word_lists or {}, lexicon)
    pieces = _defined_terms(_not_be(_forward_lists(scan(text, lexicon, names.labels))), names)
    aliases = names.entities
    if bare and entities:
        names = names.with_entities(entities, lexicon)
    if bare and sentence:
        pieces = bare_cues(pieces, sentence)
    if refer:  # after the example's words are quoted: a pronoun may name one of them
        pieces = _refer_back(pieces)
    pieces = _the_two(pieces)
    pieces, lettered = _lettered(pieces, names)
    pieces, respelled = _respelled(pieces, lexicon, names, sentence)
    fillers = [
        i
        for i, p in enumerate(pieces)
        if p.kind == "word"
        and (p.key if i in respelled else p.text.lower()) in lexicon.fillers
        and i not in lettered
        and not _named_as_cue(pieces, i)
    ]
    fillers += [i for span in _sequences(pieces, lexicon.filler_phrases) for i in span]
    instructions = _sequences(pieces, lexicon.instructions)
    fillers += [i for span in instructions for i in span]
    fillers += _field_names(pieces, lexicon)
    bullets = _bullets(pieces)
    fillers += [i for i, stop in bullets.items() if not stop]
    fillers += _procedure_steps(pieces, instructions, lexicon)
    fillers += [i for i in drop if 0 <= i < len(pieces)]
    fillers += _elliptical_ifs(pieces)
    fillers += _conditional_wheres(pieces)
    fillers += _the_said(pieces, names)
    fillers = sorted(set(fillers))
    fillers += _leading_label(pieces, set(fillers), names, lexicon)
    fillers += _leading_as(pieces, set(fillers))
    fillers += _trailing_label(pieces, set(fillers), names)
    fillers += _inner_labels(pieces, set(fillers), names)
    fillers += _sentence_final_also(pieces, set(fillers))
    fillers += _prohibitions(pieces, set(fillers))
    fillers += _self_corrections(pieces, set(fillers))
    asked, denials = _questions(pieces, set(fillers))
    fillers += asked
    skip = set(fillers)
    marks, listed, offered = _bracketed_lists(pieces, skip)
    terms: list[Term] = []
    unknown: list[int] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        if bullets.get(i):  # a bullet after the first: the conditions it separates all hold
            terms.append(Term("STOP", piece.text, (i,), piece.start, piece.end))
            i += 1
        elif i in skip or i in marks:
            i += 1
        elif piece.kind == "quote":
            # the key: a pronoun read as the quoted phrase shows its own text, means the phrase
            terms.append(Term("QUOTE", piece.key, (i,), piece.start, piece.end))
            i += 1
        elif piece.kind == "symbol":
            if i in offered:  # "a spouse word (wife, husband)": any one of them
                terms.append(Term("OR", "", (i,), piece.start, piece.end))
                i += 1
            elif _at_least(pieces, i):  # "25+ words": 25 or more
                terms.append(Term("CMPPOST", ">=", (i,), piece.start, piece.end))
                i += 1
            elif _arrow_head(pieces, i):
                i += 1  # "->", "=>", "<-": an arrow, no comparison
            elif (found := _match(pieces, i, skip, names, lexicon)) is not None:
                i = _emit(found, pieces, terms)
            elif (piece.text in _SYMBOL_TERMS or piece.text == "'s") and not (
                piece.text == ";" and _sentence_break(pieces, i, skip)  # "...; ..." is two
            ):
                kind = _SYMBOL_TERMS.get(piece.text, "POSS")
                terms.append(Term(kind, piece.text, (i,), piece.start, piece.end))
                i += 1
            elif terms and terms[-1].type == "TEXTVERB" and terms[-1].pieces[-1] == i - 1:
                # a mark named bare where a phrase goes: "ends with ?", "contains $"
                terms.append(Term("QUOTE", piece.text, (i,), piece.start, piece.end))
                i += 1
            elif _sentence_break(pieces, i, skip, answers=denials):
                terms.append(Term("STOP", piece.text, (i,), piece.start, piece.end))
                i += 1
            else:
                i += 1  # other punctuation carries no meaning here
        elif i in denials:  # "Does it say 'divorce'? No."
            terms.append(Term("DENIED", piece.text, (i,), piece.start, piece.end))
            i += 1
        elif piece.key.isdigit():
            terms.append(Term("NUM", str(int(piece.key)), (i,), piece.start, piece.end))
            i += 1
        else:
            found = _match(pieces, i, skip, names, lexicon)
            if found is None:
                unknown.append(i)
                i += 1
            else:
                i = _emit(found, pieces, terms)
    terms = _resolve_alias_clashes(terms, pieces, names, lexicon)
    terms, unknown = _listed_among_unknown(pieces, terms, unknown)
    terms, unknown = _digit_nouns(pieces, terms, unknown)
    joined = _joiners(pieces, terms, unknown, lexicon) | _describers(terms, unknown)
    joined |= _appositions(pieces, unknown)
    fillers = sorted({*fillers, *joined})
    unknown = [i for i in unknown if i not in joined]
    skip |= joined
    _check_names(text, pieces, terms, unknown, names, lexicon)
    terms = _read_by_neighbour(_literal_numbers(_balance(_merge_entities(terms)), pieces), pieces)
    terms = _question_stems(_links_that_start(_exactly_quoted(terms)), pieces)
    # an entity named by its own words is no anchor of a clause: an aside about the example
    # ("... ; rizatriptan treats migraine") may still be dropped as a remark
    own = (
        set()
        if names.entities is aliases
        else {
            i
            for t in terms
            if t.type == "ENT" and _key(pieces, t, lexicon) not in aliases
            for i in t.pieces
        }
    )
    roles = set(space.entity_aliases.values())
    terms = _gapped_passives(_resolve_it(_implied_it(_its_sides(terms, pieces), roles), roles))
    terms = _next_word(_colon_answers(_plus_cues(terms, pieces), pieces), pieces)
    terms = _later(terms, roles)
    if len(roles) == 2:
        terms = _implied_pair(terms, pieces)
    return Tokens(
        pieces=tuple(pieces),
        terms=tuple(terms),
        fillers=tuple(sorted(fillers)),
        unknown=tuple(unknown),
        runs=_runs(pieces, terms, unknown, skip),
        remarks=_remarks(pieces, skip, lexicon, names, *_as_unknown(own, terms, unknown)),
        respelled=tuple(sorted(respelled)),
        listed=tuple(sorted(listed)),
    )


_FORWARD = tuple(
    sorted(
        (
            tuple(words.split())
            for lead in ("these", "those", "the following")
            for words in (lead, f"{lead} words", f"{lead} phrases", f"{lead} terms", f"{lead} cues")
        ),
        key=len,
        reverse=True,
    )
)
"""Words that name a list given later, after a colon ("at least two of these words appear:
'a', 'b', 'c'"), longest first."""


def _forward_lists(pieces: list[Piece]) -> list[Piece]:
    """A list named before it is given ("one of the following words is between them: 'a',
    'b'"): the quoted phrases after the colon take the place of the words that name them, as
    if written there ("one of 'a', 'b' is between them")."""
    for colon, piece in enumerate(pieces):
        if piece.text != ":":
            continue
        end = _sentence_end(pieces, colon + 1)
        items = pieces[colon + 1 : end]
        if not _a_list_of_quotes(items):
            continue
        start = next((k for k in range(colon - 1, -1, -1) if pieces[k].text in _SENTENCE_END), -1)
        for k in range(start + 1, colon):
            size = next((len(w) for w in _FORWARD if _words_at(pieces, k, w)), 0)
            if size:
                return [*pieces[:k], *items, *pieces[k + size : colon], *pieces[end:]]
    return pieces


def _words_at(pieces: Sequence[Piece], k: int, words: tuple[str, ...]) -> bool:
    """Whether the pieces from ``k`` are the words ``words`` (lower-cased)."""
    span = pieces[k : k + len(words)]
    return len(span) == len(words) and all(
        p.kind == "word" and p.text.lower() == w for p, w in zip(span, words, strict=True)
    )


def _a_list_of_quotes(items: Sequence[Piece]) -> bool:
    """Whether ``items`` are quoted phrases joined by commas, "and" or "or"."""
    quotes = [p for p in items if p.kind == "quote"]
    joins = [p for p in items if p.kind != "quote"]
    return len(quotes) >= 2 and all(p.text == "," or p.key in ("and", "or") for p in joins)


def _key(pieces: Sequence[Piece], term: Term, lexicon: Lexicon) -> tuple[str, ...]:
    """The matching key of a term's words (as :meth:`Names.build` keys names)."""
    return lexicon.key(" ".join(pieces[i].text for i in term.pieces))


def _as_unknown(
    pieces: set[int], terms: Sequence[Term], unknown: Sequence[int]
) -> tuple[list[Term], set[int]]:
    """The terms and unknown words with ``pieces`` (and the terms made of them) unknown."""
    return [t for t in terms if not pieces.issuperset(t.pieces)], set(unknown) | pieces


_LIST_JOINS = frozenset({",", "/", "or", "and"})
_LIST_ENDS = frozenset({",", "."})


def _bracketed_lists(
    pieces: Sequence[Piece], skip: Collection[int]
) -> tuple[set[int], set[int], set[int]]:
    """A list of single words or quoted phrases in brackets ("none of the marriage words (wife,
    husband, married)", "spam bait (free, call, txt, etc.)", "one of {wife, husband}"): the
    marks that only set it apart (the brackets, a trailing comma or full stop), which are no
    terms, the list's items, which name words, and the commas between them: the items are
    examples, so any one will do."""
    marks: set[int] = set()
    items: set[int] = set()
    commas: set[int] = set()
    opened: int | None = None
    for i, piece in enumerate(pieces):
        if piece.text in ("(", "[", "{"):
            opened = i
        elif piece.text in (")", "]", "}") and opened is not None:
            inside = [k for k in range(opened + 1, i) if k not in skip]
            trailing = []
            while inside and pieces[inside[-1]].text in _LIST_ENDS:  # "a, b, etc.", "a, b..."
                trailing.append(inside.pop())
            named = inside[::2]
            joined = all(pieces[k].key in _LIST_JOINS for k in inside[1::2])
            words = all(pieces[k].kind in ("word", "quote") for k in named)
            if len(inside) % 2 and len(named) > 1 and joined and words:
                marks.update((opened, i, *trailing))
                items.update(named)
                commas.update(k for k in inside[1::2] if pieces[k].text == ",")
            opened = None
    return marks, items, commas


def _respelled(
    pieces: list[Piece], lexicon: Lexicon, names: Names, sentence: str | None
) -> tuple[list[Piece], set[int]]:
    """The pieces with misspelt lexicon words keyed as the word meant ("befor" as "before"),
    and which those are. A task's own names are no typos; nor is a word of the sentence (a
    cue written unquoted: "father" there is no "farther")."""
    cues = set(_LETTERS_AT.findall(sentence.lower())) if sentence else set()  # "father's": father
    out, found = list(pieces), set()
    for i, piece in enumerate(pieces):
        lower = piece.text.lower()
        if piece.kind != "word" or lower in cues or names.owns((lower,)):
            continue
        meant = lexicon.respell(lower)
        if meant is not None:
            out[i] = replace(piece, key=lexicon.lemma(meant))
            found.add(i)
    return out, found


_CLAUSE_BREAKS = frozenset({"AND", "OR", "NOR", "THEN", "COMMA", "STOP"})
_ABBREVIATIONS = frozenset({"dr", "mr", "mrs", "ms", "st", "vs", "etc", "no", "approx", "jr", "sr"})


def _field_names(pieces: Sequence[Piece], lexicon: Lexicon) -> list[int]:
    """The names of fields in a form-like explanation, with their mark ("Cue: 'wife' |
    Position: right before person2", "trigger='caused by'", "Evidence - ..."): filler."""
    out: list[int] = []
    for span in _sequences(pieces, lexicon.field_names):
        mark = span[-1] + 1
        if mark >= len(pieces) or pieces[mark].text not in _FIELD_MARKS:
            continue
        if pieces[mark].text in _DASHES and not _spaced(pieces, mark):
            continue  # "cue-word": a hyphen, no field
        out += [*span, mark]
    return out


_BULLET_MARKS = frozenset({"*", "\u2022", "\u00b7"})


def _bullets(pieces: Sequence[Piece]) -> dict[int, bool]:
    """The pieces of list bullets ("(1) ... (2) ...", "1) ... 2) ...", "* ... * ..."), each True
    where a bullet after the first begins: it separates conditions that all hold (a sentence
    break there); the first one opens nothing. (A field separator "|" is punctuation, as
    before: "Cue: 'wife' | Position: right before person2" is one condition.)"""
    out: dict[int, bool] = {}
    seen_words = False
    i = 0
    while i < len(pieces):
        n = _bullet_at(pieces, i)
        if n and (out or not seen_words):  # a list opens with its first bullet ("a number (1)")
            out.update(dict.fromkeys(range(i, i + n), False))
            out[i] = seen_words
            i += n
            continue
        seen_words |= pieces[i].kind != "symbol"
        i += 1
    return out


def _bullet_at(pieces: Sequence[Piece], i: int) -> int:
    """How many pieces a bullet at ``i`` spans (0: none): "(1)", "(a)", "2)", "*"."""
    text = [p.text for p in pieces[i : i + 3]]
    if text[:1] and text[0] in _BULLET_MARKS:
        return 1
    spaced = i == 0 or pieces[i].start > pieces[i - 1].end  # not "word(s)"
    if len(text) == 3 and text[0] == "(" and _item_label(text[1]) and text[2] == ")" and spaced:
        return 3
    opened = any(p.text == "(" for p in pieces[:i]) and not any(p.text == ")" for p in pieces[:i])
    if len(text) >= 2 and _item_label(text[0]) and text[1] == ")" and not opened:
        return 2
    return 0


def _item_label(text: str) -> bool:
    """Whether ``text`` numbers a list item: "1", "12", "a"."""
    return (text.isdigit() and len(text) <= 2) or (
        len(text) == 1 and text.isalpha() and text.islower()
    )


def _sentence_break(
    pieces: Sequence[Piece], i: int, skip: Collection[int], answers: Collection[int] = ()
) -> bool:
    """Whether piece ``i`` is a full stop, a semicolon or a dash with spaces around it between
    two sentences of the explanation, which then both hold ("'getting' is right before the
    aspect. No word like 'tasty' is near it."): not one that ends it (only filler after it),
    nor a full stop after an abbreviation ("e.g.", "Dr."), unless the word is one of
    ``answers`` (the "No." that answers a question)."""
    if (
        pieces[i].text not in _SENTENCE_BREAKS
        or i == 0
        or (i + 1 < len(pieces) and pieces[i + 1].text == ".")
    ):
        return False  # of an ellipsis ("..."), only the last full stop
    if pieces[i].text in _DASHES and not _spaced(pieces, i):
        return False  # "in-between", "3-5": a dash inside a word or a range
    before = pieces[i - 1]
    if (
        pieces[i].text == "."
        and before.kind == "word"
        and ("." in before.text or before.key in _ABBREVIATIONS or _clipped(before))
        and i - 1 not in answers
    ):
        return False
    return any(p.kind != "symbol" and k not in skip for k, p in enumerate(pieces[i + 1 :], i + 1))


def _clipped(piece: Piece) -> bool:
    """Whether a word was written shorter than the lexicon spells it ("bef" for "before", "b/w"
    for "between"): a full stop after it marks the clipping, not a sentence's end."""
    return len(piece.text) > piece.end - piece.start


_DASHES = frozenset({"-", "\u2013", "\u2014"})
_SENTENCE_BREAKS = frozenset({".", ";", *_DASHES})
_FIELD_MARKS = frozenset({":", "=", *_DASHES})


def _spaced(pieces: Sequence[Piece], i: int) -> bool:
    """Whether piece ``i`` has a space on both sides ("... a person - the last word ...")."""
    return pieces[i - 1].end < pieces[i].start and (
        i + 1 == len(pieces) or pieces[i].end < pieces[i + 1].start
    )


def it_as_text(term: Term) -> Term:
    """ "it" read as the sentence (the text); the value "it" keeps the word it came from."""
    return replace(term, type="SENTENCE", value="it")


def _only_role(roles: Collection[str]) -> str | None:
    """The task's entity role when it has exactly one ("target"), else ``None``."""
    return next(iter(roles)) if len(roles) == 1 else None


def _resolve_it(terms: Sequence[Term], roles: Collection[str]) -> list[Term]:
    """ "it" may name an entity (the grammar decides where): the task's one entity, else the
    last entity the explanation named before it ("'for' comes directly after it") -- but not
    the subject of its own clause ("the disease appears before it": the entity before the
    disease) nor its partner ("between the chemical and it"); with neither, "it" is only the
    sentence."""
    one = _only_role(roles)
    named: list[str] = []  # entities in order, each once, the latest last
    since_break = False  # an entity was named since the last clause break
    out: list[Term] = []
    for term in terms:
        if term.type == "ENT" and len(roles) > 1:
            named = [*(role for role in named if role != term.value), term.value]
            since_break = True
        elif term.type in _CLAUSE_BREAKS:
            since_break = False
        elif term.type == "IT":
            # the other one of "the chemical and it", or of its clause's subject
            paired = len(out) > 1 and out[-1].type in ("AND", "OR") and out[-2].type == "ENT"
            others = named[:-1] if (since_break or paired) and len(named) > 1 else named
            last = others[-1] if others else one
            term = replace(term, value=last) if last else it_as_text(term)
        out.append(term)
    return out


def _the_two(pieces: list[Piece]) -> list[Piece]:
    """ "'of' comes between the two, so ...": "the two" that ends a clause is the pair, as "the
    pair" is (not "the two people", "between 2 and 5 words")."""
    out = list(pieces)
    for i in range(1, len(pieces)):
        closes = i + 1 == len(pieces) or pieces[i + 1].kind == "symbol"
        if pieces[i].text.lower() == "two" and pieces[i - 1].key == "the" and closes:
            out[i] = replace(pieces[i], key="pair")
    return out


_LETTERS = {"A": "1", "B": "2"}


def _lettered(pieces: list[Piece], names: Names) -> tuple[list[Piece], set[int]]:
    """ "person A" / "person B" for a task that names "person 1" / "person 2": the capital
    letter reads as the number (and is no article), where the task has both names."""
    out, lettered = list(pieces), set()
    for i in range(1, len(pieces)):
        piece, noun = pieces[i], pieces[i - 1].key
        if (
            piece.kind == "word"
            and piece.text in _LETTERS
            and all((noun, n) in names.entities for n in _LETTERS.values())
        ):
            out[i] = replace(piece, key=_LETTERS[piece.text])
            lettered.add(i)
    return out, lettered


BACK_REFERENCES = frozenset({"it", "them", "they", "that", "this", "these", "those"})
"""Pronouns that may name the quoted phrase before them (``tokenize(..., refer=True)``)."""
SINGULAR_REFERENCES = frozenset({"it", "that", "this"})
"""Those that name no pair: "after them" names the pair where that reads."""


_BREAKS = frozenset({"and", "or", "but", "then", ",", ";"})
_SAYING = frozenset({"say", "mention", "tell", "ask", "talk", "speak", "discuss", "state"})
"""Verbs whose subject "it" is the text, not a quoted phrase: "it only says what they ate"."""
_ADVERBS = frozenset({"only", "just", "also", "simply", "merely", "basically", "clearly", "really"})


def refers_back(pieces: Sequence[Piece]) -> bool:
    """Whether some pronoun follows a quoted phrase (``tokenize(..., refer=True)`` differs)."""
    return _refer_back(pieces) != list(pieces)


_CUE_OPENERS = (
    ("start", "with"), ("begin", "with"), ("open", "with"), ("end", "with"), ("finish", "with"),
    ("first", "word", "be"), ("last", "word", "be"), ("first", "word", "="), ("last", "word", "="),
    ("the", "word"), ("the", "verb"), ("the", "phrase"),
)  # fmt: skip
"""Base forms after which a phrase is named: "starts with ...", "the first word is ..."."""

_ARTICLES = frozenset({"the", "a", "an"})
_MAX_BARE = 4
"""The most words a phrase named without quotes runs to."""


def _named_as_cue(pieces: Sequence[Piece], i: int) -> bool:
    """Whether piece ``i`` opens a phrase named without quotes, right after "starts with" or
    "the first word is": a cue, not a filler ("it starts with when did": 'when did')."""
    if pieces[i].key in _ARTICLES or i + 1 >= len(pieces) or pieces[i + 1].kind != "word":
        return False  # "starts with the word 'x'", "starts with if," : fillers still
    # the words right before it, up to three ("the word 'x' also ..." has a quote between)
    run = itertools.takewhile(lambda p: p.kind == "word", reversed(pieces[max(i - 3, 0) : i]))
    keys = tuple(p.key for p in reversed(list(run)))
    return any(keys[-len(o) :] == o for o in _CUE_OPENERS)


def bare_cues(pieces: Sequence[Piece], sentence: str) -> list[Piece]:
    """Words named without quotes where a phrase goes (after :data:`_CUE_OPENERS`) read as a
    quoted phrase: the longest run of up to :data:`_MAX_BARE` words right there that the
    sentence holds ("the first word is who", "it begins with WHO WAS and ...", "ends with
    name"), lexicon words too -- which the parser's runs of unknown words leave out."""
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        n = _bare_phrase(out, pieces[i : i + _MAX_BARE + 1], sentence)
        if n:
            first, last = pieces[i], pieces[i + n - 1]
            text = " ".join(p.text for p in pieces[i : i + n])
            out.append(Piece(text, first.start, last.end, "quote", text))
        else:
            out.append(pieces[i])
        i += max(n, 1)
    return out


def _bare_phrase(before: Sequence[Piece], ahead: Sequence[Piece], sentence: str) -> int:
    """How many of the words ``ahead`` make a phrase named without quotes (0: none): right
    after an opener, the longest run the sentence holds, not opening with an article; or, as
    a clause's subject, such a run right before a verb of place ("receptor antagonists comes
    right after glutamate", "... and doxorubicin induced is right before the disease")."""
    # any words among the three pieces before count here (a quoted phrase may sit between)
    keys = tuple(p.key for p in before[-3:] if p.kind == "word")
    opened = any(keys[-len(o) :] == o for o in _CUE_OPENERS)
    subject = not before or before[-1].key in _CLAUSE_OPENERS
    if not opened and not subject:
        return 0
    words = list(itertools.takewhile(lambda p: p.kind == "word", ahead))[:_MAX_BARE]
    if not words or words[0].key in _ARTICLES:  # "starts with the word ..."
        return 0
    if not opened and words[0].key in _NOT_CUES | _CLAUSE_OPENERS:  # "and ..." opens a clause
        return 0
    for n in range(len(words), 0, -1):
        if not opened and (n >= len(ahead) or ahead[n].key not in _PLACE_VERBS):
            continue
        text = re.escape(" ".join(p.text for p in words[:n]))
        if re.search(rf"(?<!\w){text}(?!\w)", sentence, flags=re.IGNORECASE):
            return n
    return 0


_CLAUSE_OPENERS = frozenset({"and", "so", "then", ",", "but", "because", "since"})
_PLACE_VERBS = frozenset({"come", "be", "appear", "occur", "show", "sit", "follow", "precede"})
_NOT_CUES = frozenset({"it", "this", "that", "they", "there", "which", "what", "he", "she", "i"})


def _refer_back(pieces: Sequence[Piece]) -> list[Piece]:
    """Each pronoun after a quoted phrase read as the last such phrase -- but not the subject of
    its own clause ("'drink' comes within three words after it": the phrase before 'drink'),
    nor "it" that says something (:func:`_names_text`)."""
    out: list[Piece] = []
    quotes: list[tuple[Piece, int]] = []  # each quoted phrase with the clause it is in
    clause = 0
    for i, piece in enumerate(pieces):
        if piece.key in _BREAKS:
            clause += 1
        elif piece.kind == "quote":
            quotes.append((piece, clause))
        elif (
            quotes
            and piece.kind == "word"
            and piece.key in BACK_REFERENCES
            and not _names_text(pieces, i)
        ):
            own = quotes[-1][1] == clause and len(quotes) > 1
            quote = quotes[-2 if own else -1][0]
            piece = replace(piece, kind="quote", key=quote.key)
        out.append(piece)
    return out


def _names_text(pieces: Sequence[Piece], i: int) -> bool:
    """Whether piece ``i`` is "it" as the subject of a verb of saying ("it (only) says ..."):
    the text, not a quoted phrase."""
    if pieces[i].key != "it":
        return False
    rest = (p.key for p in pieces[i + 1 :] if p.key not in _ADVERBS)
    return next(rest, None) in _SAYING


_JOINED = {
    "ENT": ("ENT", "QUOTE", "WORD", "NOTHING", "NOT", "NONE", "NUM", "CMP"),
    "QUOTE": ("NUM", "CMP"),
    "COMMA": ("NUM", "CMP"),
    "CLASS": ("NUM", "CMP"),
}
"""What a joining word may stand between: the type of the term before it -> those after it."""


def _joiners(
    pieces: Sequence[Piece], terms: Sequence[Term], unknown: Sequence[int], lexicon: Lexicon
) -> set[int]:
    """Unknown joining words ("to", "with") between an entity and an entity or a quoted word,
    or between a class of words and a number, with nothing else in between: "connects SUBJ to
    OBJ", "precedes OBJ with 'of' in between" ("with nothing in between", "with no words
    between them", "with at most 3 words between them"), "a number with five digits"."""
    found: set[int] = set()
    for i in unknown:
        if pieces[i].key not in lexicon.joiners:
            continue
        before = [t for t in terms if t.pieces[-1] < i]
        after = [t for t in terms if t.pieces[0] > i]
        if not before or not after or after[0].type not in _JOINED.get(before[-1].type, ()):
            continue
        gap = range(before[-1].pieces[-1] + 1, after[0].pieces[0])
        if all(k == i or k not in unknown for k in gap):
            found.add(i)
    return found


_LIST_NEXT = frozenset({",", ".", "and", "or", "etc"})
_LISTABLE = frozenset({"ENT", "QUOTE", "NUM", "COMMA", "AND", "OR", "STOP", "LPAR", "RPAR"})


def _listed_among_unknown(
    pieces: Sequence[Piece], terms: list[Term], unknown: list[int]
) -> tuple[list[Term], list[int]]:
    """A lexicon word listed with unknown words ("any of the words size, length, width"): one
    more word of the list, as unknown as the others (the parser may read the list as quoted
    words), not the lexicon's."""
    unknown_set = set(unknown)
    listed = set()
    for term in terms:
        i = term.pieces[0]
        if len(term.pieces) != 1 or term.type in _LISTABLE or pieces[i].kind != "word" or i < 2:
            continue
        after = pieces[i + 1].key if i + 1 < len(pieces) else "."
        beside = i - 2 in unknown_set or i + 2 in unknown_set
        if pieces[i - 1].text == "," and after in _LIST_NEXT and beside:
            listed.add(i)
    if not listed:
        return terms, unknown
    return [t for t in terms if t.pieces[0] not in listed], sorted(unknown_set | listed)


_MODALS = frozenset({"should", "must", "can", "could", "will", "would", "may", "might", "shall"})


def _not_be(pieces: list[Piece]) -> list[Piece]:
    """ "not be" after a modal is "be not", as a statement says it ("'ex' should not be between
    them", "there must not be more than 3 words": "there are not more than 3 words")."""
    out = list(pieces)
    for i in range(1, len(out) - 1):
        if out[i].key == "not" and out[i + 1].key == "be" and out[i - 1].key in _MODALS:
            out[i], out[i + 1] = out[i + 1], out[i]
    return out


def _exactly_quoted(terms: list[Term]) -> list[Term]:
    """ "are exactly 'of the'": "exactly" (an equality) right before a quoted phrase means only
    that phrase."""
    quoted = {k for k in range(1, len(terms)) if terms[k].type == "QUOTE"}
    return [
        Term("ONLY", "", t.pieces, t.start, t.end)
        if t.type == "CMP" and t.value == "==" and k + 1 in quoted
        else t
        for k, t in enumerate(terms)
    ]


def _digit_nouns(
    pieces: Sequence[Piece], terms: list[Term], unknown: list[int]
) -> tuple[list[Term], list[int]]:
    """An unknown noun right after "N-digit" names a number ("a 5-digit code", "an 8-digit
    pin"): a number, as "a five-digit number" says."""
    unknown_set = set(unknown)
    found: list[Term] = []
    named: set[int] = set()
    for k, term in enumerate(terms):
        found.append(term)
        noun = term.pieces[-1] + 1
        if term.type == "DIGIT" and k and terms[k - 1].type == "NUM" and noun in unknown_set:
            found.append(
                Term("CLASS", "shape:number", (noun,), pieces[noun].start, pieces[noun].end)
            )
            named.add(noun)
    return found, [i for i in unknown if i not in named]


MAX_DESCRIBER_WORDS = 2


def _unknown_before(end: int, unknown: set[int]) -> range:
    """The unknown words right before piece ``end``, at most :data:`MAX_DESCRIBER_WORDS`."""
    start = end
    while start - 1 in unknown and end - start < MAX_DESCRIBER_WORDS:
        start -= 1
    return range(start, end)


def _describers(terms: Sequence[Term], unknown: Sequence[int]) -> set[int]:
    """Unknown words that say what kind of word is named next ("the praise word 'impeccable'",
    "no opinion words like 'good' or 'bad'"): up to two, right before "word(s)", when a quoted
    phrase or an example follows it."""
    unknown_set = set(unknown)
    return {
        i
        for term, after in itertools.pairwise(terms)
        if term.type == "WORD" and after.type in ("QUOTE", "LIKE")
        for i in _unknown_before(term.pieces[0], unknown_set)
    }


_ARTICLES = frozenset({"a", "an", "the"})


def _appositions(pieces: Sequence[Piece], unknown: Sequence[int]) -> set[int]:
    """Unknown words that name what the quoted phrase right after them is, between an article
    and the quote: "ends with the smiley ':-)'", "a greeting 'yo'" (up to two words)."""
    found: set[int] = set()
    unknown_set = set(unknown)
    for q, piece in enumerate(pieces):
        run = _unknown_before(q, unknown_set) if piece.kind == "quote" else range(0)
        if run and run.start > 0 and pieces[run.start - 1].key in _ARTICLES:
            found.update(run)
    return found


def _sequences(
    pieces: Sequence[Piece], wanted: frozenset[tuple[str, ...]], start: int = 0
) -> list[range]:
    """Where the word sequences in ``wanted`` (matched on keys) occur, from ``start`` on."""
    lengths = _lengths_by_first_key(wanted)
    found: list[range] = []
    i = start
    while i < len(pieces):
        for n in lengths.get(pieces[i].key, ()):
            if n > len(pieces) - i:
                continue
            span = range(i, i + n)
            if all(pieces[k].kind != "quote" for k in span) and (
                tuple(pieces[k].key for k in span) in wanted
            ):
                found.append(span)
                i += n
                break
        else:
            i += 1
    return found


@lru_cache(maxsize=64)
def _lengths_by_first_key(wanted: frozenset[tuple[str, ...]]) -> dict[str, tuple[int, ...]]:
    """For each first word of the sequences in ``wanted``, their lengths, longest first (the
    lexicon's phrase sets are few and fixed: each is indexed once)."""
    lengths: dict[str, set[int]] = {}
    for sequence in wanted:
        lengths.setdefault(sequence[0], set()).add(len(sequence))
    return {key: tuple(sorted(ns, reverse=True)) for key, ns in lengths.items()}


_SENTENCE_END = {".", "!", "?", ";"}
_CLAUSE_ENDS = frozenset({*_SENTENCE_END, ","})
MAX_REMARKS = 4
"""At most this many remark candidates (the last ones) are offered to the parser."""


def _remarks(
    pieces: Sequence[Piece],
    skip: set[int],
    lexicon: Lexicon,
    names: Names,
    terms: Sequence[Term],
    unknown: set[int],
) -> tuple[tuple[int, ...], ...]:
    """Parentheticals, stretches from a remark opener (after some content) to the end of its
    sentence, a statement of the label before the reason ("I think it is spouse" before
    "because ...", "This one is ham," before the rest) and asides (see :func:`_asides`)."""
    found: list[tuple[int, ...]] = []
    stack: list[int] = []
    for i, piece in enumerate(pieces):
        if piece.kind != "symbol":
            continue
        if piece.text in ("(", "["):
            stack.append(i)
        elif piece.text in (")", "]") and stack:
            found.append(tuple(range(stack.pop(), i + 1)))
    content = [i for i, p in enumerate(pieces) if p.kind != "symbol" and i not in skip]
    start = content[0] + 1 if content else len(pieces)
    for opener in _sequences(pieces, lexicon.remark_openers, start):
        end = _sentence_end(pieces, opener.stop)
        found.append(tuple(range(opener.start, end)))
    # any non-restrictive relative clause too, up to the next comma or to the end of its sentence:
    # "'3', which is an age, and ...", "'was requested by', which is just someone asking, ...",
    # or right after a quoted phrase, the comma left out ("'alliance' which is a word for ...")
    for i in range(max(start, 1), len(pieces)):
        after = pieces[i - 1].text == "," or pieces[i - 1].kind == "quote"
        if pieces[i].key == "which" and after and i not in skip:
            end = _sentence_end(pieces, i)
            comma = next((k for k in range(i, end) if pieces[k].text == ","), end)
            found.extend({tuple(range(i, comma)), tuple(range(i, end))})
    found.extend(tuple(c) for c in _concessions(pieces, skip, lexicon))
    found.extend(tuple(c) for c in _absolutes(pieces))
    found.extend(tuple(c) for c in _counterfactuals(pieces))
    found.extend(tuple(c) for c in _named_contrasts(pieces))
    closer = next(iter(_sequences(pieces, lexicon.statement_closers, start)), None)
    # a statement is short: a long stretch before "since" is the reason itself ("The question
    # ends with 'stand for' ..., since 'what else ...' asks for a meaning")
    if closer is not None and _count_said(pieces[: closer.start]) <= MAX_CLOSED_STATEMENT:
        found.append(tuple(range(closer.stop)))
    clauses = _clauses(pieces)
    # the last asides are offered first: a note's glosses after them
    asides = _arrow_glosses(pieces, terms, names) + _asides(pieces, clauses, terms, unknown)
    if len(clauses) > 1 and (
        _states_a_label(pieces, clauses[0], names)
        or (pieces[clauses[1].start].text == ":" and _heading(pieces, clauses[0], terms, unknown))
    ):
        found.append(tuple(range(clauses[1].start)))
    found = sorted(set(found))  # one opener may be found twice (", which shows")
    return tuple(dict.fromkeys([*found[-MAX_REMARKS:], *asides[-MAX_ASIDES:]]))


def _count_said(pieces: Sequence[Piece]) -> int:
    """The words and quoted phrases among ``pieces``."""
    return sum(p.kind != "symbol" for p in pieces)


def _sentence_end(pieces: Sequence[Piece], start: int) -> int:
    """The index of the first sentence end at or after ``start`` (or the end)."""
    return next(
        (
            k
            for k in range(start, len(pieces))
            if pieces[k].kind == "symbol" and pieces[k].text in _SENTENCE_END
        ),
        len(pieces),
    )


_CLAUSE_MARKS = {",", ";", ":", "--", *_DASHES}
MAX_ASIDES = 2
"""At most this many asides (the last ones) are offered to the parser."""
MAX_STATEMENT_WORDS = 6
"""A leading statement of the label has at most this many words ("This one is clearly ham")."""
MAX_CLOSED_STATEMENT = 10
"""A statement of the label before "because" has at most this many words and quoted phrases
("In my opinion this one is clearly spouse because ...")."""


def _clauses(pieces: Sequence[Piece]) -> list[range]:
    """The stretches between clause marks (commas, semicolons, colons, dashes, sentence ends),
    each with the mark that opens it."""
    marks = _CLAUSE_MARKS | _SENTENCE_END
    cuts = [i for i, p in enumerate(pieces) if p.kind == "symbol" and p.text in marks]
    bounds = [0, *cuts, len(pieces)]
    return [range(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def _states_a_label(pieces: Sequence[Piece], clause: range, names: Names) -> bool:
    """Whether a clause is a short statement of a label ("This one is ham", "I would say
    neutral")."""
    words = [i for i in clause if pieces[i].kind == "word"]
    if not words or len(words) > MAX_STATEMENT_WORDS:
        return False
    if any(pieces[i].kind == "quote" for i in clause):
        return False
    keys = [pieces[i].key for i in words]
    return any(
        tuple(keys[k : k + len(label)]) == label
        for label in names.labels
        for k in range(len(keys) - len(label) + 1)
    )


def _asides(
    pieces: Sequence[Piece], clauses: Sequence[range], terms: Sequence[Term], unknown: set[int]
) -> list[tuple[int, ...]]:
    """Clauses after the first that name no quoted phrase, entity or number and hold a word the
    lexicon does not know: the annotator's asides ("..., in a list of things they have", "...,
    which is typical for a scam"). A clause that names nothing to look for seldom states a rule
    babble can check; the parser drops one only when the rest then reads with fewer skips. So
    is a first clause that is a whole sentence ("It's a news byline. The giveaway is ..."),
    with its full stop."""
    found = [
        tuple(clause[1:])  # without the mark that opens it, like the other remarks
        for clause in clauses[1:]
        if _names_nothing(pieces, clause, terms, unknown)
    ]
    # a number in such a sentence is the gist's, not a cue's ("The portion is big enough to feed
    # two. 'share one' comes right before the term")
    if len(clauses) > 1 and _names_nothing(pieces, clauses[0], terms, unknown, numbers=False):
        stop = clauses[1].start
        if pieces[stop].text in _SENTENCE_END:
            found.insert(0, (*clauses[0], stop))
    return found


def _heading(
    pieces: Sequence[Piece], clause: range, terms: Sequence[Term], unknown: set[int]
) -> bool:
    """Whether the clause before a colon is a short heading that names nothing to look for ("Not
    a cause: the disease comes right after ..."): its "not" is no part of the rule."""
    words = [i for i in clause if pieces[i].kind == "word"]
    return len(words) <= MAX_STATEMENT_WORDS and _names_nothing(pieces, clause, terms, unknown)


_ARROWS = frozenset({"\u2192", "\u21d2", "\u27f6", "\u27f9", "\u21e8", "\u27a1", "\u2794"})
"""Arrows of a note ("'who played' \u2192 an actor \u2192 HUM"), beside "->", "=>" and "="
after a quoted phrase."""


def _arrow_at(pieces: Sequence[Piece], i: int) -> range | None:
    """The pieces of an arrow starting at ``i`` ("\u2192", "->", "=>", or "=" after a quoted
    phrase), or None."""
    piece = pieces[i]
    if piece.kind != "symbol":
        return None
    if i + 1 < len(pieces) and _arrow_head(pieces, i + 1) and piece.text in ("-", "="):
        return range(i, i + 2)
    # "'who' = a person": what a cue means (not "e1 = 'x'", an entity's text)
    glossed = piece.text == "=" and i > 0 and pieces[i - 1].kind == "quote"
    return range(i, i + 1) if piece.text in _ARROWS or glossed else None


def _arrow_glosses(
    pieces: Sequence[Piece], terms: Sequence[Term], names: Names
) -> list[tuple[int, ...]]:
    """What a note says its cue means, naming no quoted phrase, entity or number: a step between
    two arrows ("'who' = a person => HUM", "... \u2192 an actor \u2192 HUM"; with an "=" that
    opens it, read as "is" otherwise), between the last arrow and a label after a mark ("...
    \u2192 a work collab, not_spouse") or after a label the last arrow leads to ("... \u2192 LOC,
    an easy one")."""
    arrows = [a for i in range(len(pieces)) if (a := _arrow_at(pieces, i)) is not None]
    if not arrows:
        return []
    steps = [range(a.stop, b.start) for a, b in itertools.pairwise(arrows)]
    last = arrows[-1].stop
    label = _label_span(pieces, last, names)
    marks = [k for k in range(last, len(pieces)) if _is_mark(pieces[k], _CLAUSE_MARKS)]
    if label is not None and label.stop < len(pieces):
        steps.append(range(label.stop, len(pieces)))  # "-> LOC, an easy one"
    elif marks and _label_span(pieces, marks[-1] + 1, names) is not None:
        steps.append(range(last, marks[-1]))  # "-> a work collab, not_spouse"
    found: list[tuple[int, ...]] = []
    for step, arrow in zip(steps, arrows, strict=False):  # each step after its arrow
        within = not any(_is_mark(pieces[k], _SENTENCE_END) for k in step)
        if step and within and _names_nothing(pieces, step, terms, None):
            equals = len(arrow) == 1 and pieces[arrow.start].text == "="
            opening = arrow if equals and step.start == arrow.stop else range(0)
            found.append((*opening, *step))
    return found


def _label_span(pieces: Sequence[Piece], i: int, names: Names) -> range | None:
    """The pieces of a label name that starts at piece ``i`` (the longest), or None."""
    longest = max((len(k) for k in names.labels), default=0)
    for n in range(min(longest, len(pieces) - i), 0, -1):
        span = range(i, i + n)
        if pieces[i].kind == "word" and tuple(pieces[k].key for k in span) in names.labels:
            return span
    return None


def _names_nothing(
    pieces: Sequence[Piece],
    clause: range,
    terms: Sequence[Term],
    unknown: set[int] | None,
    numbers: bool = True,
) -> bool:
    """Whether a clause names no quoted phrase, entity or number (with ``numbers``) and holds
    an unknown word (any words with ``unknown`` None)."""
    kinds = ("QUOTE", "ENT", "NUM", "IT") if numbers else ("QUOTE", "ENT", "IT")
    anchored = {i for t in terms if t.type in kinds for i in t.pieces}
    if any(i in anchored or pieces[i].kind == "quote" for i in clause):
        return False
    return any(pieces[i].kind == "word" if unknown is None else i in unknown for i in clause)


_Found = tuple[str, str, tuple[int, ...]]  # (terminal, value, piece indices)


def _match(
    pieces: Sequence[Piece], i: int, skip: set[int], names: Names, lexicon: Lexicon
) -> _Found | None:
    """The longest phrase starting at piece ``i`` (fillers between its words are allowed)."""
    span: list[int] = []
    j = i
    while j < len(pieces) and len(span) < lexicon.max_len + 2:
        if j in skip:
            j += 1
            continue
        if pieces[j].kind == "quote":
            break
        span.append(j)
        j += 1
    for n in range(len(span), 0, -1):
        indices = tuple(span[:n])
        key = tuple(pieces[k].key for k in indices)
        if key in names.entities and not (key in names.generic and _owned(pieces, indices[-1])):
            return ("ENT", names.entities[key], indices)
        if key in names.lists:
            return ("LIST", names.lists[key], indices)
        if key in lexicon.phrases:
            terminal, value = lexicon.phrases[key]
            return (terminal, value, indices)
    return None


def _owned(pieces: Sequence[Piece], last: int) -> bool:
    """Whether "of" follows piece ``last``: "the subject of the sentence", "the object of his
    affection" name no argument of the task."""
    return last + 1 < len(pieces) and pieces[last + 1].key == "of"


def _emit(found: _Found, pieces: Sequence[Piece], terms: list[Term]) -> int:
    terminal, value, indices = found
    first, last = pieces[indices[0]], pieces[indices[-1]]
    terms.append(Term(terminal, value, indices, first.start, last.end))
    return indices[-1] + 1


_AS_PHRASES = frozenset({"well", "soon", "long", "far", "much", "many", "if", "in", "a", "an"})
"""Words after "as" that make a phrase of it ("as well as", "as if", "as a result")."""


def _leading_as(pieces: Sequence[Piece], skip: set[int]) -> list[int]:
    """ "as" that opens the reason -- the first word, fillers and a leading label aside: "As
    'consists of' is right after e1", "Negative as 'rude' comes after the aspect" -- means
    "because": a filler. Not "as well as", "as if" and the like (:data:`_AS_PHRASES`)."""
    words = [i for i, p in enumerate(pieces) if i not in skip and p.kind != "symbol"]
    if len(words) < 2 or pieces[words[0]].key != "as":
        return []
    following = next(p for p in pieces[words[0] + 1 :] if p.kind != "symbol")  # fillers too
    return [] if following.kind == "word" and following.key in _AS_PHRASES else [words[0]]


def _leading_label(
    pieces: Sequence[Piece], skip: set[int], names: Names, lexicon: Lexicon
) -> list[int]:
    """A label name that opens the explanation, spelled as the label space spells it
    (punctuation included: "Cause-Effect(e1,e2)"), is a filler when "label" comes before it or a
    filler ("because", "if", "when") or punctuation after it: "Label true because ...", "True,
    because ...", "label Cause-Effect(e1,e2) if ..."."""
    seq: list[int] = []  # the pieces up to the first quote, fillers aside
    for i, piece in enumerate(pieces):
        if piece.kind == "quote":
            break
        if i not in skip:
            seq.append(i)
    verbs: list[int] = []
    start = 0  # past leading punctuation and a label verb: "Mark: spouse, because ..."
    while start < len(seq) and (
        pieces[seq[start]].kind == "symbol"
        or pieces[seq[start]].key in _LABEL_VERBS
        or (  # "Mark it as spouse", "Label as X"
            pieces[seq[start]].key in _LABEL_OBJECTS
            and any(pieces[i].key in _LABEL_VERBS for i in range(seq[start]))
        )
        or (  # "We assign neutral"
            pieces[seq[start]].key in _LABEL_SUBJECTS
            and seq[start] + 1 < len(pieces)
            and pieces[seq[start] + 1].key in _LABEL_VERBS
        )
    ):
        if pieces[seq[start]].kind == "word":
            verbs.append(seq[start])
        start += 1
    if start >= len(seq):
        return []
    # a label is a run of consecutive pieces, fillers aside
    longest = max((len(k) for k in names.labels), default=0)
    labelled = any(pieces[i].key in _LABEL_VERBS for i in range(seq[start]))
    for n in range(min(longest, len(seq) - start), 0, -1):
        span = seq[start : start + n]
        if tuple(pieces[i].key for i in span) not in names.labels:
            continue
        after = span[-1] + 1
        closed = after >= len(pieces) or after in skip or pieces[after].kind == "symbol"
        # "Negative as 'rude' comes after ...", "Return ham unless ..."
        closed = closed or pieces[after].key in ("as", "unless", "except")
        if labelled or closed:
            return verbs + span + _statement_tail(pieces, skip, after)
    return []


def _statement_tail(pieces: Sequence[Piece], skip: Collection[int], after: int) -> list[int]:
    """The words from piece ``after`` on that carry on a statement of the label named before
    them ("the label X shall be assigned where ...", "X is to be assigned, ..."), when a mark,
    a condition's opener or the end closes them; else none."""
    k = after
    while k < len(pieces) and k not in skip and pieces[k].key in _STATEMENT_TAIL:
        k += 1
    if k == after or pieces[k - 1].key not in _STATEMENT_TAIL_VERBS:
        return []  # "X is 'y'" is no statement of X
    # what closes it: a mark, the end or a condition's opener ("... shall be assigned where")
    closed = k == len(pieces) or pieces[k].kind == "symbol" or pieces[k].key in _CONDITION_OPENERS
    return list(range(after, k)) if closed else []


def _trailing_label(pieces: Sequence[Piece], skip: set[int], names: Names) -> list[int]:
    """A label name that closes the explanation after punctuation, an arrow or a conclusion
    ("... -> positive", "...; so spouse.", "... hence Cause-Effect(e1,e2)") is a filler, with
    what leads up to it and any final punctuation."""
    # a label verb stays in view even where it is filler: "... and label it spouse"
    seq = [i for i in range(len(pieces)) if i not in skip or pieces[i].key in _LABEL_VERBS]
    while seq:  # the label may end in punctuation ("(e1,e2)"), or a period may follow it
        found = _label_at_end(pieces, seq, names)
        if found is not None:
            return [*found, *range(seq[-1] + 1, len(pieces))]
        if pieces[seq[-1]].kind != "symbol":
            return []
        seq = seq[:-1]
    return []


_STATEMENT_WORDS = frozenset({
    "it", "this", "that", "they", "them", "be", "as", "treat", "call", "count", "so", "hence",
    "therefore", "thus", "then", "label", "mark", "tag", "answer", "would", "should", "will",
    # as rules and contracts state it: "the candidate shall be deemed negative", "the pair is
    # to be labelled not_spouse", "the relation X shall be assigned"
    "shall", "may", "to", "deemed", "considered", "regarded", "treated", "assigned", "hereby",
    "candidate", "pair", "instance", "example", "relation", "class", "category",
})  # fmt: skip
"""Words that lead up to a label stated inside an explanation ("it is spouse", "treat them as
not_spouse", "that counts as negative", "so LOC")."""
_STATEMENT_TAIL_VERBS = frozenset({"assigned", "apply", "given"})
_STATEMENT_TAIL = frozenset({"be", "to", "shall", "will", "should", "may", *_STATEMENT_TAIL_VERBS})
"""Words that may follow a label named first: "the label X shall be assigned", "X applies";
they end with one of :data:`_STATEMENT_TAIL_VERBS`."""
_STATEMENT_ENDS = frozenset({"unless", "except", "provide", "provided", "as", "if", "only", "when"})
_CONDITION_OPENERS = _STATEMENT_ENDS | {"where", "whenever", "in"}  # "in the event that"
MAX_STATEMENT_LEAD = 6


def _inner_labels(pieces: Sequence[Piece], skip: set[int], names: Names) -> list[int]:
    """A label stated at the start of a sentence or clause inside the explanation, before its
    condition or at the clause's end ("... . Not spouse unless 'wife' appears", "..., so LOC,
    unless ...", "That counts as negative provided that ..."): filler, with the words that lead
    up to it; the condition after it stays ("A. Negative unless B" holds where A does and B
    does not)."""
    seq = [i for i in range(len(pieces)) if i not in skip]
    found: list[int] = []
    for n in range(len(seq)):
        # after a question, "yes" or "no" answers it (see _questions), whatever the labels
        opens = n == 0 or _is_mark(pieces[seq[n - 1]], (_CLAUSE_MARKS | _SENTENCE_END) - {"?"})
        if opens:
            found.extend(_stated_label(pieces, seq, n, names))
    return found


def _is_mark(piece: Piece, marks: Collection[str]) -> bool:
    """Whether ``piece`` is one of the punctuation ``marks``."""
    return piece.kind == "symbol" and piece.text in marks


def _stated_label(pieces: Sequence[Piece], seq: list[int], n: int, names: Names) -> list[int]:
    """The pieces ``seq[n:]`` that state a label (see :func:`_inner_labels`), or none."""
    lead = n
    while (
        lead < len(seq)
        and lead - n < MAX_STATEMENT_LEAD
        and pieces[seq[lead]].kind == "word"
        and (
            pieces[seq[lead]].key in _STATEMENT_WORDS
            # the statement's subject may be an entity: "The term is to be labelled X where ..."
            or (lead == n and (pieces[seq[lead]].key,) in names.entities)
        )
    ):
        lead += 1
    longest = max((len(k) for k in names.labels), default=0)
    for size in range(min(longest, len(seq) - lead), 0, -1):
        span = seq[lead : lead + size]
        # a label may hold marks ("Cause-Effect(e1,e2)"), but starts with a word
        if pieces[span[0]].kind != "word" or any(pieces[k].kind == "quote" for k in span):
            continue
        if tuple(pieces[k].key for k in span) not in names.labels:
            continue
        tail = _statement_tail(pieces, set(range(len(pieces))) - set(seq), span[-1] + 1)
        if tail:
            return [*seq[n : lead + size], *tail]
        after = pieces[seq[lead + size]] if lead + size < len(seq) else None
        if after is None or after.key in _STATEMENT_ENDS or span[-1] + 1 not in seq:
            return seq[n : lead + size]  # then its condition (or a filler: "provided that")
        # a clause of its own; a bare label between commas is an item of a list ("(wife,
        # husband, spouse)")
        bare = lead == n and n > 0 and pieces[seq[n - 1]].text == ","
        alone = _is_mark(after, _CLAUSE_MARKS | _SENTENCE_END) and not bare
        return seq[n : lead + size] if alone else []
    return []


_ALSO = frozenset({"either", "too"})


def _sentence_final_also(pieces: Sequence[Piece], skip: set[int]) -> list[int]:
    """ "either" or "too" that ends a sentence means "also" ("there is no causal word either",
    "'x' is in it too"): filler."""
    found = []
    for i, piece in enumerate(pieces):
        if piece.kind != "word" or piece.key not in _ALSO or i in skip or i == 0:
            continue
        after = next((p for k, p in enumerate(pieces[i + 1 :], i + 1) if k not in skip), None)
        if after is None or (after.kind == "symbol" and after.text in _CLAUSE_ENDS):
            found.append(i)
    return found


_STEP_MARKS = frozenset({":", ".", ")"})


def _procedure_steps(
    pieces: Sequence[Piece], instructions: Sequence[range], lexicon: Lexicon
) -> list[int]:
    """The words that order a procedure's steps, at the start of a sentence: "Step 2:" (and the
    mark after it), and "first", "then", "start by" ... before an instruction or a comma
    ("First, make sure ...", "Then check that ..."); and the verb that opens a step ("Find
    'x' ...", "First find the term, then look at ...")."""
    verbs = {span.start: span for span in _sequences(pieces, lexicon.step_verbs)}
    begins = {span.start for span in instructions} | verbs.keys()
    found: list[int] = []
    steps = [i + 1 for i in range(len(pieces) - 1) if _then_after_comma(pieces, i)]
    for start in _sentence_starts(pieces):
        i = start
        if pieces[i].key == "step" and i + 1 < len(pieces) and _is_number(pieces[i + 1], lexicon):
            i += 2
            i += i < len(pieces) and _is_mark(pieces[i], _STEP_MARKS)
            found.extend(range(start, i))
        steps.append(i)
        adverb = next(iter(_sequences(pieces[i:], lexicon.sequence_adverbs)), None)
        if adverb is None or adverb.start != 0:
            continue
        after = i + adverb.stop
        after += after < len(pieces) and _is_mark(pieces[after], {","})
        if after < len(pieces) and (after in begins or _is_mark(pieces[after - 1], {","})):
            found.extend(range(i, after))
        steps.append(after)
    for i in steps:
        verb = verbs.get(i)
        if verb is not None and verb.stop < len(pieces) and not _is_be(pieces[verb.stop]):
            found.extend(verb)
    return found


def _is_be(piece: Piece) -> bool:
    """Whether ``piece`` is the verb "be" ("check is the last word": the word is the sentence's
    subject, not an instruction; a quoted 'is' is no verb)."""
    return piece.kind == "word" and piece.key == "be"


def _then_after_comma(pieces: Sequence[Piece], i: int) -> bool:
    """Whether piece ``i`` is "then" after a comma or ";" ("..., then look at ...")."""
    return pieces[i].key == "then" and i > 0 and _is_mark(pieces[i - 1], {",", ";"})


def _sentence_starts(pieces: Sequence[Piece]) -> list[int]:
    """The first piece of each sentence (after a full stop, "!", "?", ";" or ":")."""
    return [
        i
        for i in range(len(pieces))
        if pieces[i].kind == "word" and (i == 0 or _is_mark(pieces[i - 1], _SENTENCE_END | {":"}))
    ]


def _is_number(piece: Piece, lexicon: Lexicon) -> bool:
    """A number in digits or in words ("2", "two")."""
    return piece.key.isdigit() or lexicon.phrases.get((piece.key,), ("",))[0] == "NUM"


_ELLIPTICAL_IF = frozenset({"they", "it", "this", "that", "both"})
_ELLIPTICAL_VERB = frozenset({"be", "do", "hold", "apply"})


def _elliptical_ifs(pieces: Sequence[Piece]) -> list[int]:
    """ "If they are, ...", "if it does, ...", "if both, ...", "when both are true it's ...": a
    condition left out because it was just said (as "if so"), filler up to the clause mark,
    "then" or "it" after it."""
    found: list[int] = []
    for i in range(len(pieces) - 2):
        if pieces[i].key not in ("if", "when") or pieces[i + 1].key not in _ELLIPTICAL_IF:
            continue
        end = i + 2
        end += end < len(pieces) and pieces[end].key in _ELLIPTICAL_VERB
        end += pieces[i + 1].key == "both" and end < len(pieces) and pieces[end].key == "true"
        if end == i + 2 and pieces[i + 1].key != "both":
            continue  # "if it ..." says what it is
        if _closes_an_elliptical_if(pieces, end):
            found.extend(range(i, end))
    return found


_NAMING_WHERE = frozenset({"with", "word", "be", "="})
"""Base forms after which "where" is a word named ("starts with where", "the first word is
where"), not a condition."""


def _conditional_wheres(pieces: Sequence[Piece]) -> list[int]:
    """ "where" that opens a condition, as rules and contracts state one ("Label X where 'y'
    precedes ...", "Where the disease comes first, ..."): filler, like "if". Not a "where"
    that is named ("the first word is where", "first word where -> LOC")."""
    return [
        i
        for i in range(len(pieces) - 1)
        if pieces[i].kind == "word"
        and pieces[i].key == "where"
        and (i == 0 or pieces[i - 1].key not in _NAMING_WHERE)
        and (pieces[i + 1].kind != "symbol" or pieces[i + 1].text == "(")
    ]


_SAID_NOUNS = frozenset({
    "word", "term", "phrase", "pair", "candidate", "sentence", "text", "message", "question",
    "entity", "mention", "label", "relation", "review", "token", "party", "expression",
})  # fmt: skip
"""Nouns a drafter points back to with "the said" ("the said term"), beside entity names."""


def _the_said(pieces: Sequence[Piece], names: Names) -> list[int]:
    """ "said" in "the said term", "the said disease": a drafter's "that", filler -- not the
    verb ("the word said before it")."""
    firsts = {key[0] for key in names.entities}
    return [
        i
        for i in range(1, len(pieces) - 1)
        if pieces[i].kind == "word"
        and pieces[i].text.lower() == "said"
        and pieces[i - 1].key == "the"
        and pieces[i + 1].kind == "word"
        and (pieces[i + 1].key in _SAID_NOUNS or pieces[i + 1].key in firsts)
    ]


def _closes_an_elliptical_if(pieces: Sequence[Piece], end: int) -> bool:
    """Whether an elliptical "if ..." may end before piece ``end``: at a clause mark, the end,
    "then", or "it" ("when both are true it's ...", not "if it is it")."""
    if end >= len(pieces) or _is_mark(pieces[end], _CLAUSE_MARKS | _SENTENCE_END):
        return True
    return pieces[end].key == "then" or (pieces[end].key == "it" and pieces[end - 1].key != "be")


_PROHIBITIONS = (("do", "not", "be"), ("never", "be"))


def _prohibitions(pieces: Sequence[Piece], skip: set[int]) -> list[int]:
    """ "Don't be fooled by ...", "Never be misled": an imperative that opens a sentence or a
    clause ("If they are, don't be fooled by ...") is talk to the reader, and its "not" negates
    no condition (a condition says "is", not "be"); the words after it stay to be read or
    skipped."""
    found: list[int] = []
    kept = [i for i in range(len(pieces)) if i not in skip]
    for n in range(len(kept)):
        before = pieces[kept[n - 1]] if n else None
        if before is not None and not _is_mark(before, _SENTENCE_END | _CLAUSE_MARKS):
            continue
        for words in _PROHIBITIONS:
            span = kept[n : n + len(words)]
            if tuple(pieces[k].key for k in span) == words:
                found.extend(span)
    return found


def _concessions(pieces: Sequence[Piece], skip: set[int], lexicon: Lexicon) -> list[range]:
    """ "..., regardless of 'x'", "..., even though it never says 'txt'", "Although it looks
    like a definition, ...": a concession grants what does not change the label, so it is no
    condition (a remark: dropped when the rest then reads better); from its opener to the end
    of its clause (the next comma that does not go on with a list: "regardless of 'a', 'b',
    and 'c'") or of its sentence."""
    found: list[range] = []
    for opener in _sequences(pieces, lexicon.concession_openers):
        if any(i in skip for i in opener):
            continue
        end = _sentence_end(pieces, opener.stop)
        comma = (
            k for k in range(opener.stop, end) if pieces[k].text == "," and _ends_list(pieces, k)
        )
        found.append(range(opener.start, next(comma, end)))
    return found


_MAX_ABSOLUTE_SUBJECT = 8
"""The most pieces before "being" in an absolute clause ("..., the said entity being ...")."""


def _absolutes(pieces: Sequence[Piece]) -> list[range]:
    """ "..., the said entity being a fashion label", "...; 'friendly' being a word of praise":
    an absolute clause after a comma or semicolon glosses what was said (a remark), to the
    end of its sentence."""
    found: list[range] = []
    for i in range(1, len(pieces)):
        if not _is_mark(pieces[i - 1], (",", ";")):
            continue
        end = _sentence_end(pieces, i)
        near = range(i, min(end, i + _MAX_ABSOLUTE_SUBJECT + 1))
        if any(pieces[k].kind == "word" and pieces[k].text.lower() == "being" for k in near):
            found.append(range(i, end))
    return found


_CONTRASTS = (("rather", "than"), ("unlike",), ("whereas",))


def _named_contrasts(pieces: Sequence[Piece]) -> list[range]:
    """ "'perfect' comes right before the term rather than 'usual' or 'fine'": a contrast with
    named words (the opener right before a quoted phrase) is a remark, to the end of the list
    of quoted phrases (as a gloss, "rather than a producer", it is not: see
    ``lexicon/fillers.toml``, ``concession_openers``)."""
    found: list[range] = []
    for i in range(len(pieces)):
        for opener in _CONTRASTS:
            keys = tuple(p.key for p in pieces[i : i + len(opener)])
            after = i + len(opener)
            if keys != opener or after >= len(pieces) or pieces[after].kind != "quote":
                continue
            end = after + 1
            while (
                end + 1 < len(pieces)
                and pieces[end].key in ("or", "and", ",")
                and (pieces[end + 1].kind == "quote")
            ):
                end += 2
            found.append(range(i, end))
    return found


def _counterfactuals(pieces: Sequence[Piece]) -> list[range]:
    """ "had it been 'how much' it would be NUM", "if the comedian came first the direction
    would flip, but ...": what would hold in another sentence is no condition of this one (a
    remark), from "had" (or "if" whose clause says "would") at a clause's start to the clause
    mark after its "would", or the end of its sentence."""
    found: list[range] = []
    for i, piece in enumerate(pieces):
        opens = i == 0 or _is_mark(pieces[i - 1], _CLAUSE_MARKS | _SENTENCE_END)
        if not opens or piece.kind != "word" or piece.text.lower() not in ("had", "if"):
            continue
        end = _sentence_end(pieces, i)
        would = next((k for k in range(i, end) if pieces[k].text.lower() == "would"), None)
        if would is None and piece.text.lower() == "if":
            continue
        after = would if would is not None else i
        stop = next((k for k in range(after, end) if _is_mark(pieces[k], (",", ";"))), end)
        found.append(range(i, stop))
    return found


_LIST_GOES_ON = frozenset({"and", "or"})


def _ends_list(pieces: Sequence[Piece], comma: int) -> bool:
    """Whether the comma at ``comma`` closes a clause rather than going on with a list of
    quoted phrases (", 'b'", ", and 'c'" at the list's end)."""
    i = comma + 1
    if i < len(pieces) and pieces[i].key in ("and", "or"):
        i += 1
    if i >= len(pieces) or pieces[i].kind != "quote":
        return True
    # ", and 'y' is ...": a clause; ", 'b' and 'c'", ", 'b', 'c'": the list goes on
    return (
        i + 1 < len(pieces)
        and pieces[i + 1].kind == "word"
        and pieces[i + 1].key not in _LIST_GOES_ON
    )


_CORRECTIONS = (
    ("no", "wait"), ("wait", "no"), ("i", "mean"), ("or", "rather"), ("sorry",),
    ("scratch", "that"), ("oops",),
)  # fmt: skip
_PAUSES = frozenset({",", *_DASHES})


def _self_corrections(pieces: Sequence[Piece], skip: set[int]) -> list[int]:
    """ "the first one, no wait, the second person is right after 'wife'": what the annotator
    takes back (from the clause's start to the pause before the correction) and the correcting
    words are filler."""
    found: list[int] = []
    kept = [i for i in range(len(pieces)) if i not in skip]
    for n in range(1, len(kept)):
        if pieces[kept[n - 1]].text not in _PAUSES:
            continue
        for words in _CORRECTIONS:
            if tuple(pieces[k].key for k in kept[n : n + len(words)]) != words:
                continue
            start = n - 1
            while start > 0 and pieces[kept[start - 1]].text not in _CLAUSE_ENDS:
                start -= 1
            end = n + len(words)
            if end < len(kept) and pieces[kept[end]].text in _PAUSES:
                end += 1  # the pause after it too
            found.extend(kept[start:end])
    return found


_AUXILIARIES = frozenset({"be", "do", "have", "can", "will", "would", "could"})
_ANSWERS = {
    "yes": True, "yeah": True, "yep": True, "yup": True, "sure": True, "indeed": True,
    "correct": True, "no": False, "nope": False, "nah": False,
}  # fmt: skip
_TAG_WORDS = frozenset({"right", "yeah", "no", "huh", "eh", "ok", "okay"})
_TAG_PRONOUNS = frozenset({"it", "there", "they", "he", "she", "this", "that"})


def _questions(pieces: Sequence[Piece], skip: set[int]) -> tuple[list[int], set[int]]:
    """A question the annotator answers: "Is 'wife' right before person2? Yes, so spouse",
    "Does it mention 'divorce'? No.". Its inverted auxiliary ("is", "does"; not the "is" of
    "is there", a phrase of the lexicon) and a "yes" after it are filler, a tag ("..., isn't
    it?", ", right?") too; a "no" after it denies it. Returns the fillers and the denying
    words."""
    fillers: list[int] = []
    denials: set[int] = set()
    # a question mark may be filler already, before a label ("... right? spouse")
    kept = [i for i in range(len(pieces)) if i not in skip or pieces[i].text == "?"]
    for n, mark in enumerate(kept):
        if pieces[mark].text != "?":
            continue
        start = n
        while start > 0 and pieces[kept[start - 1]].text not in _SENTENCE_END:
            start -= 1
        body = kept[start:n]
        fillers += _tag_question(pieces, body)
        if len(body) > 1 and pieces[body[0]].key in _AUXILIARIES and pieces[body[1]].key != "there":
            fillers.append(body[0])
        answer, after = kept[n + 1 : n + 2], kept[n + 2 : n + 3]
        if answer and pieces[answer[0]].key in _ANSWERS:
            if after and pieces[after[0]].kind != "symbol":
                continue  # "? No 'wife' is between them": no answer
            if _ANSWERS[pieces[answer[0]].key]:
                fillers.append(answer[0])
            else:
                denials.add(answer[0])
    return fillers, denials


def _tag_question(pieces: Sequence[Piece], body: Sequence[int]) -> list[int]:
    """The tag that ends a question ("..., isn't it", "..., right"), or nothing."""
    for size in (4, 3, 2):
        tail = body[-size:]
        if len(tail) < size or pieces[tail[0]].text != ",":
            continue
        keys = [pieces[k].key for k in tail[1:]]
        auxiliary = keys[0] in _AUXILIARIES and keys[-1] in _TAG_PRONOUNS
        if (size == 2 and keys[0] in _TAG_WORDS) or (auxiliary and keys[1:-1] in ([], ["not"])):
            return list(tail)
    return []


def _before_label_verb(pieces: Sequence[Piece], lead: list[int]) -> list[int]:
    """``lead`` without the label verb that ends it and its object ("... so label it spouse"
    keeps "so"; "label it" joins the filler)."""
    k = len(lead)
    while k and pieces[lead[k - 1]].kind == "word" and pieces[lead[k - 1]].key in _LABEL_OBJECTS:
        k -= 1  # "mark it as": the object counts only after a verb
    if not (k and pieces[lead[k - 1]].kind == "word" and pieces[lead[k - 1]].key in _LABEL_VERBS):
        k = len(lead)
    while k and pieces[lead[k - 1]].kind == "word" and pieces[lead[k - 1]].key in _LABEL_VERBS:
        k -= 1
    return lead[:k]


def _label_at_end(pieces: Sequence[Piece], seq: list[int], names: Names) -> list[int] | None:
    """The pieces of a label that ends ``seq``, with the arrow or conclusion before it; None
    when no label ends it, or one does in a place a label cannot close the explanation."""
    longest = max((len(k) for k in names.labels), default=0)
    for n in range(min(longest, len(seq) - 1), 0, -1):
        span = seq[-n:]
        if any(pieces[i].kind == "quote" for i in span):  # a quoted word is content
            continue
        if tuple(pieces[i].key for i in span) not in names.labels:
            continue
        lead = _before_label_verb(pieces, seq[:-n])
        verb = len(lead) < len(seq) - n
        before = pieces[lead[-1]] if lead else None
        concluding = _concluding_verb(pieces, lead)
        if before is None or not (
            before.kind == "symbol"
            or before.key in _CONCLUSIONS
            or concluding
            or (verb and before.key == "and")  # "... and call it spouse"
        ):
            return None
        start = len(lead) - max(concluding, 1)
        while start > 0 and pieces[lead[start - 1]].kind == "symbol":
            start -= 1  # the whole arrow: "-", ">"
        return [*lead[start:], *seq[len(lead) :]]
    return None


_CONCLUDING_VERBS = frozenset({
    "indicates", "indicate", "suggests", "suggest", "justifies", "justify", "warrants",
    "warrant", "supports", "support", "implies", "imply", "signals", "signal", "means",
})  # fmt: skip
"""Verbs whose object is the label a report concludes ("... justifies positive")."""
_CONCLUDING_PHRASES = frozenset(
    {
        ("results", "in"),
        ("result", "in"),
        ("points", "to"),
        ("point", "to"),
        ("leads", "to"),
        ("lead", "to"),
    }
)
"""The same in two words ("... results in Content-Container(e2,e1)", "... points to spam")."""


def _concluding_verb(pieces: Sequence[Piece], lead: list[int]) -> int:
    """How many of the pieces that end ``lead`` are a verb concluding the label after them
    (0: none)."""
    texts = tuple(pieces[i].text.lower() for i in lead[-2:])
    if texts[-1:] and texts[-1] in _CONCLUDING_VERBS:
        return 1
    return 2 if texts in _CONCLUDING_PHRASES else 0


def _resolve_alias_clashes(
    terms: list[Term], pieces: Sequence[Piece], names: Names, lexicon: Lexicon
) -> list[Term]:
    """An alias that is also a lexicon phrase ("the term") is the lexicon's word when a quote
    or an entity follows it ("the term 'x'", "the term $T$")."""
    out = list(terms)
    for k, term in enumerate(terms):
        if term.type != "ENT" or k + 1 >= len(terms) or terms[k + 1].type not in ("QUOTE", "ENT"):
            continue
        key = tuple(pieces[i].key for i in term.pieces)
        if key in lexicon.phrases:
            terminal, value = lexicon.phrases[key]
            out[k] = Term(terminal, value, term.pieces, term.start, term.end)
    return out


def _merge_entities(terms: list[Term]) -> list[Term]:
    """Two adjacent mentions of one entity ("the term $T$") are one mention."""
    out: list[Term] = []
    for term in terms:
        prev = out[-1] if out else None
        if prev is not None and prev.type == term.type == "ENT" and prev.value == term.value:
            out[-1] = Term("ENT", term.value, prev.pieces + term.pieces, prev.start, term.end)
        else:
            out.append(term)
    return out


def _balance(terms: list[Term]) -> list[Term]:
    """Drop parentheses that have no partner: they group nothing."""
    unmatched: set[int] = set()
    stack: list[int] = []
    for k, term in enumerate(terms):
        if term.type == "LPAR":
            stack.append(k)
        elif term.type == "RPAR":
            if stack:
                stack.pop()
            else:
                unmatched.add(k)
    unmatched.update(stack)
    return [t for k, t in enumerate(terms) if k not in unmatched]


def _check_names(
    text: str,
    pieces: Sequence[Piece],
    terms: Sequence[Term],
    unknown: Sequence[int],
    names: Names,
    lexicon: Lexicon,
) -> None:
    """Raise for an entity or word list the task does not define."""
    aliases = sorted({" ".join(k) for k in names.entities})
    for i in unknown:
        if lexicon.looks_like_entity(pieces[i].key):
            raise UnknownEntityError(
                f"the task has no entity named {pieces[i].text!r}; its entities are named "
                f"{', '.join(aliases) or '(none)'}",
                text=text,
                spans=((pieces[i].start, pieces[i].end),),
                words=(pieces[i].text,),
            )
    unknown_set = set(unknown)
    for k, term in enumerate(terms):
        if term.type != "LISTNOUN":
            continue
        before = term.pieces[0] - 1
        # "a word on the kinship list": "on" between "word" and the list's name
        j = before - 1
        while j >= 0 and pieces[j].key in lexicon.fillers:
            j -= 1
        on = j >= 0 and pieces[j].key == "on" and k > 0 and terms[k - 1].type == "WORD"
        # "bylines list colleagues": a word the lexicon does not know after it makes it a verb
        named = (on or _names_a_list(terms, k)) and term.pieces[-1] + 1 not in unknown_set
        while before >= 0 and pieces[before].kind == "word" and before in unknown_set:
            if "_" in pieces[before].text or (named and before + 1 == term.pieces[0]):
                _undefined_list(text, pieces[before], names)
            before -= 1
        for near in (k - 1, k + 1):
            if not 0 <= near < len(terms) or terms[near].type != "QUOTE":
                continue
            at = terms[near].pieces[0]
            piece = pieces[at]
            if piece.text != piece.key:  # a pronoun read as a quoted phrase ("that list")
                continue
            if at not in (term.pieces[0] - 1, term.pieces[-1] + 1):  # "an awards list: 'WINNER'"
                continue
            quoted = terms[near].value
            if lexicon.key(quoted) not in names.lists and (quoted.lower(),) not in names.lists:
                _undefined_list(text, piece, names)
    for i in unknown:
        if "_" in pieces[i].text and (pieces[i].key,) not in names.labels:  # not "not_spouse"
            _undefined_list(text, pieces[i], names)


_UNITS = frozenset({"WORD", "CHAR", "CMPPOST", "DIGIT", "NUMTIMES"})


def _literal_numbers(terms: list[Term], pieces: Sequence[Piece]) -> list[Term]:
    """ "the number 3" names the number as written, a quoted '3' (not "a number, and 3"); "a
    number 3 words after X", "the number 2 or more times" keep their reading."""
    out: list[Term] = []
    k = 0
    while k < len(terms):
        term = terms[k]
        number = terms[k + 1] if k + 1 < len(terms) else None
        after = terms[k + 2] if k + 2 < len(terms) else None
        if (
            term.value == "shape:number"
            and number is not None
            and number.type == "NUM"
            and number.pieces[0] == term.pieces[-1] + 1
            and pieces[number.pieces[0]].text.isdigit()
            and term.pieces[0] > 0
            and pieces[term.pieces[0] - 1].key == "the"
            and (after is None or after.type not in _UNITS)
        ):
            text = pieces[number.pieces[0]].text
            out.append(Term("QUOTE", text, (*term.pieces, *number.pieces), term.start, number.end))
            k += 2
            continue
        out.append(term)
        k += 1
    return out


def _links_that_start(terms: list[Term]) -> list[Term]:
    """A URL named by its kind ("a web address", "a URL") before what it starts with or
    contains ("... beginning with 'www'"): the noun "link" (a LINK terminal valued so), which the
    grammar reads as a word that does."""
    out = list(terms)
    for k, term in enumerate(terms):
        verb = k + 2 if k + 1 < len(terms) and terms[k + 1].type == "REL" else k + 1
        if term.value == "shape:url" and verb < len(terms) and terms[verb].type == "TEXTVERB":
            out[k] = replace(term, type="LINK", value="link")
    return out


def _question_stems(terms: list[Term], pieces: Sequence[Piece]) -> list[Term]:
    """A quoted phrase right before "question" ("a 'why' question", "a 'how many' query") names
    how the question starts: one QSTEM terminal valued with the phrase."""
    out: list[Term] = []
    for term in terms:
        last = out[-1] if out else None
        if (
            term.type == "SENTENCE"
            and last is not None
            and last.type == "QUOTE"
            and pieces[last.pieces[0]].text == pieces[last.pieces[0]].key  # no pronoun ("this")
            and term.pieces[:1] == (last.pieces[-1] + 1,)
            and [pieces[i].key for i in term.pieces] in (["question"], ["query"])
        ):
            out[-1] = Term("QSTEM", last.value, (*last.pieces, *term.pieces), last.start, term.end)
            continue
        out.append(term)
    return out


def _read_by_neighbour(terms: list[Term], pieces: Sequence[Piece]) -> list[Term]:
    """Terms that mean something else right after another: a number before "times" is a count
    of occurrences, as "twice" is ("'dear' appears 3 times"; the lexicon spells out "two times"
    and the like); a count phrase right after "starts with", "contains" ... is words of the text
    ("starts with how many")."""
    out: list[Term] = []
    for term in terms:
        last = out[-1] if out else None
        if last is None or term.pieces[0] != last.pieces[-1] + 1:
            out.append(term)
        elif last.type == "NUM" and [pieces[i].text.lower() for i in term.pieces] == ["times"]:
            joined = (*last.pieces, *term.pieces)
            out[-1] = Term("NUMTIMES", last.value, joined, last.start, term.end)
        elif last.type == "TEXTVERB" and term.type == "COUNTOF":
            text = " ".join(pieces[i].text for i in term.pieces)
            out.append(Term("QUOTE", text, term.pieces, term.start, term.end))
        else:
            out.append(term)
    return out


_DISTANCE = frozenset({"CMP", "CMPPOST", "NUM", "WORD", "CHAR"})


_STRETCH_NOUNS = frozenset({"WORD", "DISTANCE", "SENTENCE"})


def _implied_pair(terms: list[Term], pieces: Sequence[Piece]) -> list[Term]:
    """In a task of two entities, the pair where a fragment leaves it out: "between" that names
    no entities ("'of' in between", "'was caused by' between, ...") and a distance "apart" with
    nothing before it (", less than 6 words apart"); "the mentions" ("between the mentions":
    "mention" is a verb too); "intervening" before a noun ("the intervening tokens (span,
    material)" are the tokens (span) between them). The pair is a terminal with the pieces of
    the word that implies it."""
    out: list[Term] = []
    terms = _intervening(terms)
    for term, after in itertools.zip_longest(terms, terms[1:]):
        if _plural_mentions(term, pieces):
            out.append(replace(term, type="PAIR", value=""))
            continue
        if term.type == "APART":
            start = len(out)
            while start > 0 and out[start - 1].type in _DISTANCE:
                start -= 1
            if start < len(out) and (start == 0 or out[start - 1].type in _CLAUSE_BREAKS):
                out.insert(start, replace(term, type="PAIR", value=""))
        out.append(term)
        if term.type == "BETWEEN" and (after is None or after.type in _CLAUSE_BREAKS):
            out.append(replace(term, type="PAIR", value=""))
    return out


def _plural_mentions(term: Term, pieces: Sequence[Piece]) -> bool:
    """Whether ``term`` is the noun "mentions" after "the" ("between the mentions", "the
    mentions are far apart"), which the lexicon reads as the verb "mention"."""
    first = term.pieces[0] if term.pieces else 0
    return (
        term.type == "OCCUR"
        and [pieces[i].text.lower() for i in term.pieces] == ["mentions"]
        and first > 0
        and pieces[first - 1].key in ("the", "these", "those")
    )


def _intervening(terms: list[Term]) -> list[Term]:
    """ "intervening" (a BETWEEN terminal valued so) as the noun phrase it stands in: "the
    intervening tokens" are the tokens between the pair, "the intervening span (text,
    material)" the span between it. The noun after it, if any, is kept; else "span" is
    implied (a DISTANCE terminal on "intervening")."""
    out: list[Term] = []
    k = 0
    while k < len(terms):
        term = terms[k]
        if term.type != "BETWEEN" or term.value != "intervening":
            out.append(term)
            k += 1
            continue
        after = terms[k + 1] if k + 1 < len(terms) else None
        adjacent = after is not None and after.pieces[:1] == (term.pieces[-1] + 1,)
        if adjacent and after is not None and after.type in _STRETCH_NOUNS:
            noun = after if after.type == "WORD" else replace(after, type="DISTANCE", value="")
            k += 2
        else:
            noun = replace(term, type="DISTANCE", value="")
            k += 1
        out += [noun, replace(term, value="between"), replace(term, type="PAIR", value="")]
    return out


_PASSIVE = ("BE", "IMMED", "POSVERB", "IMMED")
"""The verb of "X is (immediately) preceded (directly) by ...", in order; IMMED is optional."""


def _gapped_passives(terms: list[Term]) -> list[Term]:
    """ "person1 is preceded by 'President' and person2 by 'Ms'": a second entity followed by
    "by" after "and" borrows the passive verb of the clause before it (copies of its terminals
    on the pieces of that "by")."""
    out: list[Term] = []
    for k, term in enumerate(terms):
        if (
            term.type == "BY"
            and k >= 2
            and terms[k - 1].type == "ENT"
            and terms[k - 2].type == "AND"
        ):
            verb = _passive_before(terms, k - 2)
            out += [replace(v, pieces=term.pieces, start=term.start, end=term.end) for v in verb]
        out.append(term)
    return out


def _passive_before(terms: Sequence[Term], end: int) -> list[Term]:
    """The passive verb ("is immediately preceded") of the entity clause that ends at ``end``,
    in its sentence; none if that clause is no "ENT is ... by"."""
    k = end - 1
    while k >= 0 and terms[k].type not in ("BY", "STOP"):
        k -= 1
    if k < 0 or terms[k].type != "BY":
        return []
    start = k - 1
    while start >= 0 and terms[start].type in _PASSIVE:
        start -= 1
    verb = list(terms[start + 1 : k])
    shape = [t.type for t in verb if t.type != "IMMED"]
    if start < 0 or terms[start].type != "ENT" or shape != ["BE", "POSVERB"]:
        return []
    return verb


def _its_sides(terms: list[Term], pieces: Sequence[Piece]) -> list[Term]:
    """A side said of "its" ("to its right", "in its left context") is a side of what "it"
    names: the side, then an IT terminal on its pieces."""
    out: list[Term] = []
    for term in terms:
        out.append(term)
        if term.type == "SIDE" and any(pieces[i].text.lower() == "its" for i in term.pieces):
            out.append(replace(term, type="IT", value="it"))
    return out


def _plus_cues(terms: list[Term], pieces: Sequence[Piece]) -> list[Term]:
    """A note's "+" after a clause and before nothing but quoted phrases ("starts with 'hey' +
    'wanna'"): another cue, the phrases somewhere in the text (PLUS), not more phrases of the
    clause. Between phrases ("'his' + 'wife' between them") it stays "and"."""
    out = list(terms)
    bounds = [i for i, t in enumerate(terms) if t.type in _CLAUSE_BREAKS]
    for k, i in enumerate(bounds):
        if pieces[terms[i].pieces[0]].text != "+":
            continue
        start = bounds[k - 1] + 1 if k else 0
        end = bounds[k + 1] if k + 1 < len(bounds) else len(terms)
        before, after = terms[start:i], terms[i + 1 : end]
        cues = bool(after) and all(t.type == "QUOTE" for t in after)
        if cues and any(t.type != "QUOTE" for t in before):
            out[i] = replace(terms[i], type="PLUS")
    return out


def _implied_it(terms: list[Term], roles: Collection[str]) -> list[Term]:
    """A side that ends a clause about a quoted phrase names no anchor ("$T$ + 'was not' right
    after", "'wife' 2 words before, so spouse"): it reads as "... after it", an entity found as
    "it" is (a terminal with the pieces of the side). Not in a clause about an entity: "the
    disease comes right after" may be after the phrase named before it. Nor where "it" would
    find no entity: the task has two and none was named before."""
    out: list[Term] = []
    clause: set[str] = set()  # the types of terminal since the last clause break
    named = len(roles) == 1
    for term, after in itertools.zip_longest(terms, terms[1:]):
        out.append(term)
        named |= term.type == "ENT"
        if term.type in _CLAUSE_BREAKS:
            clause.clear()
        else:
            clause.add(term.type)
        ends = after is None or after.type in _CLAUSE_BREAKS
        if term.type == "SIDE" and ends and named and "QUOTE" in clause and "ENT" not in clause:
            out.append(replace(term, type="IT", value="it"))
    return out


def _later(terms: list[Term], roles: Collection[str]) -> list[Term]:
    """ "later" / "earlier" after a quoted phrase ("'who' is the first word and 'film' appears
    later", "'cause' shows up more than 20 words later") means after / before what was named
    before that phrase: a side and a copy of it, both terminals with the pieces of "later". With
    nothing named before it, in a task of one entity, it is after / before that entity ("'hoped'
    comes later in the sentence"). (After an entity, the grammar reads "later" itself: the
    other entity comes first.) So does "follows" / "precedes" that ends a clause ("the first
    two words are 'how many' and 'wives' follows")."""
    one = _only_role(roles)
    implied = None if one is None else Term("IT", one, (), 0, 0)  # the one entity, as "it"
    out: list[Term] = []
    for term, after in itertools.zip_longest(terms, terms[1:]):
        ends = after is None or after.type in _CLAUSE_BREAKS
        relative = term.type == "ORDINAL" or (term.type == "POSVERB" and ends)
        named = _named_in_sentence(out) if relative else []
        if term.value in ("before", "after") and named:
            subject = named[-1]
            anchor = named[-2] if len(named) > 1 else implied
            since = out[out.index(subject) :]
            if (
                anchor
                and subject.type == "QUOTE"
                and not any(t.type in _CLAUSE_BREAKS for t in since)
            ):
                side = Term("SIDE", term.value, term.pieces, term.start, term.end)
                out += [side, replace(anchor, pieces=term.pieces, start=term.start, end=term.end)]
                continue
        out.append(term)
    return out


_ANCHORS = {"QUOTE": "quote", "ENT": "ent"}


def _named_in_sentence(terms: Sequence[Term]) -> list[Term]:
    """The quoted phrases and entities of the last sentence of ``terms``, in order: what a
    "next word" or a "later" may refer back to."""
    stop = next((k for k in range(len(terms) - 1, -1, -1) if terms[k].type == "STOP"), -1)
    return [t for t in terms[stop + 1 :] if t.type in _ANCHORS]


def _last_in_text(terms: Sequence[Term]) -> Term | None:
    """Of what the last sentence of ``terms`` named, the one that comes last in the text: the
    last named, unless it is the anchor of a phrase placed after it ("'great' comes right after
    the term": the phrase comes later than the term)."""
    named = _named_in_sentence(terms)
    if not named:
        return None
    last = named[-1]
    k = terms.index(last)
    placed_after = k > 0 and terms[k - 1].type == "SIDE" and terms[k - 1].value == "after"
    if last.type == "ENT" and placed_after and len(named) > 1 and named[-2].type == "QUOTE":
        return named[-2]
    return last


_ANSWER_MARKS = frozenset({":", *_DASHES, "--"})
_WORD_PLACE = frozenset({"IMMED", "NUM", "CMP", "CMPPOST"})


def _colon_answers(terms: list[Term], pieces: Sequence[Piece]) -> list[Term]:
    """ "Check the word right before person2: 'wife'": a colon (or dash) between a word's place
    and a quoted phrase says what the word is, as "is" would (a BE terminal on the mark)."""
    out: list[Term] = []
    for k, term in enumerate(terms):
        out.append(term)
        if term.type != "ENT" or k + 1 >= len(terms) or terms[k + 1].type != "QUOTE":
            continue
        gap = range(term.pieces[-1] + 1, terms[k + 1].pieces[0])
        if not gap or not all(_is_mark(pieces[i], _ANSWER_MARKS) for i in gap):
            continue
        j = k - 1
        if j < 0 or terms[j].type != "SIDE":
            continue
        j -= 1
        while j >= 0 and terms[j].type in _WORD_PLACE:
            j -= 1
        if j >= 0 and terms[j].type == "WORD":
            out.append(Term("BE", "", tuple(gap), pieces[gap[0]].start, pieces[gap[-1]].end))
    return out


def _next_word(terms: list[Term], pieces: Sequence[Piece]) -> list[Term]:
    """ "next word" with no side after it ("'who' starts it and the next word is 'invented'")
    is the word right after what the sentence named last, a quoted phrase or an entity: one
    terminal, NEXTWORD, whose value says which ("quote:who", "ent:subject"). So is "the word
    (the noun) that follows" before "is" ("..., and the noun that follows is 'product'": the
    phrase says more than its kind)."""
    out: list[Term] = []
    k = 0
    while k < len(terms):
        term = terms[k]
        last = out[-1] if out else None
        if (
            term.type == "WORD"
            and last is not None
            and last.type == "IMMED"
            and [pieces[i].key for i in last.pieces] == ["next"]
        ):
            words, before, consumed = [last, term], out[:-1], 1
        elif term.type in ("WORD", "CLASS") and _follows_then_is(terms[k + 1 : k + 4]):
            words, before, consumed = terms[k : k + 3], out, 3
        else:
            out.append(term)
            k += 1
            continue
        anchor = _last_in_text(before)
        if anchor is None:
            out.append(term)
            k += 1
            continue
        value = f"{_ANCHORS[anchor.type]}:{anchor.value}"
        covered = tuple(i for t in words for i in t.pieces)
        out = [*before, Term("NEXTWORD", value, covered, words[0].start, words[-1].end)]
        k += consumed
    return out


def _follows_then_is(terms: Sequence[Term]) -> bool:
    """Whether ``terms`` are "that follows is" (REL, POSVERB after, BE)."""
    types = [t.type for t in terms]
    return types == ["REL", "POSVERB", "BE"] and terms[1].value == "after"


_IN_A_LIST = frozenset({"IN", "FROM", "OF"})


def _names_a_list(terms: Sequence[Term], k: int) -> bool:
    """Whether the list noun ``terms[k]`` names a word list: a word is in it ("a word in / on /
    from the kinship list") or "word" follows ("a kinship list word"); not a list named in
    passing ("this reads like an awards list", "it is just a price list", "he won't comment
    on the wine list")."""
    in_one = k > 0 and terms[k - 1].type in _IN_A_LIST
    return in_one or (k + 1 < len(terms) and terms[k + 1].type == "WORD")


def _undefined_list(text: str, piece: Piece, names: Names) -> None:
    defined = sorted(set(names.lists.values()))
    raise UndefinedWordListError(
        f"the word list {piece.text!r} is not defined; defined lists: "
        f"{', '.join(defined) if defined else '(none)'}",
        text=text,
        spans=((piece.start, piece.end),),
        words=(piece.text,),
    )


def _runs(
    pieces: Sequence[Piece], terms: Sequence[Term], unknown: Sequence[int], skip: set[int]
) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """Group unknown words into runs (fillers may sit inside a run, not at its ends)."""
    runs: list[list[int]] = []
    for i in unknown:
        if runs and all(k in skip for k in range(runs[-1][-1] + 1, i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    out: list[tuple[int, tuple[int, ...]]] = []
    for run in runs:
        position = sum(1 for t in terms if t.pieces[0] < run[0])
        out.append((position, tuple(range(run[0], run[-1] + 1))))
    return tuple(out)
