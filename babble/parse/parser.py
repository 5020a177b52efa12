"""``parse``: an explanation -> every distinct logical form it can mean, ranked.

Steps: bounds checks; :func:`~babble.parse.tokens.tokenize` (unknown words are skipped and
recorded); an Earley parse of the terminals with ``grammar/*.lark``; :func:`~babble.parse.
semantics.evaluate` over the ambiguous forest. When the terminals do not parse, the parser drops
terminals near where parsing failed -- fewest words first -- until some reading parses, within a
budget of attempts and a deadline. A run of unknown words that occurs in the candidate's sentence
may be read as a quoted phrase ("the word wife is between them").

Parses are ranked by the number of words they skip; all parses share the lowest count found.
"""

from __future__ import annotations

import heapq
import itertools
import re
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from babble.errors import (
    EmptyExplanationError,
    ExplanationTooLongError,
    LexiconError,
    NoParseError,
    ParseError,
    ParseTimeoutError,
    TooManyParsesError,
)
from babble.logic.forms import Entity, LabelingRule
from babble.parse._clock import parse_time
from babble.parse._resources import grammar_dir
from babble.parse.earley import Chart, Grammar, compile_grammar, recognize
from babble.parse.lexicon import load_lexicon
from babble.parse.semantics import Deadline, Semantics, evaluate
from babble.parse.tokens import (
    SINGULAR_REFERENCES,
    Term,
    Tokens,
    it_as_text,
    names_for,
    refers_back,
    tokenize,
)
from babble.types import ROLES, Explanation, LabelSpace

MAX_CHARS = 500
"""Explanations longer than this are refused (:class:`~babble.errors.ExplanationTooLongError`)."""

MAX_PARSES = 32
"""At most this many distinct logical forms are returned per explanation."""

DEADLINE_MS = 1000.0
"""Parsing one explanation stops after this much CPU time of the parsing thread, keeping what it
found. Typical explanations take a few milliseconds. Counted in CPU time, not wall time, so that
other work on a busy machine changes no reading (a wall-clock bound lost a wordy explanation's
readings while an end model trained on the same cores), and without the thread's time in the
garbage collector, for the same reason (:mod:`babble.parse._clock`)."""


@dataclass(frozen=True)
class ParseLimits:
    """Bounds on parsing one (untrusted) explanation, as :func:`parse` takes them: readings
    kept, characters accepted, milliseconds spent. A run config's ``[parser]`` section.

    Examples
    --------
    >>> ParseLimits(max_parses=8).max_parses, ParseLimits().max_chars
    (8, 500)
    """

    max_parses: int = MAX_PARSES
    max_chars: int = MAX_CHARS
    deadline_ms: float = DEADLINE_MS

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value <= 0:
                raise ValueError(f"{name} must be positive, got {value!r}")


MAX_ATTEMPTS = 200
"""At most this many terminal sequences (with different words skipped) are parsed."""

NEGATION_WEIGHT = 1
"""What dropping "not" (or "unless") costs beyond its words, in the search's order of readings."""

_FREE = {"COMMA", "STOP", "LPAR", "RPAR", "POSS"}  # punctuation: skipping it costs nothing
_NEGATING = {"NOT", "UNLESS"}  # dropping one says the opposite ("A unless B" read as "A and B")


