"""WRENCH weak-supervision benchmarks: texts, gold labels and each benchmark's own label matrix.

``load`` takes ONE benchmark folder (the shared copies are ``$BABBLE_DATA/wrench/<name>`` for
youtube, sms, trec and semeval)::

    train.json  valid.json  test.json  label.json  [labeled_ids.json]  [readme.txt]

A split file is ``{"<id>": {"label": int, "weak_labels": [int per LF], "data": {"text": str}}}``;
``label.json`` maps ``"0".."k-1"`` to label names. Relation benchmarks (semeval) add
``entity1``/``entity2`` and their ``span1``/``span2`` (character offsets, end-exclusive) to
``data``; their candidates get a subject (entity1) and an object (entity2) span, the others none.

Choices made here, once:

* Splits are ``train``, ``dev`` (``valid.json``) and ``test``, in file order, so row ``i`` of
  ``Dataset.label_matrices[split]`` (int64, ``-1`` = abstain) is candidate ``i``. Candidate ids
  are ``"<split>-<id>"`` (ids repeat across files); the source id is ``metadata["source_id"]``.
* The task table ``tasks/wrench_<name>.json`` gives the metric, aliases and entity types; a folder
  with no table (another WRENCH benchmark) loads with accuracy and no aliases. Label names always
  come from ``label.json``.
* ``label_prefix`` in a table names splits whose texts start with a label word to strip: trec's
  ``test.json`` texts start with the fine-grained TREC label (``"dist How far ..."``). The word
  goes to ``metadata["fine_label"]``; a text of such a split without one is an error. trec's
  train and valid texts carry no prefix (none starts with a fine label word) and are lower-cased,
  while its test texts keep their case.
* Rows are never dropped. Texts found in two splits (youtube and sms) are kept, flagged in
  ``metadata["also_in"]`` and counted in :attr:`~babble.types.Dataset.notes`; so are the train
  rows listed in ``labeled_ids.json`` (``metadata["labeled"]``: youtube's 100 extra labelled rows,
  sms's 69 and trec's 68) and its ``lf_exemplar_ids`` (``metadata["lf_exemplar"]``: the rows the
  LFs were written from).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from babble.datasets._common import (
    get_field,
    label_space_from_table,
    make_candidate,
    make_span,
    read_json,
    require_file,
    simple_tokenize,
    task_table,
)
from babble.errors import DataFormatError
from babble.types import Candidate, Dataset, EntitySpan, LabelSpace, SourceLocation

SPLITS = {"train": "train.json", "dev": "valid.json", "test": "test.json"}
"""Split name -> file name."""

ID_LISTS = {"labeled_ids": "labeled", "lf_exemplar_ids": "lf_exemplar"}
"""Lists of train ids in ``labeled_ids.json`` -> the metadata flag they set."""

ENTITIES = (("entity1", "span1", "subject"), ("entity2", "span2", "object"))
"""Relation benchmarks: entity text field, span field, role."""

DEFAULT_ENTITY_TYPE = "ENTITY"

_First = dict[str, tuple[int, SourceLocation]]
"""What the first example read looked like (number of votes, spans or not), and where it was."""

_SHAPES: Mapping[str, Callable[[int], str]] = {
    "votes": lambda n: f"{n} votes (one per labeling function)",
    "spans": lambda has: "entity spans (span1, span2)" if has else "no entity spans",
}
"""How to say each shape in an error message."""


@dataclass(frozen=True)
class _Split:
    """One parsed split file: candidates, their weak labels, and the label words stripped."""

    candidates: tuple[Candidate, ...]
    weak_labels: np.ndarray
    stripped: int


def load(path: Path) -> Dataset:
    """Load one WRENCH benchmark folder (e.g. ``.../wrench/youtube``).

    Raises :class:`~babble.errors.DataNotFoundError` when a file is missing and
    :class:`~babble.errors.DataFormatError`, naming the file, the example id and the field, when
    one is malformed (including label matrices whose rows differ in length or hold a value
    outside ``-1..k-1``).
    """
    name = path.name
    label_file = require_file(path / "label.json", f"WRENCH {name} label.json")
    labels = read_labels(label_file)
    table = _table(name)
    try:
        space = label_space_from_table({**table, "labels": labels})
    except ValueError as exc:  # e.g. the table's aliases name labels this label.json lacks
        raise DataFormatError(
            f"labels do not fit the task table tasks/wrench_{name}.json: {exc}",
            file=str(label_file),
        ) from exc
    prefix = table.get("label_prefix", {})
    first: _First = {}
    parsed: dict[str, _Split] = {}
    for split, file_name in SPLITS.items():
        file = require_file(path / file_name, f"WRENCH {name} {split} split ({file_name})")
        strip = frozenset(prefix.get("words", ())) if split in prefix.get("splits", ()) else None
        parsed[split] = _read_split(file, split, space, strip, first)
    splits = {split: p.candidates for split, p in parsed.items()}
    notes = [
        f"{split}: stripped the leading fine-grained label word of {p.stripped} texts "
        f"(kept in metadata['fine_label'])"
        for split, p in parsed.items()
        if p.stripped
    ]
    splits, shared_notes = _flag_shared_texts(splits)
    notes += shared_notes
    ids_file = path / "labeled_ids.json"
    if ids_file.is_file():
        splits["train"], id_notes = _flag_listed_ids(ids_file, splits["train"])
        notes += id_notes
    relation = "spans" in first and bool(first["spans"][0])
    return Dataset(
        name=f"wrench_{name}",
        task="relation" if relation else "text",
        label_space=space,
        splits=splits,
        label_matrices={split: p.weak_labels for split, p in parsed.items()},
        metric=table.get("metric", "accuracy"),
        notes=tuple(notes),
    )


def read_labels(file: Path) -> tuple[str, ...]:
    """Label names from ``label.json``, ordered by their integer keys, which must be ``0..k-1``."""
    raw = read_json(file)
    if not isinstance(raw, dict) or not raw:
        raise DataFormatError('expected an object {"0": name, "1": name, ...}', file=str(file))
    expected = [str(i) for i in range(len(raw))]
    if set(raw) != set(expected):
        raise DataFormatError(
            f"expected the keys {expected[0]}..{expected[-1]}, got {sorted(raw)}", file=str(file)
        )
    seen: set[str] = set()
    for key in expected:
        if not isinstance(raw[key], str) or not raw[key] or raw[key] in seen:
            raise DataFormatError(
                f"expected a new label name, got {raw[key]!r:.40}", file=str(file), field=key
            )
        seen.add(raw[key])
    return tuple(raw[key] for key in expected)


def _table(name: str) -> dict[str, Any]:
    """The task table of a known benchmark, else an empty one (accuracy, no aliases)."""
    try:
        return task_table(f"wrench_{name}")
    except FileNotFoundError:
        return {}


def _read_split(
    file: Path, split: str, space: LabelSpace, strip: frozenset[str] | None, first: _First
) -> _Split:
    """Parse one split file; ``strip`` is the set of label words its texts start with, if any,
    and ``first`` holds the shape of the first example read, which every other must share."""
    raw = read_json(file)
    if not isinstance(raw, dict):
        raise DataFormatError(
            f"expected an object of id -> example, got {type(raw).__name__}", file=str(file)
        )
    candidates = []
    rows = []
    stripped = 0
    for key, example in raw.items():
        where = SourceLocation(str(file), document=key)
        if not isinstance(example, dict):
            raise DataFormatError(
                f"expected an object with label, weak_labels and data, got "
                f"{type(example).__name__}",
                file=where.file,
                document=key,
            )
        rows.append(_weak_labels(example, space.k, first, where))
        candidate = _candidate(example, f"{split}-{key}", space, strip, where)
        _same(first, "spans", bool(candidate.spans), where, "data")
        stripped += "fine_label" in candidate.metadata
        candidates.append(candidate)
    width = first["votes"][0] if "votes" in first else 0
    matrix = np.array(rows, dtype=np.int64).reshape(len(rows), width)
    return _Split(tuple(candidates), matrix, stripped)


def _same(first: _First, what: str, value: int, where: SourceLocation, field: str) -> None:
    """Record ``value`` as the first ``what``, or raise if it differs from the first one."""
    if what not in first:
        first[what] = (value, where)
    elif first[what][0] != value:
        expected, seen = first[what]
        describe = _SHAPES[what]
        raise DataFormatError(
            f"expected {describe(expected)} as in the first example ({seen}), "
            f"got {describe(value)}",
            file=where.file,
            document=where.document,
            field=field,
        )


def _weak_labels(
    example: Mapping[str, Any], k: int, first: _First, where: SourceLocation
) -> list[int]:
    """One checked row of the label matrix: one int in ``-1..k-1`` per labeling function."""
    row: list[int] = get_field(example, "weak_labels", list, where)
    _same(first, "votes", len(row), where, "weak_labels")
    for i, vote in enumerate(row):
        if type(vote) is not int or not -1 <= vote < k:
            raise DataFormatError(
                f"vote {i} is {vote!r:.20}; expected an integer in -1..{k - 1} (-1 = abstain)",
                file=where.file,
                document=where.document,
                field="weak_labels",
            )
    return row


def _candidate(
    example: Mapping[str, Any],
    cand_id: str,
    space: LabelSpace,
    strip: frozenset[str] | None,
    where: SourceLocation,
) -> Candidate:
    """One checked candidate: gold label, text (label word stripped) and any entity spans."""
    label = get_field(example, "label", int, where)
    if not 0 <= label < space.k:
        raise DataFormatError(
            f"expected a label in 0..{space.k - 1}, got {label}",
            file=where.file,
            document=where.document,
            field="label",
        )
    data = get_field(example, "data", dict, where)
    text = get_field(data, "text", str, where)
    metadata: dict[str, Any] = {"source_id": where.document}
    if strip is not None:
        word, _, text = text.partition(" ")
        if word not in strip:
            raise DataFormatError(
                f"expected the text to start with a fine-grained label word and a space, got "
                f"{word!r:.30}",
                file=where.file,
                document=where.document,
                field="text",
            )
        metadata["fine_label"] = word
    has_spans = any(span_field in data for _, span_field, _ in ENTITIES)
    spans = tuple(_entity(data, e, text, space, where) for e in ENTITIES) if has_spans else ()
    return make_candidate(
        where,
        id=cand_id,
        doc_id=cand_id,
        text=text,
        tokens=simple_tokenize(text),
        spans=spans,
        label=label,
        metadata=metadata,
    )


def _entity(
    data: Mapping[str, Any],
    fields: tuple[str, str, str],
    text: str,
    space: LabelSpace,
    where: SourceLocation,
) -> EntitySpan:
    """The span of one entity from its ``[start, end)`` offsets, checked against its text."""
    entity_field, span_field, role = fields
    entity = get_field(data, entity_field, str, where)
    offsets = get_field(data, span_field, list, where)
    valid = (
        len(offsets) == 2
        and all(type(v) is int for v in offsets)
        and 0 <= offsets[0] < offsets[1] <= len(text)
    )
    if not valid or text[offsets[0] : offsets[1]] != entity:
        raise DataFormatError(
            f"expected [start, end) offsets of {entity!r:.40} in a text of {len(text)} "
            f"characters, got {offsets!r:.40}",
            file=where.file,
            document=where.document,
            field=span_field,
        )
    type_ = space.entity_types.get(role, DEFAULT_ENTITY_TYPE)
    return make_span(text, role, type_, offsets[0], offsets[1])


def example_key(candidate: Candidate) -> tuple[str, ...]:
    """What makes two examples the same: the text, case and spacing aside (trec's train is
    lower-cased, its test is not), and the entity texts of a relation.

    Examples
    --------
    >>> a = Candidate(id="a", doc_id="a", text="Who  wrote Hamlet ?", tokens=())
    >>> b = Candidate(id="b", doc_id="b", text="who wrote hamlet ?", tokens=())
    >>> example_key(a) == example_key(b)
    True
    """
    return tuple(
        " ".join(t.casefold().split()) for t in (candidate.text, *(s.text for s in candidate.spans))
    )


def _flag_shared_texts(
    splits: Mapping[str, tuple[Candidate, ...]],
) -> tuple[dict[str, tuple[Candidate, ...]], list[str]]:
    """Flag candidates that are in another split too (same :func:`example_key`) with
    ``metadata["also_in"]``; one note per pair of splits that share examples."""
    seen_in: dict[tuple[str, ...], set[str]] = {}
    for split, cands in splits.items():
        for c in cands:
            seen_in.setdefault(example_key(c), set()).add(split)
    notes = []
    names = list(splits)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            shared = {key for key, found in seen_in.items() if {a, b} <= found}
            if shared:
                rows = sum(example_key(c) in shared for c in splits[b])
                notes.append(
                    f"{a} and {b} share {len(shared)} distinct texts ({rows} {b} rows); kept in "
                    f"both, flagged in metadata['also_in']"
                )
    flagged = {split: tuple(_also_in(cands, split, seen_in)) for split, cands in splits.items()}
    return flagged, notes


def _also_in(
    cands: tuple[Candidate, ...], split: str, seen_in: Mapping[tuple[str, ...], set[str]]
) -> Iterator[Candidate]:
    for c in cands:
        others = seen_in[example_key(c)] - {split}
        yield replace(c, metadata={**c.metadata, "also_in": tuple(sorted(others))}) if others else c


def _flag_listed_ids(
    file: Path, candidates: tuple[Candidate, ...]
) -> tuple[tuple[Candidate, ...], list[str]]:
    """Flag the train rows that ``labeled_ids.json`` lists; one note per non-empty list."""
    raw = read_json(file)
    if not isinstance(raw, dict):
        raise DataFormatError("expected an object of list name -> train ids", file=str(file))
    by_id = {c.metadata["source_id"]: i for i, c in enumerate(candidates)}
    train = list(candidates)
    notes = []
    for list_name, flag in ID_LISTS.items():
        ids = raw.get(list_name, [])
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise DataFormatError("expected a list of id strings", file=str(file), field=list_name)
        for source_id in ids:
            if source_id not in by_id:
                raise DataFormatError(
                    f"id {source_id!r} is not in train.json", file=str(file), field=list_name
                )
            row = by_id[source_id]
            train[row] = replace(train[row], metadata={**train[row].metadata, flag: True})
        if ids:
            rows = sorted(set(ids), key=lambda i: (len(i), i))  # numeric order for digit ids
            notes.append(
                f"train: {len(rows)} rows listed as {list_name} in {file.name} ({len(ids)} "
                f"entries, ids {rows[0]}..{rows[-1]}); kept, flagged in metadata[{flag!r}]"
            )
    return tuple(train), notes
