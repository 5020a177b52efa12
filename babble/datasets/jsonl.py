"""The generic JSONL format: a folder any project can write without code.

A dataset folder holds ``task.json`` (labels, aliases, metric), one ``<split>.jsonl`` per split
(one candidate a line) and, optionally, ``explanations.jsonl``. The format is specified in
``docs/formats.md``; ``demos/founders`` is a complete example.

Everything is validated: a bad value raises :class:`~babble.errors.DataFormatError` naming the
file, line and field and saying what was expected. No row is ever skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

from babble.datasets._common import (
    get_field,
    label_space_from_table,
    make_candidate,
    make_span,
    read_json,
    read_jsonl,
    require_file,
    simple_tokenize,
)
from babble.datasets._textjoin import label_name
from babble.errors import DataFormatError, DataNotFoundError
from babble.types import (
    ROLES,
    Candidate,
    Dataset,
    EntitySpan,
    Explanation,
    ExplanationJoin,
    LabelSpace,
    SourceLocation,
    Token,
)

TASK_FILE = "task.json"
EXPLANATIONS_FILE = "explanations.jsonl"

TASK_ROLES: Mapping[str, tuple[str, ...]] = {
    "relation": ("subject", "object"),
    "aspect": ("target",),
    "text": (),
}
"""Task kind -> the span roles every candidate of that task has, in order."""

METRICS = ("accuracy", "f1", "semeval_macro_f1")
"""Metrics a ``task.json`` may name (see :attr:`babble.types.Dataset.metric`)."""

SPLIT_ORDER = ("train", "dev", "test")
"""Splits listed first, in this order; any other ``*.jsonl`` split follows by name."""

_TASK_KEYS = frozenset(
    {"name", "task", "labels", "entity_aliases", "label_aliases", "entity_types", "metric"}
    | {"word_lists", "source", "license"}  # the last two: free text, as in the shipped tables
)
_CANDIDATE_KEYS = frozenset({"id", "text", "doc_id", "tokens", "spans", "label", "metadata"})
_SPAN_KEYS = frozenset({"role", "start", "end", "type"})
_TOKEN_KEYS = frozenset({"text", "start", "end"})
_EXPLANATION_KEYS = frozenset({"text", "label", "candidate_id", "name", "metadata"})


def load(path: Path) -> Dataset:
    """Load a JSONL dataset folder.

    Parameters
    ----------
    path
        Folder holding ``task.json``, one or more ``<split>.jsonl`` files and optionally
        ``explanations.jsonl``.

    Returns
    -------
    Dataset
        Splits in the order train, dev, test, then other split files by name; every
        explanation with its :class:`~babble.types.ExplanationJoin`.

    Raises
    ------
    DataNotFoundError
        The folder, ``task.json`` or every split file is missing.
    DataFormatError
        Any malformed value, with its file, line, field and the expected value.

    Examples
    --------
    >>> from pathlib import Path
    >>> demo = load(Path(__file__).parents[2] / "demos" / "founders")
    >>> demo.task, demo.label_space.labels
    ('relation', ('not_founder', 'founder'))
    """
    if not path.is_dir():
        raise DataNotFoundError(
            f"dataset folder not found at {path}; pass a folder holding task.json"
        )
    task_path = require_file(path / TASK_FILE, "task.json")
    table = _read_task(task_path)
    label_space = _label_space(table, task_path)
    task: str = table["task"]
    splits: dict[str, tuple[Candidate, ...]] = {}
    seen: dict[str, SourceLocation] = {}
    for split, split_path in _split_files(path):
        splits[split] = tuple(
            _candidate(obj, SourceLocation(str(split_path), line), task, label_space, seen)
            for line, obj in read_jsonl(split_path)
        )
    joins: tuple[ExplanationJoin, ...] = ()
    if (path / EXPLANATIONS_FILE).is_file():
        explanations = read_explanations(path / EXPLANATIONS_FILE, label_space)
        joins = tuple(join_explanation(e, seen) for e in explanations)
    return Dataset(
        name=table.get("name", path.resolve().name),
        task=task,
        label_space=label_space,
        splits=splits,
        explanations=tuple(j.explanation for j in joins),
        joins=joins,
        word_lists={k: tuple(v) for k, v in table.get("word_lists", {}).items()},
        metric=table.get("metric", "accuracy"),
    )


def _split_files(path: Path) -> list[tuple[str, Path]]:
    """``(split name, file)`` for every ``*.jsonl`` but the explanations, train/dev/test first."""
    files = {p.stem: p for p in path.glob("*.jsonl") if p.name != EXPLANATIONS_FILE and p.is_file()}
    if not files:
        raise DataNotFoundError(
            f"no split files in {path}; expected train.jsonl, dev.jsonl and/or test.jsonl "
            f"(any <split>.jsonl other than {EXPLANATIONS_FILE})"
        )
    order = [s for s in SPLIT_ORDER if s in files] + sorted(set(files) - set(SPLIT_ORDER))
    return [(s, files[s]) for s in order]


# --- task.json ---------------------------------------------------------------------------------


def _read_task(path: Path) -> dict[str, Any]:
    """``task.json`` checked field by field (types, allowed values); returns the raw table."""
    where = SourceLocation(str(path))
    table = read_json(path)
    if not isinstance(table, dict):
        raise DataFormatError(f"expected a JSON object, got {type(table).__name__}", file=str(path))
    _reject_unknown_keys(table, _TASK_KEYS, where)
    if "name" in table:
        _nonempty_str(table, "name", where)
    task = get_field(table, "task", str, where)
    if task not in TASK_ROLES:
        _fail(f"expected one of {list(TASK_ROLES)}, got {task!r}", where, "task")
    labels = get_field(table, "labels", list, where)
    if not all(isinstance(label, str) and label for label in labels):
        _fail(f"expected a list of non-empty label names, got {labels!r:.80}", where, "labels")
    if table.get("metric", "accuracy") not in METRICS:
        _fail(f"expected one of {list(METRICS)}, got {table['metric']!r}", where, "metric")
    for name in ("entity_aliases", "label_aliases", "entity_types"):
        _str_mapping(table, name, where)
    bad_roles = sorted(set(table.get("entity_types", {})) - set(ROLES))
    if bad_roles:
        _fail(f"keys must be roles {list(ROLES)}, got {bad_roles}", where, "entity_types")
    lists = table.get("word_lists", {})
    if not isinstance(lists, dict) or not all(
        isinstance(v, list) and v and all(isinstance(w, str) and w for w in v)
        for v in lists.values()
    ):
        _fail("expected an object of name -> non-empty list of phrases", where, "word_lists")
    return table


def _label_space(table: Mapping[str, Any], path: Path) -> LabelSpace:
    """The table's :class:`LabelSpace`; an inconsistent table (alias to no label) raises located."""
    try:
        return label_space_from_table(table)
    except ValueError as exc:
        field = "labels"
        if "label aliases" in str(exc):
            field = "label_aliases"
        elif "entity aliases" in str(exc):
            field = "entity_aliases"
        raise DataFormatError(str(exc), file=str(path), field=field) from exc