@dataclass(frozen=True)
class Parse:
    """One reading of an explanation.

    Attributes
    ----------
    rule
        The logical form.
    skipped
        Words of the explanation the reading does not use (fillers aside), in text order (a
        skipped quoted phrase is one entry).
    spans
        Their character offsets.
    quoted
        Unquoted phrases read as quoted because they occur in the candidate's sentence.
    respelled
        Misspelt words read as the lexicon word they stand for: (as written, as read) pairs
        ("befor", "before").
    """

    rule: LabelingRule
    skipped: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    quoted: tuple[str, ...] = ()
    respelled: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ParseResult:
    """What :func:`parse` found for one explanation.

    Attributes
    ----------
    text, source, label
        The explanation, where it came from (``file:line``) and its label's integer.
    parses
        Distinct readings, fewest skipped words first (empty when ``error`` is set).
    n_words
        Words in the explanation, punctuation aside (a quoted phrase counts its words).
    fillers
        Words dropped as carrying no meaning ("the", "because").
    unknown
        Words the lexicon does not know.
    error
        Why there is no parse, if there is none.
    warnings
        Problems that did not prevent parsing (too many readings, deadline reached).
    elapsed_ms
        Time spent.
    """

    text: str
    source: str | None
    label: int
    parses: tuple[Parse, ...] = ()
    n_words: int = 0
    fillers: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    error: ParseError | None = None
    warnings: tuple[ParseError, ...] = ()
    elapsed_ms: float = 0.0
    attempts: int = field(default=0, compare=False)

    @property
    def ok(self) -> bool:
        """Whether at least one reading was found."""
        return bool(self.parses)

    @property
    def rules(self) -> tuple[LabelingRule, ...]:
        """The logical forms of all readings, best first."""
        return tuple(p.rule for p in self.parses)

    @property
    def best(self) -> Parse | None:
        """The first reading (fewest skipped words), or ``None``."""
        return self.parses[0] if self.parses else None

    def skipped_share(self) -> float:
        """The share of the explanation's words the best reading skips (1.0 with no parse)."""
        if not self.parses or not self.n_words:
            return 1.0
        return sum(len(w.split()) for w in self.parses[0].skipped) / self.n_words

    def raise_for_error(self) -> ParseResult:
        """Raise :attr:`error` if there is one; else return ``self``."""
        if self.error is not None:
            raise self.error
        return self


@lru_cache(maxsize=4096)
def parse_types(types: tuple[str, ...]) -> Chart:
    """The Earley chart of a sequence of terminal types. Cached: the chart depends on the types
    only (values are looked up by position when it is evaluated), and explanations repeat
    shapes."""
    return recognize(load_grammar(), types)


@cache
def load_grammar(folder: Path | None = None) -> Grammar:
    """The compiled ``grammar/*.lark`` rules (cached per folder)."""
    folder = folder or grammar_dir()
    files = sorted(folder.glob("*.lark"))
    if not files:
        raise LexiconError(f"no grammar files (*.lark) in {folder}")
    return compile_grammar("\n".join(path.read_text(encoding="utf-8") for path in files))


def parse(
    explanation: Explanation | str,
    label_space: LabelSpace,
    *,
    word_lists: Mapping[str, Sequence[str]] | None = None,
    sentence: str | None = None,
    entities: Mapping[str, str] | None = None,
    label: int | str | None = None,
    max_parses: int = MAX_PARSES,
    max_chars: int = MAX_CHARS,
    deadline_ms: float = DEADLINE_MS,
) -> ParseResult:
    """Parse an explanation into every distinct logical form it can mean (up to ``max_parses``).

    Parameters
    ----------
    explanation
        An :class:`~babble.types.Explanation` (its label and source are used) or plain text.
    label_space
        The task: label names, and the entity aliases explanations use ("person1" -> subject).
    word_lists
        Named word lists explanations may use ("a causal word").
    sentence
        The candidate's sentence when known: unknown words that occur in it may be read as
        quoted ("the word wife is between them").
    entities
        The candidate's entities by role, as written (:attr:`~babble.types.Candidate.entity_texts`),
        when known: an entity named by its own words may be read as that entity ("'made of'
        is between the ball and the leather").
    label
        The label (name or integer) when ``explanation`` is plain text.
    max_parses, max_chars, deadline_ms
        Bounds: readings kept, characters accepted, CPU time spent (milliseconds of the
        parsing thread; see :data:`DEADLINE_MS`).

    Returns
    -------
    ParseResult
        Readings ranked by skipped words, or an ``error`` saying why there are none. Errors of
        the input (too long, empty, unclosed quote, undefined word list or entity) are returned,
        not raised; :meth:`ParseResult.raise_for_error` raises them.

    Examples
    --------
    >>> space = LabelSpace(("no", "yes"), entity_aliases={"person1": "subject", "x": "object"})
    >>> result = parse("'wife' is right before x", space, label="yes")
    >>> result.best.rule.condition.where.side, result.best.rule.condition.where.limit.n
    (<Side.BEFORE: 'before'>, 1)
    """
    load_grammar(), load_lexicon()  # one-time loading is not parsing: keep it off the clock
    started, cpu = time.perf_counter(), parse_time()
    text, source, label_int = _unpack(explanation, label_space, label)
    base = ParseResult(text=text, source=source, label=label_int)
    try:
        found = _parse(
            text,
            label_space,
            word_lists or {},
            (sentence, entities or {}),
            label_int,
            max_parses,
            max_chars,
            cpu + deadline_ms / 1000.0,
        )
        result = _replace(base, **found)
    except ParseError as exc:
        result = _replace(base, error=_located(exc, text, source))
    return _replace(result, elapsed_ms=(time.perf_counter() - started) * 1000.0)


