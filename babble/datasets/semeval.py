"""SemEval-2010 Task 8 (relations between two nominals, 19 directed labels), NExT's explanations.

The official files hold four lines per example::

    8001<TAB>"The most common <e1>audits</e1> were about <e2>waste</e2> and recycling."
    Message-Topic(e1,e2)
    Comment: Assuming an audit = an audit document.
    <blank>

A candidate is the sentence without the markup, its subject the ``<e1>`` nominal and its object
the ``<e2>`` nominal; labels keep the file's names, direction included. ``explanations_next.json``
(optional) is a list of ``{"rel", "exp", "sent", "pat"}``; ``sent`` is a training sentence with
the nominals replaced by ``SUBJ-<type>`` and ``OBJ-<type>`` (NER types such as ``SUBJ-O`` or
``OBJ-CAUSE_OF_DEATH``). SUBJ is always ``<e1>``, whatever the direction of ``rel``: every joined
sentence puts it there. Each explanation is joined to its training sentence by text (see
:mod:`babble.datasets._textjoin`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NoReturn

from babble.datasets._common import (
    make_candidate,
    make_span,
    simple_tokenize,
)
from babble.datasets._textjoin import (
    SLOT_MARKS,
    index_by,
    join_by_key,
    join_key,
    label_name,
    load_text_corpus,
    read_lines,
    read_object_list,
    text_field,
)
from babble.errors import DataFormatError
from babble.types import (
    Candidate,
    Dataset,
    Explanation,
    ExplanationJoin,
    LabelSpace,
    SourceLocation,
    Token,
)

SPLIT_FILES: Mapping[str, str] = {"train": "TRAIN_FILE.TXT", "test": "TEST_FILE_FULL.TXT"}
"""Split -> the official file that holds it."""

EXPLANATIONS_FILE = "explanations_next.json"

NOMINAL_ROLES: Mapping[str, str] = {"e1": "subject", "e2": "object"}
"""Markup tag -> the role of the nominal it wraps."""

PLACEHOLDER_ROLES: Mapping[str, str] = {"SUBJ": "subject", "OBJ": "object"}
"""Placeholder prefix in an explanation's ``sent`` -> the role it stands for."""

_HEADER_RE = re.compile(r'(\d+)\t"(.*)"')
_TAG_RE = re.compile(r"<(/?)(e[12])>")
_PLACEHOLDER_RE = re.compile(r"\b(SUBJ|OBJ)-[A-Z][A-Z_]*")
_COMMENT = "Comment:"


def load(path: Path) -> Dataset:
    """Load the SemEval-2010 Task 8 folder: both splits and, when present, the explanations.

    Parameters
    ----------
    path
        Folder holding ``TRAIN_FILE.TXT``, ``TEST_FILE_FULL.TXT`` and optionally
        ``explanations_next.json``.

    Returns
    -------
    Dataset
        Splits ``"train"`` and ``"test"``; explanations named ``semeval-exp-<index>``, each with
        its join to a training candidate.

    Raises
    ------
    DataNotFoundError
        A split file is missing.
    DataFormatError
        A malformed example or explanation, naming the file and line (or list index) and what
        was expected.
    """
    return load_text_corpus(
        path,
        name="semeval",
        task="relation",
        title="SemEval-2010 Task 8",
        split_files=SPLIT_FILES,
        explanations_file=EXPLANATIONS_FILE,
        read_split=_read_split,
        read_explanations=_read_explanations,
    )


# --- examples ----------------------------------------------------------------------------------


def _read_split(path: Path, split: str, label_space: LabelSpace) -> tuple[Candidate, ...]:
    """Every four-line example of one official file, in file order."""
    lines = read_lines(path)
    candidates: list[Candidate] = []
    first_seen: dict[str, int] = {}
    i = 0
    while i < len(lines):
        if not lines[i].strip():  # blank lines between examples or at the end carry nothing
            i += 1
            continue
        candidate = _example(lines, i, path, split, label_space)
        if candidate.doc_id in first_seen:
            _fail(
                f"duplicate example id {candidate.doc_id}; first used on line "
                f"{first_seen[candidate.doc_id]}",
                path,
                i + 1,
            )
        first_seen[candidate.doc_id] = i + 1
        candidates.append(candidate)
        i += 4
    return tuple(candidates)