def _str_mapping(table: Mapping[str, Any], name: str, where: SourceLocation) -> None:
    value = table.get(name, {})
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        _fail("expected an object of string -> string", where, name)


# --- candidates --------------------------------------------------------------------------------


def _candidate(
    obj: Mapping[str, Any],
    where: SourceLocation,
    task: str,
    label_space: LabelSpace,
    seen: dict[str, SourceLocation],
) -> Candidate:
    """One split line -> a :class:`Candidate`; records its id in ``seen`` (ids are dataset-wide)."""
    if set(obj) - _CANDIDATE_KEYS and set(obj) <= _EXPLANATION_KEYS:
        _fail(
            f"this line of a split file looks like an explanation (keys {sorted(obj)}): every "
            f"*.jsonl in a dataset folder but {EXPLANATIONS_FILE} is read as a split of "
            f"candidates; name the file {EXPLANATIONS_FILE} or move it out of the folder",
            where,
            sorted(set(obj) - _CANDIDATE_KEYS)[0],
        )
    _reject_unknown_keys(obj, _CANDIDATE_KEYS, where)
    cid = _nonempty_str(obj, "id", where)
    if cid in seen:
        _fail(f"duplicate candidate id {cid!r}; first used at {seen[cid]}", where, "id")
    seen[cid] = where
    text = _nonempty_str(obj, "text", where)
    doc_id = _nonempty_str(obj, "doc_id", where) if "doc_id" in obj else cid
    metadata = get_field(obj, "metadata", dict, where) if "metadata" in obj else {}
    return make_candidate(
        where,
        field="spans",
        id=cid,
        doc_id=doc_id,
        text=text,
        tokens=_tokens(obj, text, where),
        spans=_spans(obj, text, task, label_space, where),
        label=_gold(obj, label_space, where),
        metadata=metadata,
    )