def _replace(result: ParseResult, **changes: Any) -> ParseResult:
    values = {f: getattr(result, f) for f in result.__dataclass_fields__}
    values.update(changes)
    return ParseResult(**values)


def _unpack(
    explanation: Explanation | str, space: LabelSpace, label: int | str | None
) -> tuple[str, str | None, int]:
    if isinstance(explanation, Explanation):
        source = str(explanation.source) if explanation.source is not None else None
        name: int | str = explanation.label if label is None else label
        text = explanation.text
    else:
        if label is None:
            raise TypeError("parse(text, ...) needs label=; or pass an Explanation")
        source, name, text = None, label, explanation
    value = name if isinstance(name, int) else space.index(name)
    space.name(value)  # validates an integer label
    return text, source, value


def _located(exc: ParseError, text: str, source: str | None) -> ParseError:
    return type(exc)(exc.reason, text=text, source=source, spans=exc.spans, words=exc.words)


def _parse(
    text: str,
    space: LabelSpace,
    word_lists: Mapping[str, Sequence[str]],
    example: tuple[str | None, Mapping[str, str]],
    label: int,
    max_parses: int,
    max_chars: int,
    deadline: float,
) -> dict[str, Any]:
    if len(text) > max_chars:
        raise ExplanationTooLongError(
            f"the explanation has {len(text)} characters, more than the limit of {max_chars}; "
            f"split it into shorter explanations",
            text=text,
            spans=((max_chars, len(text)),),
        )
    lexicon = load_lexicon()
    names = names_for(space, word_lists, lexicon)
    sentence, entities = example

    def tokenized(drop: Collection[int] = (), refer: bool = False, bare: bool = False) -> Tokens:
        """The explanation's terminals, with the remark pieces ``drop`` as filler, pronouns
        read as the phrase before them with ``refer``, words of the example named without
        quotes read as meant with ``bare`` (see below)."""
        return tokenize(
            text, space, word_lists, lexicon, drop, refer, names, sentence, bare, entities
        )

    tokens = tokenized()
    n_words = _count_words(tokens)
    if n_words == 0:
        raise EmptyExplanationError(
            "the explanation has no words" + (" (only punctuation)" if text.strip() else ""),
            text=text,
        )
    roles = sorted(set(space.entity_aliases.values()), key=ROLES.index)
    # a list with one-word entries may hold stems ("therap"): see Semantics.loose
    stems = frozenset(name for name, entries in word_lists.items() if any(map(_one_word, entries)))
    semantics = Semantics(label, tuple(Entity(r) for r in roles) if len(roles) == 2 else (), stems)
    # the searches of one explanation (each reading of its pronouns and remarks) meet many of the
    # same inputs: each is evaluated once
    evaluated: dict[_Input, list[LabelingRule]] = {}

    def searching(tokens: Tokens) -> _Search:
        convertible = _convertible(tokens, sentence)
        return _Search(tokens, semantics, convertible, max_parses, deadline, evaluated)

    search = searching(tokens)
    parses, warnings = search.run()
    attempts = search.attempts
    sentence_it = _it_as_sentence(tokens)
    if not parses and sentence_it is not None:  # "it" named no entity that fits: the sentence
        retry = searching(sentence_it)
        parses, warnings = retry.run()
        tokens, search, attempts = sentence_it, retry, attempts + retry.attempts
    # a pronoun after a quoted phrase may name it ("e2 is after them", "... at most 3 words after
    # it"): those readings replace the usual ones when they skip fewer words, and join them when
    # they skip as few and the pronoun is singular (the filter bank's check on the example then
    # chooses; "after them" that reads as the pair is the pair)
    refers = refers_back(tokens.pieces)  # else a second tokenization would change nothing
    if refers:
        referred = tokenized(refer=True)
        alt = searching(referred)
        tie = _singular(tokens, referred)  # whether a reading as cheap as the usual one joins
        alt_parses, alt_warnings = alt.run(_cost(parses[0]) + tie if parses else None)
        attempts += alt.attempts
        if alt_parses and (not parses or _cost(alt_parses[0]) < _cost(parses[0])):
            tokens, parses, warnings = referred, alt_parses, alt_warnings
        elif alt_parses and _cost(alt_parses[0]) == _cost(parses[0]) and tie:
            parses = _merged(parses, alt_parses, max_parses)
    # words of the example named without quotes: where a phrase goes ("the first word is who",
    # "begins with WHO WAS") as quoted, lexicon words too, and the entities by their own words
    # ("between the ball and the leather"), when that skips fewer words (a guess about the
    # example: the usual readings are kept after these)
    usual_tokens, quoted = tokens, None
    if (sentence or entities) and (not parses or _cost(parses[0]) > 0) and not refers:
        quoted = tokenized(bare=True)
        quoted = None if quoted == tokens else quoted
    if quoted is not None:
        alt = searching(quoted)
        alt_parses, alt_warnings = alt.run(_cost(parses[0]) if parses else None)
        attempts += alt.attempts
        # a pronoun after a phrase the example's words made ("induced comes right after the
        # drug and the disease is right after that"): read as that phrase, as above
        if refers_back(quoted.pieces):
            referred = tokenized(refer=True, bare=True)
            best = alt_parses[0] if alt_parses else (parses[0] if parses else None)
            ref = searching(referred)
            ref_parses, ref_warnings = ref.run(_cost(best) if best else None)
            attempts += ref.attempts
            if ref_parses and (best is None or _cost(ref_parses[0]) < _cost(best)):
                quoted, alt_parses, alt_warnings = referred, ref_parses, ref_warnings
        if parses:  # none that skips more (a fallback that drops sentences may)
            alt_parses = [p for p in alt_parses if _cost(p) <= _cost(parses[0])]
        if alt_parses:  # first; the usual readings stay behind them for the filter bank
            parses = _merged(alt_parses, parses, max_parses)
            tokens, warnings = quoted, alt_warnings
    # a remark ("..., which indicates ...", "(...)") is filler when the rest reads better alone
    # (with either reading of the pronouns, and of the example's words); of two that read as
    # well, the one that drops fewer words ("'3', which is an age, and 'children' ..." keeps
    # what follows the age)
    readings = (False, True) if refers else (False,)
    kept: frozenset[int] | None = None  # the pieces the chosen reading drops as remarks
    for base, bare in [(usual_tokens, False)] + ([] if quoted is None else [(quoted, True)]):
        if not base.remarks or (parses and _cost(parses[0]) == 0):
            continue
        for drop, refer in itertools.product(_remark_choices(base.remarks), readings):
            smaller = kept is not None and len(drop) < len(kept)
            if parses and _cost(parses[0]) == 0 and not smaller:
                continue
            alt_tokens = tokenized(drop, refer, bare)
            alt = searching(alt_tokens)
            alt_parses, alt_warnings = alt.run(_cost(parses[0]) + smaller if parses else None)
            attempts += alt.attempts
            if alt_parses and (
                not parses
                or _cost(alt_parses[0]) < _cost(parses[0])
                or (smaller and _cost(alt_parses[0]) == _cost(parses[0]))
            ):
                tokens, parses, warnings, kept = alt_tokens, alt_parses, alt_warnings, drop
    if not parses:
        # the example's own words ("between blacksmith and parts") were understood
        if quoted is None and (sentence or entities):
            quoted = tokenized(bare=True)
        raise search.failure(text, quoted)
    info: dict[str, Any] = {
        "n_words": n_words,
        "fillers": tokens.words(tokens.fillers),
        "unknown": tokens.words(tokens.unknown),
        "attempts": attempts,
        "parses": tuple(parses),
    }
    info["warnings"] = tuple(
        type(w)(w.reason, text=text, spans=w.spans, words=w.words) for w in warnings
    )
    return info