def _example(
    lines: list[str], i: int, path: Path, split: str, label_space: LabelSpace
) -> Candidate:
    """The example whose id line is ``lines[i]`` (0-based) -> a :class:`Candidate`."""
    header = _HEADER_RE.fullmatch(lines[i])
    if header is None:
        _fail(
            f"expected '<id><TAB>\"<sentence>\"' (a number, a tab, the sentence in double quotes) "
            f"starting an example, got {lines[i]!r:.80}",
            path,
            i + 1,
        )
    doc_id, sentence = header.groups()
    label = _line(lines, i + 1, path, "the relation label line").strip()
    if label not in label_space.labels:
        _fail(
            f"unknown relation label {label!r}; expected one of {list(label_space.labels)}",
            path,
            i + 2,
        )
    comment = _line(lines, i + 2, path, f"the {_COMMENT!r} line")
    if not comment.startswith(_COMMENT):
        _fail(f"expected the {_COMMENT!r} line, got {comment!r:.80}", path, i + 3)
    if i + 3 < len(lines) and lines[i + 3].strip():
        _fail(f"expected a blank line ending the example, got {lines[i + 3]!r:.80}", path, i + 4)
    text, offsets = _strip_markup(sentence, path, i + 1)
    where = SourceLocation(str(path), i + 1)
    return make_candidate(
        where,
        id=f"semeval-{split}-{doc_id}",
        doc_id=doc_id,
        text=text,
        tokens=_tokenize(text, offsets.values()),
        spans=tuple(
            make_span(text, role, label_space.entity_types[role], *offsets[tag])
            for tag, role in NOMINAL_ROLES.items()
        ),
        label=label_space.labels.index(label),
        metadata={"comment": comment.removeprefix(_COMMENT).strip()},
    )


def _line(lines: list[str], i: int, path: Path, what: str) -> str:
    """``lines[i]``, or an error at the end of the file saying which line was expected."""
    if i >= len(lines):
        _fail(f"the file ends inside an example; expected {what}", path, i + 1)
    return lines[i]


def _strip_markup(sentence: str, path: Path, line: int) -> tuple[str, dict[str, tuple[int, int]]]:
    """Remove ``<e1>..</e1>`` and ``<e2>..</e2>``: the clean sentence and each tag's offsets in it.

    Examples
    --------
    >>> _strip_markup("A <e1>cat</e1> in a <e2>box</e2>.", Path("f"), 1)
    ('A cat in a box.', {'e1': (2, 5), 'e2': (11, 14)})
    """
    pieces: list[str] = []
    length = 0  # length of the clean text so far
    pos = 0
    open_tag: tuple[str, int] | None = None
    offsets: dict[str, tuple[int, int]] = {}
    for match in _TAG_RE.finditer(sentence):
        pieces.append(sentence[pos : match.start()])
        length += match.start() - pos
        pos = match.end()
        closing, tag = match.group(1) == "/", match.group(2)
        if not closing and open_tag is None and tag not in offsets:
            open_tag = (tag, length)
        elif closing and open_tag is not None and open_tag[0] == tag:
            if length == open_tag[1]:
                _fail(f"the <{tag}> nominal is empty", path, line, "sentence")
            offsets[tag] = (open_tag[1], length)
            open_tag = None
        else:
            _fail(
                f"misplaced {match.group()} at character {match.start()}; expected <e1>..</e1> "
                f"and <e2>..</e2> once each, not nested",
                path,
                line,
                "sentence",
            )
    if open_tag is not None or len(offsets) != len(NOMINAL_ROLES):
        _fail(
            f"expected <e1>..</e1> and <e2>..</e2> once each, found {sorted(offsets)} complete",
            path,
            line,
            "sentence",
        )
    pieces.append(sentence[pos:])
    return "".join(pieces), offsets


def _tokenize(text: str, spans: Iterable[tuple[int, int]]) -> tuple[Token, ...]:
    """:func:`simple_tokenize`, cut at the nominals' edges so each nominal is whole tokens.

    Examples
    --------
    >>> [t.text for t in _tokenize("The factory's roof", [(4, 11)])]
    ['The', 'factory', "'", 's', 'roof']
    """
    cuts = sorted({0, len(text), *(edge for span in spans for edge in span)})
    return tuple(
        Token(token.text, start + token.start, start + token.end)
        for start, end in itertools.pairwise(cuts)
        for token in simple_tokenize(text[start:end])
    )


def _fail(message: str, path: Path, line: int, field: str | None = None) -> NoReturn:
    raise DataFormatError(message, file=str(path), line=line, field=field)


# --- explanations ------------------------------------------------------------------------------


def _read_explanations(
    path: Path, train: tuple[Candidate, ...], label_space: LabelSpace
) -> tuple[ExplanationJoin, ...]:
    """Every explanation of ``explanations_next.json``, each joined to its training sentence."""
    index = index_by(train)
    joins: list[ExplanationJoin] = []
    for i, (where, obj) in enumerate(read_object_list(path, 'an object {"rel", "exp", "sent"}')):
        explanation = Explanation(
            text=text_field(obj, "exp", where),
            label=label_name(text_field(obj, "rel", where), label_space, where, "rel"),
            name=f"semeval-exp-{i}",
            source=where,
        )
        sentence = text_field(obj, "sent", where)
        found = sorted(m.group(1) for m in _PLACEHOLDER_RE.finditer(sentence))
        if found != sorted(PLACEHOLDER_ROLES):
            joins.append(
                ExplanationJoin(
                    explanation,
                    joined=False,
                    reason=f"its sentence should hold SUBJ-<type> and OBJ-<type> once each, "
                    f"found {found}",
                )
            )
            continue
        key = join_key(
            _PLACEHOLDER_RE.sub(lambda m: SLOT_MARKS[PLACEHOLDER_ROLES[m.group(1)]], sentence)
        )
        joins.append(join_by_key(explanation, key, index, label_space))
    return tuple(joins)