def _tokens(obj: Mapping[str, Any], text: str, where: SourceLocation) -> tuple[Token, ...]:
    """The line's ``tokens`` (in order, non-overlapping, matching the text), else a simple split."""
    if "tokens" not in obj:
        return simple_tokenize(text)
    tokens: list[Token] = []
    for i, raw in enumerate(get_field(obj, "tokens", list, where)):
        field = f"tokens[{i}]"
        if not isinstance(raw, dict):
            _fail('expected an object {"text", "start", "end"}', where, field)
        _reject_unknown_keys(raw, _TOKEN_KEYS, where, field)
        start, end = _offsets(raw, text, where, field)
        token_text = get_field(raw, "text", str, where, field=f"{field}.text")
        if text[start:end] != token_text:
            _fail(f"text[{start}:{end}] is {text[start:end]!r}, not {token_text!r}", where, field)
        if tokens and start < tokens[-1].end:
            _fail(
                f"tokens must be in order and not overlap; starts before {tokens[-1].end}",
                where,
                field,
            )
        tokens.append(Token(token_text, start, end))
    return tuple(tokens)


def _spans(
    obj: Mapping[str, Any],
    text: str,
    task: str,
    label_space: LabelSpace,
    where: SourceLocation,
) -> tuple[EntitySpan, ...]:
    """The line's entity spans, ordered as the task's roles (subject then object)."""
    expected = TASK_ROLES[task]
    raw_spans = get_field(obj, "spans", list, where) if "spans" in obj or expected else []
    by_role: dict[str, EntitySpan] = {}
    for i, raw in enumerate(raw_spans):
        field = f"spans[{i}]"
        if not isinstance(raw, dict):
            _fail('expected an object {"role", "start", "end", "type"?}', where, field)
        _reject_unknown_keys(raw, _SPAN_KEYS, where, field)
        role = get_field(raw, "role", str, where, field=f"{field}.role")
        if role not in expected:
            _fail(
                f"role must be one of {list(expected)} for a {task} task, got {role!r}",
                where,
                field,
            )
        if role in by_role:
            _fail(
                f"two spans with role {role!r}; expected one each of {list(expected)}", where, field
            )
        start, end = _offsets(raw, text, where, field)
        by_role[role] = make_span(
            text, role, _span_type(raw, role, label_space, where, field), start, end
        )
    missing = [r for r in expected if r not in by_role]
    if missing:
        _fail(
            f"missing span role(s) {missing}; a {task} task needs {list(expected)}", where, "spans"
        )
    return tuple(by_role[r] for r in expected)


def _span_type(
    raw: Mapping[str, Any], role: str, label_space: LabelSpace, where: SourceLocation, field: str
) -> str:
    """A span's ``type``, defaulting to ``entity_types[role]`` from ``task.json``."""
    if "type" in raw:
        return _nonempty_str(raw, "type", where, field=f"{field}.type")
    if role in label_space.entity_types:
        return label_space.entity_types[role]
    _fail(f'missing "type"; give it here or set entity_types[{role!r}] in task.json', where, field)