def _it_as_sentence(tokens: Tokens) -> Tokens | None:
    """``tokens`` with every "it" read as the sentence, or None when no "it" names an entity."""
    if not any(t.type == "IT" for t in tokens.terms):
        return None
    terms = tuple(it_as_text(t) if t.type == "IT" else t for t in tokens.terms)
    return replace(tokens, terms=terms)


def _one_word(entry: str) -> bool:
    return len(entry.split()) == 1 and entry.strip().isalpha()


def _singular(tokens: Tokens, referred: Tokens) -> bool:
    """Whether every pronoun read as a quoted phrase is singular ("it", not "them")."""
    keys = [a.key for a, b in zip(tokens.pieces, referred.pieces, strict=True) if a != b]
    return all(key in SINGULAR_REFERENCES for key in keys)


def _merged(first: list[Parse], then: list[Parse], limit: int) -> list[Parse]:
    """The readings ``first``, then those of ``then`` with other rules, at most ``limit``."""
    known = {p.rule for p in first}
    return first + [p for p in then if p.rule not in known][: max(limit - len(first), 0)]


def _cost(parse: Parse) -> int:
    """The number of words a reading skips."""
    return sum(len(w.split()) for w in parse.skipped)


def _remark_choices(remarks: Sequence[tuple[int, ...]]) -> list[frozenset[int]]:
    """Which remarks to read as filler: each alone, each two that do not overlap (a statement
    of the label before the reason and a remark after it), then all of them."""
    choices = [frozenset(r) for r in remarks]
    pairs = [a | b for a, b in itertools.combinations(choices, 2) if not a & b]
    if len(choices) > 1:
        pairs.append(frozenset().union(*choices))
    return choices + [p for p in dict.fromkeys(pairs) if p not in choices]


