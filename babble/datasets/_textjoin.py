"""For plain-text corpora whose explanations name their sentence by its text, not by an id.

Reading the corpus lines and the explanation list with located errors, and joining each
explanation to the sentence it was written about. NExT's explanation files (for SemEval-2010
Task 8 and SemEval-2014 ABSA) give no example id, only the sentence with its entities replaced by
placeholders, tokenised differently from the corpus (``" , "`` spacing, ``-LRB-`` for ``(``,
dropped full stops). They are joined on a *match key*: the sentence with each entity replaced by
its role's slot mark, Penn Treebank escapes undone, then everything but letters, digits and slot
marks dropped and the rest lower-cased.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from babble.datasets._common import (
    get_field,
    label_space_from_table,
    read_json,
    require_file,
    task_table,
)
from babble.errors import DataFormatError, LabelError
from babble.types import (
    Candidate,
    Dataset,
    Explanation,
    ExplanationJoin,
    LabelSpace,
    SourceLocation,
)

SplitReader = Callable[[Path, str, LabelSpace], tuple[Candidate, ...]]
"""Reads one split file: ``(file, split name, label space) -> candidates``."""

ExplanationReader = Callable[[Path, tuple[Candidate, ...], LabelSpace], tuple[ExplanationJoin, ...]]
"""Reads an explanation file and joins each to a training candidate."""

SLOT_MARKS: Mapping[str, str] = {"subject": "\x01", "object": "\x02", "target": "\x03"}
"""Role -> the control character that stands for that role's entity inside a match key."""

PTB_ESCAPES: Mapping[str, str] = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
}
"""Penn Treebank bracket escapes, as tokenised corpora write them -> the brackets."""

_PTB_RE = re.compile("|".join(re.escape(escape) for escape in PTB_ESCAPES))
# Word characters other than "_" are kept, and the slot marks.
_DROP_RE = re.compile(r"[^\w\x01-\x03]|_")


