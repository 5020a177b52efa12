"""SemEval-2014 Task 4 aspect-term sentiment (restaurants) and NExT's explanations.

The tokenised ``.seg`` files hold three lines per example::

    But the $T$ was so horrible to us .
    staff
    -1

the sentence with the aspect term replaced by ``$T$``, the term, and the polarity (-1, 0, 1).
A candidate is the sentence with the term put back and Penn Treebank brackets undone
(``-LRB-`` -> ``(``), its one span the term (role ``target``); its tokens are the file's
(split on spaces). ``explanations_restaurant_next.json`` (optional) is a list of
``{"term", "exp", "sent", "label"}`` with ``$T$`` in ``sent`` and labels +1/-1; each is joined to
the training example with that sentence and term (see :mod:`babble.datasets._textjoin`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

from babble.datasets._common import (
    get_field,
    make_candidate,
    make_span,
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
    unescape_ptb,
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

SPLIT_FILES: Mapping[str, str] = {
    "train": "Restaurants_Train.xml.seg",
    "test": "Restaurants_Test_Gold.xml.seg",
}
"""Split -> the file that holds it."""

EXPLANATIONS_FILE = "explanations_restaurant_next.json"

TERM_MARK = "$T$"
"""Where the aspect term stands in a sentence line (and in an explanation's ``sent``)."""

POLARITIES = ("-1", "0", "1")
"""The polarity values a ``.seg`` file may hold; the task table maps them to label names."""

ROLE = "target"

_TOKEN_RE = re.compile(r"\S+")


def load(path: Path) -> Dataset:
    """Load the SemEval-2014 restaurants folder: both splits and, when present, the explanations.

    Parameters
    ----------
    path
        Folder holding ``Restaurants_Train.xml.seg``, ``Restaurants_Test_Gold.xml.seg`` and
        optionally ``explanations_restaurant_next.json``.

    Returns
    -------
    Dataset
        Splits ``"train"`` and ``"test"``, labels negative/neutral/positive; explanations
        named ``absa-exp-<index>``, each with its join to a training candidate.

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
        name="absa",
        task="aspect",
        title="ABSA",
        split_files=SPLIT_FILES,
        explanations_file=EXPLANATIONS_FILE,
        read_split=_read_split,
        read_explanations=_read_explanations,
    )


# --- examples ----------------------------------------------------------------------------------


def _read_split(path: Path, split: str, label_space: LabelSpace) -> tuple[Candidate, ...]:
    """Every three-line example of one ``.seg`` file, in file order.

    Examples of the same sentence (one per aspect term) share a ``doc_id``.
    """
    lines = read_lines(path)
    while lines and not lines[-1].strip():  # blank lines at the end carry nothing
        lines.pop()
    sentence_ids: dict[str, str] = {}
    candidates: list[Candidate] = []
    for i in range(0, len(lines), 3):
        number = i // 3 + 1
        sentence = lines[i]
        if sentence.count(TERM_MARK) != 1:
            _fail(
                f"expected a sentence with {TERM_MARK} once, marking the aspect term "
                f"(found it {sentence.count(TERM_MARK)} times) in {sentence!r:.80}",
                path,
                i + 1,
            )
        term = unescape_ptb(_line(lines, i + 1, path, "the aspect term")).strip()
        if not term:
            _fail("expected the aspect term, got an empty line", path, i + 2)
        polarity = _line(lines, i + 2, path, "the polarity").strip()
        if polarity not in POLARITIES:
            _fail(f"expected the polarity -1, 0 or 1, got {polarity!r:.40}", path, i + 3)
        before, after = unescape_ptb(sentence).split(TERM_MARK)
        text = before + term + after
        doc_id = sentence_ids.setdefault(text, f"{split}-sentence-{len(sentence_ids) + 1}")
        candidates.append(
            make_candidate(
                SourceLocation(str(path), i + 1),
                id=f"absa-{split}-{number}",
                doc_id=doc_id,
                text=text,
                tokens=tuple(
                    Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)
                ),
                spans=(
                    make_span(
                        text,
                        ROLE,
                        label_space.entity_types[ROLE],
                        len(before),
                        len(before) + len(term),
                    ),
                ),
                label=label_space.index(polarity),
            )
        )
    return tuple(candidates)


def _tokenize(text: str) -> tuple[Token, ...]:
    """The file's own tokens: ``.seg`` sentences are tokenised, tokens separated by spaces."""
    return tuple(Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text))


def _line(lines: list[str], i: int, path: Path, what: str) -> str:
    """``lines[i]``, or an error at the end of the file saying which line was expected."""
    if i >= len(lines):
        _fail(
            f"the file ends inside an example; expected {what} (three lines per example: the "
            f"sentence with {TERM_MARK}, the term, the polarity)",
            path,
            i + 1,
        )
    return lines[i]


def _fail(message: str, path: Path, line: int) -> NoReturn:
    raise DataFormatError(message, file=str(path), line=line)


# --- explanations ------------------------------------------------------------------------------


def _read_explanations(
    path: Path, train: tuple[Candidate, ...], label_space: LabelSpace
) -> tuple[ExplanationJoin, ...]:
    """Every explanation, each joined to the training example with its sentence and term."""
    index = index_by(train, ROLE)
    joins: list[ExplanationJoin] = []
    what = 'an object {"term", "exp", "sent", "label"}'
    for i, (where, obj) in enumerate(read_object_list(path, what)):
        raw_label = get_field(obj, "label", (int, str), where)
        explanation = Explanation(
            text=text_field(obj, "exp", where),
            label=label_name(str(raw_label), label_space, where, "label"),
            name=f"absa-exp-{i}",
            source=where,
        )
        sentence = text_field(obj, "sent", where)
        term = text_field(obj, "term", where)
        if sentence.count(TERM_MARK) != 1:
            joins.append(
                ExplanationJoin(
                    explanation,
                    joined=False,
                    reason=f"its sentence should hold {TERM_MARK} once, "
                    f"found it {sentence.count(TERM_MARK)} times",
                )
            )
            continue
        key = join_key(sentence.replace(TERM_MARK, SLOT_MARKS[ROLE]), term)
        joins.append(join_by_key(explanation, key, index, label_space))
    return tuple(joins)
