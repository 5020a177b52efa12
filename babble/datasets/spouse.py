"""Spouse (Babble Labble): does a news sentence say that two people are married?

Folder layout (the shared copy is ``$BABBLE_DATA/spouse``)::

    dev.jsonl  test.jsonl  explanations_gradturk.tsv

Each JSONL line holds ``id``, ``sentence``, ``tokens`` (strings, no offsets), ``person1_word_idx``
and ``person2_word_idx`` (``[first, last]`` token indices, inclusive) and ``gold`` (1 = spouse,
-1 = not, 0 = unsure). Each TSV line is ``candidate id<TAB>label (1 = spouse, 2 = not)<TAB>text``.

Choices made here, once:

* Gold 0 ("unsure") counts as ``not_spouse``, as the Snorkel tutorial does. The raw value stays in
  ``Candidate.metadata["gold"]`` and :attr:`~babble.types.Dataset.notes` counts them per split.
* Token offsets come from locating each token in the sentence, in order (:func:`locate_tokens`).
  The source tokens lost their apostrophes and whitespace (``Colbert's`` -> ``Colbert``, ``s``);
  tokens left empty by that cover no text and are not in ``Candidate.tokens`` (the person
  indices are mapped past them).
* 45 candidates (34 dev, 11 test, all gold -1 or 0) have a person that is only such an empty token
  (mostly the spaces after the last full stop): they name no one, so they are skipped and counted
  in :attr:`~babble.types.Dataset.skipped`. Annotators met them too ("person2 is an empty
  string").
* Candidates of one split that share a sentence share ``doc_id`` (``"<split>-sentence-<n>"``).
* The explanations were written about candidates that were never published (their ids are Snorkel
  span ids). Each explanation is named ``spouse-exp-<line>``, its ``source`` points at its TSV line
  (which holds the original id), and its join says ``"candidate not published"``. An id that does
  name a loaded candidate is joined to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from babble.datasets._common import (
    get_field,
    label_space_from_table,
    make_candidate,
    make_span,
    read_jsonl,
    require_file,
    task_table,
)
from babble.errors import DataFormatError
from babble.types import (
    Candidate,
    Dataset,
    EntitySpan,
    Explanation,
    ExplanationJoin,
    LabelSpace,
    SkippedRows,
    SourceLocation,
    Token,
)

SPLITS = {"dev": "dev.jsonl", "test": "test.jsonl"}
"""Split name -> file name."""

EXPLANATIONS_FILE = "explanations_gradturk.tsv"

PERSONS = (("person1_word_idx", "subject"), ("person2_word_idx", "object"))
"""Index field -> entity role."""

GOLD_VALUES = (1, -1, 0)
"""The values ``gold`` may take: spouse, not, unsure (mapped by the task's label aliases)."""

TSV_LABELS = ("1", "2")
"""The labels the explanation TSV may use: 1 = spouse, 2 = not (mapped by the label aliases)."""

NOT_PUBLISHED = "candidate not published"

BLANK_PERSON = (
    "a person covers only empty source tokens (whitespace or an apostrophe): names no one"
)

# Penn Treebank escapes -> the characters they may stand for in the raw sentence. The shared data
# has none, but tokenisers of this era emit them, so a file that has them still loads.
TOKEN_FORMS: Mapping[str, tuple[str, ...]] = {
    "-LRB-": ("(",),
    "-RRB-": (")",),
    "-LSB-": ("[",),
    "-RSB-": ("]",),
    "-LCB-": ("{",),
    "-RCB-": ("}",),
    "``": ('"', "\u201c"),
    "''": ('"', "\u201d"),
}

# Characters the source tokeniser dropped: it split "Colbert's" into "Colbert", "s".
_DROPPED = frozenset("'")


def load(path: Path) -> Dataset:
    """Load a Spouse folder: the ``dev`` and ``test`` splits and the explanations.

    Raises :class:`~babble.errors.DataNotFoundError` when a file is missing and
    :class:`~babble.errors.DataFormatError`, naming the file and line, when one is malformed.
    """
    table = task_table("spouse")
    space = label_space_from_table(table)
    splits: dict[str, tuple[Candidate, ...]] = {}
    notes: list[str] = []
    seen: dict[str, str] = {}
    blank: list[str] = []
    for split, file_name in SPLITS.items():
        file = require_file(path / file_name, f"Spouse {split} split ({file_name})")
        splits[split] = _read_split(file, split, space, seen, blank)
        unsure = sum(c.metadata["gold"] == 0 for c in splits[split])
        notes.append(
            f"{split}: {unsure} candidates with gold 0 (unsure) counted as "
            f"{space.name(space.index('0'))}, as the Snorkel tutorial does"
        )
    explanations_file = require_file(path / EXPLANATIONS_FILE, "Spouse explanations")
    loaded = frozenset(c.id for cands in splits.values() for c in cands)
    joins = read_explanations(explanations_file, space, loaded)
    return Dataset(
        name="spouse",
        task="relation",
        label_space=space,
        splits=splits,
        explanations=tuple(j.explanation for j in joins),
        joins=joins,
        metric=table["metric"],
        skipped=(SkippedRows(BLANK_PERSON, len(blank), tuple(blank[:5])),) if blank else (),
        notes=tuple(notes),
    )


def _read_split(
    file: Path, split: str, space: LabelSpace, seen: dict[str, str], blank: list[str]
) -> tuple[Candidate, ...]:
    """Candidates of one JSONL file; ``seen`` (id -> location) catches ids used twice, and the
    ids of candidates skipped for a blank person go to ``blank``."""
    doc_ids: dict[str, str] = {}
    candidates = []
    for line, obj in read_jsonl(file):
        where = SourceLocation(str(file), line)
        cand_id = get_field(obj, "id", str, where)
        if cand_id in seen:
            raise DataFormatError(
                f"duplicate candidate id {cand_id!r} (first at {seen[cand_id]})",
                file=where.file,
                line=line,
                field="id",
            )
        seen[cand_id] = str(where)
        sentence = get_field(obj, "sentence", str, where)
        doc_id = doc_ids.setdefault(sentence, f"{split}-sentence-{len(doc_ids)}")
        candidate = _candidate(obj, cand_id, doc_id, sentence, space, where)
        if candidate is None:
            blank.append(cand_id)
        else:
            candidates.append(candidate)
    return tuple(candidates)


def _candidate(
    obj: Mapping[str, Any],
    cand_id: str,
    doc_id: str,
    sentence: str,
    space: LabelSpace,
    where: SourceLocation,
) -> Candidate | None:
    """One checked candidate, or ``None`` when a person covers only empty tokens."""
    raw_tokens = get_field(obj, "tokens", list, where)
    for i, token in enumerate(raw_tokens):
        if not isinstance(token, str):
            raise DataFormatError(
                f"token {i} is {type(token).__name__} {token!r:.40}; expected a string",
                file=where.file,
                line=where.line,
                field="tokens",
            )
    located = locate_tokens(sentence, raw_tokens, where)
    spans = [
        _person_span(obj, name, role, sentence, located, space, where) for name, role in PERSONS
    ]
    gold = get_field(obj, "gold", int, where)
    if gold not in GOLD_VALUES:
        raise DataFormatError(
            f"expected 1 (spouse), -1 (not) or 0 (unsure), got {gold}",
            file=where.file,
            line=where.line,
            field="gold",
        )
    if None in spans:
        return None
    return make_candidate(
        where,
        id=cand_id,
        doc_id=doc_id,
        text=sentence,
        tokens=tuple(t for t in located if t is not None),
        spans=tuple(s for s in spans if s is not None),
        label=space.index(str(gold)),
        metadata={"gold": gold, "source": str(where)},
    )


def locate_tokens(
    sentence: str, tokens: Sequence[str], where: SourceLocation
) -> tuple[Token | None, ...]:
    """Give each source token its character offsets, searching the sentence left to right.

    Between two tokens only whitespace and the apostrophes the source tokeniser dropped may lie.
    A :data:`TOKEN_FORMS` escape also matches the characters it stands for, and its ``Token``
    holds those characters, so ``Token.text`` is always ``sentence[start:end]``. An empty token
    (what is left of a whitespace or apostrophe token) covers no text and gets ``None``.

    Raises
    ------
    DataFormatError
        When a token is not found where it should be; names ``where``, the token and the text.

    Examples
    --------
    >>> tokens = ["Colbert", "s", "wife", "-LRB-", "Evelyn", ")", ""]
    >>> locate_tokens("Colbert's wife (Evelyn)", tokens, SourceLocation("dev.jsonl", 1))
    ... # doctest: +NORMALIZE_WHITESPACE
    (Token(text='Colbert', start=0, end=7), Token(text='s', start=8, end=9),
     Token(text='wife', start=10, end=14), Token(text='(', start=15, end=16),
     Token(text='Evelyn', start=16, end=22), Token(text=')', start=22, end=23), None)
    """
    located: list[Token | None] = []
    pos = 0
    for i, token in enumerate(tokens):
        if not token:
            located.append(None)
            continue
        found = _find(sentence, token, pos)
        if found is None:
            raise DataFormatError(
                f"token {i} {token!r} not found at character {pos} of the sentence "
                f"(next text: {sentence[pos : pos + 30]!r}); tokens must appear in order, "
                f"separated only by whitespace or apostrophes",
                file=where.file,
                line=where.line,
                field="tokens",
            )
        start, end = found
        located.append(Token(sentence[start:end], start, end))
        pos = end
    return tuple(located)


def _find(sentence: str, token: str, pos: int) -> tuple[int, int] | None:
    """The first ``(start, end)`` of ``token`` (or a form of it) reachable from ``pos``."""
    best: tuple[int, int] | None = None
    for form in (token, *TOKEN_FORMS.get(token, ())):
        start = sentence.find(form, pos)
        if start < 0 or (best is not None and start >= best[0]):
            continue
        # A later match would skip this gap too, so the first match is the only one to check.
        if all(ch.isspace() or ch in _DROPPED for ch in sentence[pos:start]):
            best = (start, start + len(form))
    return best


def _person_span(
    obj: Mapping[str, Any],
    field: str,
    role: str,
    sentence: str,
    located: Sequence[Token | None],
    space: LabelSpace,
    where: SourceLocation,
) -> EntitySpan | None:
    """The span of one person from its inclusive ``[first, last]`` token indices, or ``None``
    when those tokens are all empty."""
    value = get_field(obj, field, list, where)
    n = len(located)
    valid = (
        len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and 0 <= value[0] <= value[1] < n
    )
    if not valid:
        raise DataFormatError(
            f"expected [first, last] token indices with 0 <= first <= last < {n} tokens, "
            f"got {value!r:.60}",
            file=where.file,
            line=where.line,
            field=field,
        )
    covered = [t for t in located[value[0] : value[1] + 1] if t is not None]
    if not covered:
        return None
    return make_span(sentence, role, space.entity_types[role], covered[0].start, covered[-1].end)


def read_explanations(
    file: Path, space: LabelSpace, candidate_ids: frozenset[str]
) -> tuple[ExplanationJoin, ...]:
    """Read the explanation TSV: one :class:`ExplanationJoin` per non-blank line.

    An explanation whose candidate id is in ``candidate_ids`` is joined to it; any other is not
    joined, with the reason ``"candidate not published"``.
    """
    joins = []
    with file.open(encoding="utf-8") as handle:
        for line, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            fields = raw.rstrip("\r\n").split("\t")
            if len(fields) != 3:
                raise DataFormatError(
                    f"expected 3 tab-separated fields (candidate id, label 1 or 2, explanation), "
                    f"got {len(fields)}",
                    file=str(file),
                    line=line,
                )
            cand_id, label, text = (f.strip() for f in fields)
            if label not in TSV_LABELS:
                raise DataFormatError(
                    f"expected 1 (spouse) or 2 (not spouse), got {label!r:.40}",
                    file=str(file),
                    line=line,
                    field="label",
                )
            if not cand_id or not text:
                empty = "candidate id" if not cand_id else "explanation"
                raise DataFormatError("is empty", file=str(file), line=line, field=empty)
            joined = cand_id in candidate_ids
            explanation = Explanation(
                text=text,
                label=space.name(space.index(label)),
                candidate_id=cand_id if joined else None,
                name=f"spouse-exp-{line}",
                source=SourceLocation(str(file), line),
            )
            joins.append(ExplanationJoin(explanation, joined, "" if joined else NOT_PUBLISHED))
    return tuple(joins)