def _count_words(tokens: Tokens) -> int:
    count = 0
    for piece in tokens.pieces:
        if piece.kind == "quote":
            count += max(1, len(piece.text.split()))
        elif piece.kind == "word":
            count += 1
    return count


def _convertible(tokens: Tokens, sentence: str | None) -> frozenset[int]:
    """Indices (into ``tokens.runs``) of unknown-word runs that occur in the sentence, or that
    are named as words (:func:`_listed`)."""
    found = _listed(tokens)
    if not sentence:
        return frozenset(found)
    for k, (_, run) in enumerate(tokens.runs):
        phrase = re.escape(_surface(tokens, run))
        if re.search(rf"(?<!\w){phrase}(?!\w)", sentence, flags=re.IGNORECASE):
            found.add(k)
    return frozenset(found)


_LIST_SEPARATORS = frozenset({"COMMA", "OR", "AND"})
_LIST_HEADS = frozenset({"WORD", "LIKE", "NONE"})


def _listed(tokens: Tokens) -> set[int]:
    """Lists of words named without quotes, present in the sentence or not: two or more single
    words joined by commas, "and", "or" or slashes right after "words", "like" or "no" ("none
    of the words wife, husband or married", "opinion words like good, great or bad", "no
    good/bad"; not "no praise or complaint aimed at it"), or in brackets ("spam bait (free,
    call, txt)"), or joined by slashes (:func:`_slashed`). One word alone there may be a word of
    the explanation ("no word at all"); present in the sentence, it converts anyway."""
    listed = set(tokens.listed)
    found = {k for k, (_, run) in enumerate(tokens.runs) if listed.issuperset(run)}
    chain: list[int] = []
    terms = tokens.terms
    for k, (at, run) in enumerate(tokens.runs):
        before = terms[at - 1].type if at > 0 else None
        if chain and before in _LIST_SEPARATORS and tokens.runs[chain[-1]][0] == at - 1:
            # the list goes on; an item of several words makes it no list of words
            chain = [*chain, k] if len(run) == 1 else []
            continue
        if len(chain) > 1:
            found.update(chain)
        chain = [k] if before in _LIST_HEADS and len(run) == 1 else []
    if len(chain) > 1:
        found.update(chain)
    return found | _slashed(tokens)


def _slashed(tokens: Tokens) -> set[int]:
    """Single words joined by a slash with no space ("wife/husband appears before person2",
    "call/text"): alternatives named as words, wherever they stand."""
    found: set[int] = set()
    runs, terms, pieces = tokens.runs, tokens.terms, tokens.pieces
    for k in range(len(runs) - 1):
        (at, run), (after, following) = runs[k], runs[k + 1]
        if len(run) != 1 or len(following) != 1 or after != at + 1 or terms[at].type != "OR":
            continue
        slash = terms[at]
        if pieces[slash.pieces[0]].text == "/" and (
            pieces[run[0]].end == slash.start and slash.end == pieces[following[0]].start
        ):
            found.update((k, k + 1))
    return found


def _surface(tokens: Tokens, run: tuple[int, ...]) -> str:
    return " ".join(tokens.pieces[i].text for i in run)


class _NegationScope(NamedTuple):
    """A "not" and the rest of its sentence: the full stop after it, the words between them
    (terminals other than punctuation) and the runs that would be quoted there."""

    negation: int
    stop: int
    rest: frozenset[int]
    runs: frozenset[int]