def read_lines(path: Path) -> list[str]:
    """The lines of a UTF-8 text file (CRLF or LF), without their line ends.

    Line ``n`` (1-based) is ``read_lines(path)[n - 1]``; a final newline adds no empty line.
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFormatError(
            f"not UTF-8 text (byte {data[exc.start : exc.start + 1]!r}); expected a text file",
            file=str(path),
            line=data[: exc.start].count(b"\n") + 1,
        ) from exc
    text = text.replace("\r\n", "\n")
    return text.removesuffix("\n").split("\n") if text else []


def read_object_list(path: Path, what: str) -> list[tuple[SourceLocation, dict[str, Any]]]:
    """A JSON file holding a list of objects -> ``(location, object)`` per item.

    The location names the item by its 0-based index (``document="[3]"``): JSON lists have no
    useful line numbers. ``what`` describes one item for the error messages.
    """
    items = read_json(path)
    if not isinstance(items, list):
        raise DataFormatError(
            f"expected a JSON list of {what}, got {type(items).__name__}", file=str(path)
        )
    located: list[tuple[SourceLocation, dict[str, Any]]] = []
    for i, item in enumerate(items):
        where = SourceLocation(str(path), document=f"[{i}]")
        if not isinstance(item, dict):
            raise DataFormatError(
                f"expected {what}, got {type(item).__name__}",
                file=where.file,
                document=where.document,
            )
        located.append((where, item))
    return located


def text_field(obj: Mapping[str, Any], name: str, where: SourceLocation) -> str:
    """``obj[name]`` checked to be a string with some non-space text."""
    value: str = get_field(obj, name, str, where)
    if not value.strip():
        raise DataFormatError(
            "expected some text, got an empty string",
            file=where.file,
            line=where.line,
            document=where.document,
            field=name,
        )
    return value


def unescape_ptb(text: str) -> str:
    """Replace Penn Treebank bracket escapes by the brackets.

    Examples
    --------
    >>> unescape_ptb("great desserts -LRB- cannoli -RRB-")
    'great desserts ( cannoli )'
    """
    return _PTB_RE.sub(lambda m: PTB_ESCAPES[m.group()], text)


def match_key(text: str) -> str:
    """Normalise a sentence so that two tokenisations of it compare equal.

    Slot marks (:data:`SLOT_MARKS`) survive, so a key can say where each entity was.

    Examples
    --------
    >>> match_key("I can't -LRB- really -RRB- say.") == match_key("I ca n't (really) say")
    True
    >>> match_key("The \\x01 was in a \\x02 .")
    'the\\x01wasina\\x02'
    """
    return _DROP_RE.sub("", unescape_ptb(text).lower())


def masked_text(candidate: Candidate) -> str:
    """A candidate's text with each entity span replaced by its role's slot mark.

    Examples
    --------
    >>> from babble.types import EntitySpan, Token
    >>> c = Candidate("c", "d", "Ann met Bo.", (Token("Ann", 0, 3),),
    ...               (EntitySpan("subject", "PERSON", 0, 3, "Ann"),))
    >>> masked_text(c)
    '\\x01 met Bo.'
    """
    text = candidate.text
    # Right to left, so that the offsets of the spans still to replace stay valid.
    for span in sorted(candidate.spans, key=lambda s: s.start, reverse=True):
        text = text[: span.start] + SLOT_MARKS[span.role] + text[span.end :]
    return text


def join_key(masked: str, entity: str | None = None) -> str:
    """The key an explanation and its candidate share: the :func:`match_key` of the masked
    sentence, then that of one entity's text when the entity tells candidates apart (ABSA: one
    sentence, one candidate per aspect term).

    Examples
    --------
    >>> join_key("The \\x03 was good .", "food") == join_key("The \\x03 was good.", "Food")
    True
    """
    key = match_key(masked)
    return key if entity is None else f"{key}\x00{match_key(entity)}"


def index_by(
    candidates: Iterable[Candidate], role: str | None = None
) -> dict[str, list[Candidate]]:
    """Candidates grouped by :func:`join_key` (of their :func:`masked_text` and, when ``role``
    is given, that span's text)."""
    index: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        entity = None if role is None else candidate.span(role).text
        index.setdefault(join_key(masked_text(candidate), entity), []).append(candidate)
    return index


def join_by_key(
    explanation: Explanation,
    key: str,
    index: Mapping[str, list[Candidate]],
    label_space: LabelSpace,
) -> ExplanationJoin:
    """Join ``explanation`` to the one training candidate filed under ``key`` with its label.

    Not joined, with the reason, when no candidate or several match (ambiguous: the placeholders
    hide the entities that would tell them apart) or when the one match has another gold label.
    """
    matches = index.get(key, [])
    if not matches:
        return ExplanationJoin(
            explanation,
            joined=False,
            reason="no training sentence matches (compared ignoring spacing, punctuation and case)",
        )
    if len(matches) > 1:
        ids = ", ".join(c.id for c in matches)
        return ExplanationJoin(
            explanation,
            joined=False,
            reason=f"ambiguous: {len(matches)} training sentences match ({ids})",
        )
    (match,) = matches
    gold = None if match.label is None else label_space.name(match.label)
    if gold != explanation.label:
        return ExplanationJoin(
            explanation,
            joined=False,
            reason=f"the matching training sentence {match.id} is labelled {gold!r}, "
            f"not {explanation.label!r}",
        )
    return ExplanationJoin(replace(explanation, candidate_id=match.id), joined=True)


def label_name(raw: str, label_space: LabelSpace, where: SourceLocation, field: str) -> str:
    """The label name of ``raw`` (a name or alias); an unknown one raises located."""
    try:
        return label_space.name(label_space.index(raw))
    except LabelError as exc:
        raise DataFormatError(
            exc.message, file=where.file, line=where.line, document=where.document, field=field
        ) from exc


def load_text_corpus(
    path: Path,
    *,
    name: str,
    task: str,
    title: str,
    split_files: Mapping[str, str],
    explanations_file: str,
    read_split: SplitReader,
    read_explanations: ExplanationReader,
) -> Dataset:
    """Load a corpus of plain-text split files plus an optional NExT-style explanation file.

    Parameters
    ----------
    path
        The corpus folder.
    name, task
        The dataset's name (also its task table in ``babble/datasets/tasks``) and kind.
    title
        How error messages name the corpus ("SemEval-2010 Task 8").
    split_files
        Split name -> file name inside ``path``; every one must exist.
    explanations_file
        The explanation file inside ``path``; when absent the dataset has no explanations.
    read_split, read_explanations
        The format's readers; explanations are joined to the ``"train"`` split.
    """
    table = task_table(name)
    label_space = label_space_from_table(table)
    splits = {
        split: read_split(require_file(path / file, f"{title} {split} file"), split, label_space)
        for split, file in split_files.items()
    }
    joins: tuple[ExplanationJoin, ...] = ()
    if (path / explanations_file).is_file():
        joins = read_explanations(path / explanations_file, splits["train"], label_space)
    return Dataset(
        name=name,
        task=task,
        label_space=label_space,
        splits=splits,
        explanations=tuple(j.explanation for j in joins),
        joins=joins,
        metric=table["metric"],
    )