def _offsets(
    raw: Mapping[str, Any], text: str, where: SourceLocation, field: str
) -> tuple[int, int]:
    """``start``/``end`` char offsets checked to lie in ``text`` with ``start < end``."""
    start = get_field(raw, "start", int, where, field=f"{field}.start")
    end = get_field(raw, "end", int, where, field=f"{field}.end")
    if not 0 <= start < end <= len(text):
        _fail(
            f"offsets [{start}, {end}) must satisfy 0 <= start < end <= {len(text)} (the text's "
            f"length; end is exclusive)",
            where,
            field,
        )
    return start, end


def _gold(obj: Mapping[str, Any], label_space: LabelSpace, where: SourceLocation) -> int | None:
    """The gold label: an exact label name, or ``null``/absent for unlabelled."""
    name = obj.get("label")
    if name is None:
        return None
    if not isinstance(name, str) or name not in label_space.labels:
        _fail(f"expected one of {list(label_space.labels)} or null, got {name!r}", where, "label")
    return label_space.labels.index(name)


# --- explanations ------------------------------------------------------------------------------


def read_explanations(path: Path, label_space: LabelSpace) -> tuple[Explanation, ...]:
    """Each line of ``explanations.jsonl`` as an :class:`Explanation`, its label a label name.

    A line's optional ``metadata`` object (e.g. the workbench's parse status) is checked to be an
    object and otherwise not read.
    """
    explanations: list[Explanation] = []
    names: dict[str, SourceLocation] = {}
    for line, obj in read_jsonl(path):
        where = SourceLocation(str(path), line)
        _reject_unknown_keys(obj, _EXPLANATION_KEYS, where)
        text = _nonempty_str(obj, "text", where)
        label = label_name(get_field(obj, "label", str, where), label_space, where, "label")
        candidate_id = _optional_str(obj, "candidate_id", where)
        name = _optional_str(obj, "name", where)
        if "metadata" in obj:  # notes of the tool that wrote the line (the workbench): not read
            get_field(obj, "metadata", dict, where)
        if name is not None:
            if name in names:
                _fail(
                    f"duplicate explanation name {name!r}; first used at {names[name]}",
                    where,
                    "name",
                )
            names[name] = where
        explanations.append(Explanation(text, label, candidate_id, name, where))
    return tuple(explanations)


def join_explanation(
    explanation: Explanation, seen: Mapping[str, SourceLocation]
) -> ExplanationJoin:
    """Join an explanation to its candidate by id.

    An unknown id is cleared from the explanation: :class:`Explanation` promises that
    ``candidate_id`` names a candidate in the data. Its ``source`` still leads to the line.
    """
    if explanation.candidate_id is None:
        return ExplanationJoin(explanation, joined=False, reason="no candidate_id given")
    if explanation.candidate_id not in seen:
        unjoined = replace(explanation, candidate_id=None)
        return ExplanationJoin(unjoined, joined=False, reason="candidate id not found")
    return ExplanationJoin(explanation, joined=True)


# --- small validators --------------------------------------------------------------------------


def _nonempty_str(
    obj: Mapping[str, Any], name: str, where: SourceLocation, field: str | None = None
) -> str:
    value: str = get_field(obj, name, str, where, field=field)
    if not value.strip():
        _fail("expected a non-empty string", where, field or name)
    return value


def _optional_str(obj: Mapping[str, Any], name: str, where: SourceLocation) -> str | None:
    """An optional string field: absent or ``null`` -> None, else a non-empty string."""
    if obj.get(name) is None:
        return None
    return _nonempty_str(obj, name, where)


def _reject_unknown_keys(
    obj: Mapping[str, Any], allowed: frozenset[str], where: SourceLocation, field: str | None = None
) -> None:
    """Unknown keys are most often typos (``"lable"``); extra data belongs in ``metadata``."""
    unknown = sorted(set(obj) - allowed)
    if unknown:
        _fail(
            f"unknown key(s) {unknown}; expected only {sorted(allowed)}", where, field or unknown[0]
        )


def _fail(message: str, where: SourceLocation, field: str) -> NoReturn:
    raise DataFormatError(
        message, file=where.file, line=where.line, document=where.document, field=field
    )
