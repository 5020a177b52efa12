"""The lexicon: English phrases -> grammar terminals, read from ``lexicon/*.toml``.

A phrase is matched on *keys*: its words lower-cased, fillers ("the", "a") dropped and each word
reduced to a base form (``preceded`` -> ``precede``). Base forms come from the lexicon itself:
every word of every phrase is a base form, its regular inflections (-s, -es, -ies, -ed, -d, -ing,
doubled consonants) are derived, and irregular ones are listed in ``inflections.toml``.

Examples
--------
>>> lex = load_lexicon()
>>> lex.lemma("preceded"), lex.lemma("people"), lex.lemma("wife")
('precede', 'person', 'wife')
>>> lex.phrases[("immediately",)]
('IMMED', '')
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from babble.errors import LexiconError
from babble.parse._resources import lexicon_dir

WORD_RE = re.compile(r"\$\w+\$|\w+(?:[-'\u2019.&]\w+)*|[^\w\s]")
"""One word of an explanation: ``$T$``, a word (with inner hyphens, apostrophes, full stops or
ampersands: "T&C"), or a symbol."""

_VOWELS = set("aeiou")


@dataclass(frozen=True)
class Lexicon:
    """Everything the tokenizer needs from the lexicon files.

    Attributes
    ----------
    phrases
        Key (tuple of base forms) -> (terminal name, value).
    fillers
        Words dropped before matching.
    filler_phrases
        Word sequences (as base forms) dropped too: "because of".
    remark_openers
        Word sequences (as base forms) that open a remark after the explanation proper ("which
        indicates", "so"): the rest of its sentence may be read as filler.
    statement_closers
        Word sequences (as base forms) that close a statement of the label before the reason
        ("I think it is spouse because ..."): what comes before may be read as filler.
    concession_openers
        Word sequences (as base forms) that open a concession ("regardless of", "even though"):
        what it grants is no condition of the rule, so the rest of its clause may be read as
        filler.
    instructions
        Word sequences (as base forms) that tell the reader what to check ("make sure", "look
        for"): filler, like ``filler_phrases``.
    field_names
        Word sequences (as base forms) that name a field of a form-like explanation ("cue",
        "evidence", "verdict"): filler before a colon, "=" or a spaced dash ("Cue: 'wife' |
        Position: right before person2 | Label: spouse").
    sequence_adverbs
        Word sequences (as base forms) that order the steps of a procedure ("first", "then",
        "start by"): filler at the start of a sentence before an instruction or a comma.
    step_verbs
        Word sequences (as base forms) that open a step of a procedure ("find", "look at"):
        filler at a step's start when more follows.
    joiners
        Words that are filler right after an entity and before another entity or a quoted word
        ("to" in "connects SUBJ to OBJ"), or between a class of words and a number ("with" in
        "a number with five digits").
    contractions
        Lower-case contraction -> its expansion ("isn't" -> "is not").
    lemmas
        Inflected form -> base form.
    entity_words, entity_prefixes
        Words that name an entity in some task (see ``words.toml``).
    generic_entity_names
        Role -> names any task with that role understands beside its own aliases ("arg1",
        "the head entity").
    max_len
        The longest phrase, in words.
    spellings
        The lexicon's own words of six letters or more, as written in its phrases, each under
        itself and under every string one letter shorter: what a misspelt word may be read as
        (:meth:`respell`), indexed so that a word's candidates are found from its own
        shortenings.
    sources
        File name -> its ``[meta]`` source and license.
    """

    phrases: Mapping[tuple[str, ...], tuple[str, str]]
    fillers: frozenset[str]
    filler_phrases: frozenset[tuple[str, ...]]
    remark_openers: frozenset[tuple[str, ...]]
    statement_closers: frozenset[tuple[str, ...]]
    concession_openers: frozenset[tuple[str, ...]]
    instructions: frozenset[tuple[str, ...]]
    field_names: frozenset[tuple[str, ...]]
    sequence_adverbs: frozenset[tuple[str, ...]]
    step_verbs: frozenset[tuple[str, ...]]
    joiners: frozenset[str]
    contractions: Mapping[str, tuple[str, ...]]
    lemmas: Mapping[str, str]
    entity_words: frozenset[str]
    entity_prefixes: tuple[str, ...]
    generic_entity_names: Mapping[str, tuple[str, ...]]
    max_len: int
    sources: Mapping[str, str]
    spellings: Mapping[str, frozenset[str]] = field(default_factory=dict)
    _respelled: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def lemma(self, word: str) -> str:
        """The base form of a lower-case word (the word itself when unknown)."""
        return self.lemmas.get(word, word)

    def respell(self, word: str) -> str | None:
        """The lexicon word a misspelt lower-case word stands for, or None: a word of five
        letters or more that is no word of the lexicon, one edit (a letter added, dropped,
        changed, or two neighbours swapped) away from exactly one of its :attr:`spellings`
        ("befor", "immediatly", "sentance", "questoin"). Only long words of the lexicon
        qualify, and only as written: shorter ones and inflections have English neighbours
        that are no typos ("where" / "there", "reviewer" / "reviewed").

        Examples
        --------
        >>> lex = load_lexicon()
        >>> lex.respell("betwen"), lex.respell("bettween"), lex.respell("questoin")
        ('between', 'between', 'question')
        >>> lex.respell("immediatly"), lex.respell("where"), lex.respell("reviewer")
        ('immediately', None, None)
        """
        if word not in self._respelled:
            if len(self._respelled) > _MAX_RESPELLED:  # bounded: a long session meets many
                self._respelled.clear()
            known = word in self.lemmas or word in self.fillers
            found = set() if known or len(word) < 5 else self._one_edit_from(word)
            self._respelled[word] = found.pop() if len(found) == 1 else None
        return self._respelled[word]

    def _one_edit_from(self, word: str) -> set[str]:
        near = self.spellings.get(word, frozenset()).union(
            *(self.spellings.get(shorter, ()) for shorter in _shortenings(word))
        )
        return {spelling for spelling in near if _one_edit_apart(word, spelling)}

    def key(self, text: str) -> tuple[str, ...]:
        """The matching key of a phrase: split, lower-cased, fillers dropped, base forms.

        Examples
        --------
        >>> load_lexicon().key("is immediately to the left of")
        ('be', 'immediately', 'to', 'left', 'of')
        """
        words = [w for w in split_words(text.lower()) if w not in self.fillers]
        return tuple(self.lemma(w) for w in words)

    def looks_like_entity(self, word: str) -> bool:
        """Whether a lower-case word names an entity in some task ("person3", "subj")."""
        if word in self.entity_words:
            return True
        return any(
            word.startswith(p) and word[len(p) :].isdigit() and len(word) > len(p)
            for p in self.entity_prefixes
        )


_MAX_RESPELLED = 50_000


def _shortenings(word: str) -> set[str]:
    """``word`` with one letter dropped, at each place."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether one edit turns ``a`` into ``b``: a letter added, dropped or changed, or two
    neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    if len(a) != len(b):
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        return longer[i + 1 :] == shorter[i:]
    swapped = a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
    return a[i + 1 :] == b[i + 1 :] or swapped


def _spelling_index(words: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each word under itself and under each of its :func:`_shortenings`."""
    index: dict[str, set[str]] = {}
    for word in words:
        for key in (word, *_shortenings(word)):
            index.setdefault(key, set()).add(word)
    return {key: frozenset(found) for key, found in index.items()}


def split_words(text: str) -> list[str]:
    """Split text into words and symbols, expanding possessive ``'s`` into its own word.

    Examples
    --------
    >>> split_words("person2's wife, $T$")
    ['person2', "'s", 'wife', ',', '$T$']
    """
    out: list[str] = []
    for match in WORD_RE.finditer(text):
        out.extend(_split_possessive(match.group()))
    return out


def _split_possessive(word: str) -> list[str]:
    for ending in ("'s", "\u2019s"):
        if word.lower().endswith(ending) and len(word) > 2:
            return [word[: -len(ending)], "'s"]
    return [word]


def inflections(base: str) -> Iterable[str]:
    """Regular inflections of an English base form (over-generation is harmless).

    Examples
    --------
    >>> sorted(set(inflections("occur")) & {"occurs", "occurred", "occurring"})
    ['occurred', 'occurring', 'occurs']
    """
    if not base.isalpha() or len(base) < 2:
        return
    yield from (base + "s", base + "es", base + "ed", base + "ing")
    if base.endswith("e"):
        yield from (base + "d", base[:-1] + "ing")
    if base.endswith("y") and base[-2] not in _VOWELS:
        yield from (base[:-1] + "ies", base[:-1] + "ied")
    consonant_vowel_consonant = (
        len(base) >= 3
        and base[-1] not in _VOWELS | {"w", "x", "y"}
        and base[-2] in _VOWELS
        and base[-3] not in _VOWELS
    )
    if consonant_vowel_consonant:  # stop -> stopped, stopping
        yield from (base + base[-1] + "ed", base + base[-1] + "ing")


@cache
def load_lexicon(folder: Path | None = None) -> Lexicon:
    """Read every ``*.toml`` file of the lexicon folder (default :func:`lexicon_dir`).

    Raises :class:`~babble.errors.LexiconError` naming the file and entry when a file is
    malformed or a phrase is given two different terminals.
    """
    folder = folder or lexicon_dir()
    tables = {path.name: _read(path) for path in sorted(folder.glob("*.toml"))}
    if not tables:
        raise LexiconError(f"no lexicon files (*.toml) in {folder}")
    fillers = frozenset(w for t in tables.values() for w in t.get("fillers", {}).get("words", []))
    raw: list[tuple[str, str, str, str]] = []  # (file, terminal, phrase, value)
    for name, table in tables.items():
        for terminal, spec in table.get("terminals", {}).items():
            raw.extend(
                (name, terminal, phrase, value) for phrase, value in _entries(name, terminal, spec)
            )
    irregular: dict[str, str] = {}
    for table in tables.values():
        irregular.update(table.get("irregular", {}))
    sequences = {
        kind: [p.lower() for t in tables.values() for p in t.get("fillers", {}).get(kind, [])]
        for kind in (
            "phrases",
            "remark_openers",
            "statement_closers",
            "concession_openers",
            "instructions",
            "field_names",
            "sequence_adverbs",
            "step_verbs",
        )
    }
    bases = {w for _, _, phrase, _ in raw for w in split_words(phrase.lower())} - fillers
    bases |= {w for phrases in sequences.values() for p in phrases for w in split_words(p)}
    lemmas = _lemma_table(bases, irregular)
    # filler sequences keep their filler words ("because of"): they are matched on all pieces
    keyed = {
        kind: frozenset(tuple(lemmas.get(w, w) for w in split_words(p)) for p in phrases)
        for kind, phrases in sequences.items()
    }
    phrases: dict[tuple[str, ...], tuple[str, str]] = {}
    origin: dict[tuple[str, ...], str] = {}
    for name, terminal, phrase, value in raw:
        words = [w for w in split_words(phrase.lower()) if w not in fillers]
        key = tuple(lemmas.get(w, w) for w in words)
        if not key:
            continue
        if key in phrases and phrases[key] != (terminal, value):
            raise LexiconError(
                f"{name}: phrase {phrase!r} of terminal {terminal} has the same words as a "
                f"phrase of {phrases[key][0]} ({origin[key]}); a phrase may have only one terminal"
            )
        phrases[key], origin[key] = (terminal, value), name
    contractions = {
        k.lower(): tuple(str(v).lower().split())
        for t in tables.values()
        for k, v in t.get("contractions", {}).items()
    }
    entity = {k: v for t in tables.values() for k, v in t.get("entity_words", {}).items()}
    return Lexicon(
        phrases=phrases,
        fillers=fillers,
        filler_phrases=keyed["phrases"],
        remark_openers=keyed["remark_openers"],
        statement_closers=keyed["statement_closers"],
        concession_openers=keyed["concession_openers"],
        instructions=keyed["instructions"],
        field_names=keyed["field_names"],
        sequence_adverbs=keyed["sequence_adverbs"],
        step_verbs=keyed["step_verbs"],
        joiners=frozenset(
            w.lower() for t in tables.values() for w in t.get("fillers", {}).get("joiners", [])
        ),
        contractions=contractions,
        lemmas=lemmas,
        entity_words=frozenset(w.lower() for w in entity.get("words", [])),
        entity_prefixes=tuple(p.lower() for p in entity.get("prefixes", [])),
        generic_entity_names={
            role: tuple(names)
            for t in tables.values()
            for role, names in t.get("generic_entity_names", {}).items()
        },
        max_len=max(len(k) for k in phrases),
        sources={name: _source(table) for name, table in tables.items()},
        spellings=_spelling_index(
            w for w in {*bases, *fillers, *irregular} if len(w) >= 6 and w.isalpha()
        ),
    )


def _source(table: Mapping[str, Any]) -> str:
    meta = table.get("meta", {})
    return f"{meta.get('source', '?')} ({meta.get('license', '?')})"


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{path}: not valid TOML ({exc})") from exc


def _entries(name: str, terminal: str, spec: Any) -> list[tuple[str, str]]:
    phrases = spec.get("phrases") if isinstance(spec, dict) else None
    if isinstance(phrases, list) and all(isinstance(p, str) for p in phrases):
        return [(p, "") for p in phrases]
    if isinstance(phrases, dict) and all(isinstance(v, str) for v in phrases.values()):
        return list(phrases.items())
    raise LexiconError(
        f"{name}: terminal {terminal} needs `phrases`, a list of strings or a table of "
        f'phrase = "value" strings'
    )


def _lemma_table(bases: set[str], irregular: Mapping[str, str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for base in sorted(bases):
        for form in inflections(base):
            table.setdefault(form, base)
    # a base that is a form of another base ("words" in "set of words") takes that base
    table.update({base: base for base in bases if base not in table})
    table.update(irregular)
    return table