def _negation_scopes(tokens: Tokens, stops: Sequence[int]) -> list[_NegationScope]:
    """Each "not" followed, later in the explanation, by a full stop (of ``stops``)."""
    terms = tokens.terms
    scopes = []
    for k, term in enumerate(terms):
        stop = next((i for i in stops if i > k), None) if term.type == "NOT" else None
        if stop is None:
            continue
        rest = frozenset(i for i in range(k + 1, stop) if terms[i].type not in _FREE)
        runs = frozenset(r for r, (at, _) in enumerate(tokens.runs) if k < at <= stop)
        scopes.append(_NegationScope(k, stop, rest, runs))
    return scopes


_Input = tuple[tuple[int, ...], tuple[str, ...], bool]
"""What decides an input's readings: its terminals, their values, whether it reads every word."""


class _State(NamedTuple):
    """A search state: runs read as quotes, terminals dropped. Ordered by cost, then by when it
    was queued (unique, so the sets are never compared): a tuple, as the heap compares it in C."""

    cost: int
    order: int
    converted: frozenset[int]
    dropped: frozenset[int]


class _Search:
    """Best-first search over (runs read as quotes, terminals dropped), cheapest first."""

    def __init__(
        self,
        tokens: Tokens,
        semantics: Semantics,
        convertible: frozenset[int],
        max_parses: int,
        deadline: float,
        evaluated: dict[_Input, list[LabelingRule]],
    ) -> None:
        self.tokens, self.semantics = tokens, semantics
        self.evaluated = evaluated  # readings by input, shared by the searches of one explanation
        self.convertible, self.max_parses, self.deadline = convertible, max_parses, deadline
        self.unknown = frozenset(tokens.unknown)
        self.attempts = 0
        self.best_failure: tuple[int, tuple[Term, ...]] = (-1, ())
        self.counter = itertools.count()
        self.timed_out = False
        self.stops = [i for i, t in enumerate(tokens.terms) if t.type == "STOP"]
        self.negations = _negation_scopes(tokens, self.stops)
        # the states tried, as against those only queued: a state the search queued but never
        # reached (its attempts ran out first) may still be where a dropped sentence leads
        self.tried: set[tuple[frozenset[int], frozenset[int]]] = set()

    def run(self, below: int | None = None) -> tuple[list[Parse], list[ParseError]]:
        """The cheapest readings; with ``below``, only those that skip fewer words than that (an
        alternative tokenization that cannot beat the readings found stops early)."""
        # a state's cost counts each dropped "not" NEGATION_WEIGHT over its words
        slack = NEGATION_WEIGHT * sum(t.type in _NEGATING for t in self.tokens.terms)
        heap: list[_State] = []
        seen: set[tuple[frozenset[int], frozenset[int]]] = set()
        # reading every convertible run as a quote skips the fewest words
        for r in range(len(self.convertible), -1, -1):
            for converted in itertools.combinations(sorted(self.convertible), r):
                self._push(heap, seen, frozenset(converted), frozenset())
                if len(heap) >= 8:
                    break
        found: dict[LabelingRule, Parse] = {}
        self._explore(heap, seen, found, below, slack, MAX_ATTEMPTS)
        if not found and not self.timed_out:
            found = self._without_a_sentence(set(self.tried), below, slack)
        warnings: list[ParseError] = []
        if self.timed_out:
            warnings.append(ParseTimeoutError("parsing reached its deadline; kept what it found"))
        parses = list(found.values())
        if len(parses) > self.max_parses:
            warnings.append(
                TooManyParsesError(
                    f"more than {self.max_parses} distinct readings; kept the first "
                    f"{self.max_parses}"
                )
            )
        return parses[: self.max_parses], warnings

    def _explore(
        self,
        heap: list[_State],
        seen: set[tuple[frozenset[int], frozenset[int]]],
        found: dict[LabelingRule, Parse],
        below: int | None,
        slack: int,
        attempts: int,
    ) -> None:
        """Try the queued states, cheapest first, adding their readings to ``found``, until the
        cheapest readings are found or ``attempts`` more states were tried."""
        best_cost: int | None = None
        budget = self.attempts + attempts
        while heap and self.attempts < budget:
            state = heapq.heappop(heap)
            if best_cost is not None and state.cost > best_cost:
                break
            if below is not None and state.cost - slack >= below:
                break
            if parse_time() > self.deadline:
                self.timed_out = True
                break
            self.tried.add((state.converted, state.dropped))
            stranded = self._stranded_negation(state)
            if stranded is not None:  # read only as the reading that drops it
                self._push(heap, seen, state.converted, state.dropped | {stranded})
                continue
            terms, owners = self._terms(state)
            self.attempts += 1
            chart = parse_types(tuple(t.type for t in terms))
            if not chart.accepted:
                for drop in self._culprits(chart.failed_at, terms, owners):
                    cost = state.cost + self._weight(drop)  # one more terminal dropped
                    self._push(heap, seen, state.converted, state.dropped | {drop}, cost)
                continue
            try:
                rules = self._evaluate(chart, terms, state)
            except Deadline:
                self.timed_out = True
                break
            except RecursionError:  # pragma: no cover - needs nesting deeper than MAX_CHARS allows
                continue
            for rule in rules:
                if rule not in found:
                    found[rule] = self._parse_of(rule, state)
            if rules:
                best_cost = state.cost

    def _evaluate(self, chart: Chart, terms: list[Term], state: _State) -> list[LabelingRule]:
        """The readings of a recognized input (from :attr:`evaluated` when met before)."""
        # punctuation dropped leaves every word read
        all_read = state.cost == 0 and all(
            self.tokens.terms[i].type in _FREE for i in state.dropped
        )
        values = tuple(t.value for t in terms)
        key = (chart.tokens, values, all_read)
        rules = self.evaluated.get(key)
        if rules is None:
            self.semantics.all_read = all_read
            limit = self.max_parses + 1
            rules = self.evaluated[key] = evaluate(
                chart, values, self.semantics, limit, self.deadline
            )
        return rules

    def _push(
        self,
        heap: list[_State],
        seen: set[tuple[frozenset[int], frozenset[int]]],
        converted: frozenset[int],
        dropped: frozenset[int],
        cost: int | None = None,
    ) -> None:
        """Queue a state once; ``cost``, when the caller knows it, saves recounting it."""
        if (converted, dropped) in seen:
            return
        seen.add((converted, dropped))
        if cost is None:
            unknown = self.unknown
            cost = sum(
                sum(i in unknown for i in run)
                for k, (_, run) in enumerate(self.tokens.runs)
                if k not in converted
            )
            cost += sum(self._weight(i) for i in dropped)
        heapq.heappush(heap, _State(cost, next(self.counter), converted, dropped))

    def _without_a_sentence(
        self, seen: set[tuple[frozenset[int], frozenset[int]]], below: int | None, slack: int
    ) -> dict[LabelingRule, Parse]:
        """The cheapest readings with one whole sentence dropped (its words count as skipped).
        A sentence of several may be what does not read ("... so negative. There is no causal
        word."); dropping its terms one at a time, cheapest first, seldom gets that far within
        the attempts, so each sentence is dropped at once and searched on its own share."""
        sentences = self._sentences()
        found: dict[LabelingRule, Parse] = {}
        for converted, dropped in sentences:
            heap: list[_State] = []
            self._push(heap, seen, converted, dropped)
            self._explore(heap, seen, found, below, slack, MAX_ATTEMPTS // len(sentences))
        least = min(map(_cost, found.values()), default=0)
        return {rule: p for rule, p in found.items() if _cost(p) == least}

    def _sentences(self) -> list[tuple[frozenset[int], frozenset[int]]]:
        """For each sentence of an explanation of several: the runs read as quotes outside it,
        and its terms with the full stop after it (the last: before it), to drop together. A
        colon also ends one here ("... between the drug and the disease: the drug treats acne,
        it does not cause it"): what follows it may be the reason, not the rule."""
        terms, stops = self.tokens.terms, self.stops
        colons = self._after_colons()
        if not stops and not colons:
            return []
        bounds = sorted([0, *(i + 1 for i in stops), *colons, len(terms)])
        found = []
        for a, b in itertools.pairwise(bounds):
            last = bool(stops) and b == len(terms) and a == stops[-1] + 1
            dropped = set(range(a, b)) | ({stops[-1]} if last else set())
            outside = {k for k in self.convertible if not a <= self.tokens.runs[k][0] < b}
            found.append((frozenset(outside), frozenset(dropped)))
        return found

    def _after_colons(self) -> list[int]:
        """The first terminal after each colon that has terminals on both sides of it."""
        terms, pieces = self.tokens.terms, self.tokens.pieces
        starts = [t.pieces[0] if t.pieces else -1 for t in terms]
        found = []
        for k, piece in enumerate(pieces):
            if piece.text == ":" and piece.kind == "symbol":
                after = next((i for i, start in enumerate(starts) if start > k), len(terms))
                if 0 < after < len(terms):
                    found.append(after)
        return found

    def _stranded_negation(self, state: _State) -> int | None:
        """A "not" kept while the rest of its sentence is dropped, full stop included, so that it
        would negate the next sentence ("Not the best example, I admit. Still, 'x' is between
        them"): the terminal, or None. A negation stays in its own sentence."""
        dropped = state.dropped
        for scope in self.negations:
            if (
                scope.negation not in dropped
                and scope.stop in dropped
                and scope.rest <= dropped
                and scope.runs.isdisjoint(state.converted)
            ):
                return scope.negation
        return None

    def _weight(self, index: int) -> int:
        term = self.tokens.terms[index]
        if term.type in _FREE:
            return 0
        # a reading that drops a negation says the opposite: it comes after any that keeps it
        return len(term.pieces) + (NEGATION_WEIGHT if term.type in _NEGATING else 0)

    def _terms(self, state: _State) -> tuple[list[Term], list[int]]:
        """The terminal sequence of a state, and for each the index of its original terminal
        (-1 for a run read as a quote)."""
        if not state.converted:  # the usual case, and the search's inner loop: kept lean
            kept = [i for i in range(len(self.tokens.terms)) if i not in state.dropped]
            return [self.tokens.terms[i] for i in kept], kept
        inserts = {self.tokens.runs[k][0]: self.tokens.runs[k][1] for k in sorted(state.converted)}
        terms: list[Term] = []
        owners: list[int] = []
        for i in range(len(self.tokens.terms) + 1):
            if i in inserts:
                run = inserts[i]
                first, last = self.tokens.pieces[run[0]], self.tokens.pieces[run[-1]]
                text = _surface(self.tokens, run)
                terms.append(Term("QUOTE", text, run, first.start, last.end))
                owners.append(-1)
            if i < len(self.tokens.terms) and i not in state.dropped:
                terms.append(self.tokens.terms[i])
                owners.append(i)
        return terms, owners

    def _culprits(self, at: int, terms: list[Term], owners: list[int]) -> list[int]:
        """Terminals worth dropping: the one parsing failed at and the few before it."""
        if at > self.best_failure[0]:
            self.best_failure = (at, tuple(terms))
        window = range(min(at, len(terms) - 1), max(0, at - 3) - 1, -1)
        return [owners[k] for k in window if owners[k] >= 0]

    def _parse_of(self, rule: LabelingRule, state: _State) -> Parse:
        skipped = [
            i
            for k, (_, run) in enumerate(self.tokens.runs)
            if k not in state.converted
            for i in run
            if i in self.unknown
        ]
        for t in state.dropped:
            skipped.extend(
                i for i in self.tokens.terms[t].pieces if self.tokens.pieces[i].kind != "symbol"
            )
        gone = set(skipped)  # a terminal may share its pieces ("later": see tokens)
        skipped = sorted(gone)
        quoted = tuple(
            _surface(self.tokens, self.tokens.runs[k][1]) for k in sorted(state.converted)
        )
        pieces = self.tokens.pieces
        return Parse(
            rule=rule,
            skipped=self.tokens.words(skipped),
            spans=tuple((pieces[i].start, pieces[i].end) for i in skipped),
            quoted=quoted,
            respelled=tuple(
                (pieces[i].text, pieces[i].key) for i in self.tokens.respelled if i not in gone
            ),
        )

    def failure(self, text: str, bare: Tokens | None = None) -> ParseError:
        """The error for an explanation with no reading: the words not understood (of the
        tokenization ``bare`` instead, which reads the example's words, where it knows more)."""
        if self.timed_out:
            return ParseTimeoutError(
                "parsing reached its deadline before finding a reading", text=text
            )
        tokens = self.tokens
        if bare is not None and len(bare.unknown) < len(tokens.unknown):
            tokens = bare
        unknown = tokens.unknown
        spans = [(tokens.pieces[i].start, tokens.pieces[i].end) for i in unknown]
        at, terms = self.best_failure
        if 0 <= at < len(terms):
            spans.append((terms[at].start, terms[at].end))
        words = tokens.words(unknown)
        message = "no reading of the explanation was found"
        if words:
            message += f"; words not understood: {', '.join(repr(w) for w in words)}"
        if 0 <= at < len(terms):
            message += f"; parsing stopped at {text[terms[at].start : terms[at].end]!r}"
        return NoParseError(message, text=text, spans=tuple(sorted(spans)), words=words)
