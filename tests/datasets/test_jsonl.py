"""The generic JSONL format: loading, every validation error, and the shipped founders demo."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from babble.datasets import load_dataset
from babble.datasets.jsonl import load
from babble.errors import DataFormatError, DataNotFoundError
from babble.types import Candidate, EntitySpan, Token

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demos" / "founders"

TASK: dict[str, Any] = {
    "name": "toy",
    "task": "relation",
    "labels": ["no", "yes"],
    "entity_aliases": {"X": "subject", "y": "object"},
    "label_aliases": {"true": "yes"},
    "entity_types": {"subject": "PERSON", "object": "ORG"},
    "metric": "f1",
    "word_lists": {"founding": ["founded", "started"]},
}
TEXT = "Ann founded Acme."


def _span(role: str, start: int, end: int, **extra: Any) -> dict[str, Any]:
    return {"role": role, "start": start, "end": end, **extra}


def _row(cid: str = "c1", **changes: Any) -> dict[str, Any]:
    """A valid candidate line for :data:`TEXT`, with ``changes`` applied (None deletes a key)."""
    row: dict[str, Any] = {
        "id": cid,
        "text": TEXT,
        "spans": [_span("subject", 0, 3), _span("object", 12, 16)],
        "label": "yes",
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def _write(folder: Path, name: str, rows: list[Any]) -> Path:
    """Write one JSONL file; a ``str`` row is written verbatim (for syntax errors)."""
    lines = [r if isinstance(r, str) else json.dumps(r) for r in rows]
    path = folder / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _dataset(
    folder: Path,
    task: Any = None,
    splits: dict[str, list[Any]] | None = None,
    explanations: list[Any] | None = None,
) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "task.json").write_text(json.dumps(TASK if task is None else task), encoding="utf-8")
    for split, rows in (splits or {"train": [_row()]}).items():
        _write(folder, f"{split}.jsonl", rows)
    if explanations is not None:
        _write(folder, "explanations.jsonl", explanations)
    return folder


# --- loading -----------------------------------------------------------------------------------


def test_loads_every_field(tmp_path: Path) -> None:
    tokens = [
        {"text": "Ann", "start": 0, "end": 3},
        {"text": "founded", "start": 4, "end": 11},
        {"text": "Acme", "start": 12, "end": 16},
        {"text": ".", "start": 16, "end": 17},
    ]
    train = [
        # spans in file order object-then-subject, an explicit type, tokens, doc id, metadata
        {
            "id": "a",
            "doc_id": "d1",
            "text": TEXT,
            "tokens": tokens,
            "spans": [_span("object", 12, 16, type="COMPANY"), _span("subject", 0, 3)],
            "label": "yes",
            "metadata": {"source": "hand"},
        },
        "",
        _row("b", label=None),
    ]
    explanations = [
        {"text": "the word 'founded' is between X and Y", "label": "TRUE", "candidate_id": "a"},
        {"text": "no reason", "label": "no", "name": "lf_no"},
        {"text": "missing", "label": "no", "candidate_id": "zzz"},
    ]
    folder = _dataset(
        tmp_path / "toy",
        splits={"extra": [_row("e")], "dev": [_row("d")], "train": train},
        explanations=explanations,
    )

    data = load(folder)

    assert (data.name, data.task, data.metric) == ("toy", "relation", "f1")
    assert list(data.splits) == ["train", "dev", "extra"]
    assert data.label_space.labels == ("no", "yes")
    assert data.label_space.entity_aliases == {"x": "subject", "y": "object"}
    assert data.word_lists == {"founding": ("founded", "started")}
    assert data.skipped == ()
    a, b = data.candidates("train")
    assert a == Candidate(
        id="a",
        doc_id="d1",
        text=TEXT,
        tokens=(
            Token("Ann", 0, 3),
            Token("founded", 4, 11),
            Token("Acme", 12, 16),
            Token(".", 16, 17),
        ),
        spans=(
            EntitySpan("subject", "PERSON", 0, 3, "Ann"),
            EntitySpan("object", "COMPANY", 12, 16, "Acme"),
        ),
        label=1,
    )
    assert a.metadata == {"source": "hand"}
    assert (b.doc_id, b.label, [t.text for t in b.tokens]) == (
        "b",
        None,
        ["Ann", "founded", "Acme", "."],
    )
    assert data.gold("train").tolist() == [1, -1]

    joined, unnamed, missing = data.joins
    assert joined.joined and joined.explanation.label == "yes"
    assert joined.explanation.candidate_id == "a"
    assert str(joined.explanation.source) == f"{folder / 'explanations.jsonl'}:1"
    assert (unnamed.joined, unnamed.reason, unnamed.explanation.name) == (
        False,
        "no candidate_id given",
        "lf_no",
    )
    assert (missing.joined, missing.reason) == (False, "candidate id not found")
    assert missing.explanation.candidate_id is None
    assert data.explanations == tuple(j.explanation for j in data.joins)


def test_name_defaults_to_folder_and_metric_to_accuracy(tmp_path: Path) -> None:
    task = {"task": "relation", "labels": ["no", "yes"], "entity_types": TASK["entity_types"]}
    data = load(_dataset(tmp_path / "my_data", task=task))
    assert (data.name, data.metric, data.explanations, data.joins) == (
        "my_data",
        "accuracy",
        (),
        (),
    )


@pytest.mark.parametrize(
    ("task", "row", "roles"),
    [
        ("text", {"id": "t", "text": "Great food.", "label": "yes"}, ()),
        ("text", {"id": "t", "text": "Great food.", "spans": [], "label": "yes"}, ()),
        (
            "aspect",
            {"id": "t", "text": "Great food.", "spans": [_span("target", 6, 10)], "label": "yes"},
            ("target",),
        ),
    ],
)
def test_other_task_kinds(
    tmp_path: Path, task: str, row: dict[str, Any], roles: tuple[str, ...]
) -> None:
    table = {"task": task, "labels": ["no", "yes"], "entity_types": {"target": "TERM"}}
    (cand,) = load(_dataset(tmp_path / "d", task=table, splits={"train": [row]})).candidates()
    assert cand.roles == roles


# --- malformed input ---------------------------------------------------------------------------

BAD_ROWS: list[tuple[str, Any, str, str]] = [
    ("bad json", '{"id": "c2",', "not valid JSON", ""),
    ("not an object", "[1, 2]", "expected a JSON object", ""),
    ("missing id", _row(id=None), "missing field; expected str", "id"),
    ("int id", _row(id=7), "expected str, got int", "id"),
    ("empty text", _row("c2", text=" "), "expected a non-empty string", "text"),
    ("missing text", _row("c2", text=None), "missing field", "text"),
    ("duplicate id", _row("c1"), "duplicate candidate id 'c1'; first used at", "id"),
    ("typo key", {**_row("c2"), "lable": "yes"}, "unknown key(s) ['lable']", "lable"),
    (
        "an explanation in a split file",
        {"name": "x", "text": "'wife' is between them", "label": "yes"},
        "looks like an explanation (keys ['label', 'name', 'text']): every *.jsonl",
        "name",
    ),
    ("unknown label", _row("c2", label="maybe"), "expected one of ['no', 'yes'] or null", "label"),
    ("alias as gold", _row("c2", label="true"), "expected one of ['no', 'yes']", "label"),
    ("int label", _row("c2", label=1), "got 1", "label"),
    ("no spans", _row("c2", spans=None), "missing field; expected list", "spans"),
    (
        "span past end",
        _row("c2", spans=[_span("subject", 0, 3), _span("object", 12, 99)]),
        "offsets [12, 99) must satisfy 0 <= start < end <= 17",
        "spans[1]",
    ),
    (
        "empty span",
        _row("c2", spans=[_span("subject", 3, 3), _span("object", 12, 16)]),
        "0 <= start < end",
        "spans[0]",
    ),
    (
        "str offset",
        _row("c2", spans=[_span("subject", "0", 3), _span("object", 12, 16)]),
        "expected int, got str",
        "spans[0].start",
    ),
    (
        "bool offset",
        _row("c2", spans=[_span("subject", 0, True), _span("object", 12, 16)]),
        "expected int, got bool",
        "spans[0].end",
    ),
    (
        "unknown role",
        _row("c2", spans=[_span("agent", 0, 3), _span("object", 12, 16)]),
        "role must be one of ['subject', 'object'] for a relation task, got 'agent'",
        "spans[0]",
    ),
    (
        "missing role",
        _row("c2", spans=[{"start": 0, "end": 3}]),
        "missing field",
        "spans[0].role",
    ),
    (
        "missing object",
        _row("c2", spans=[_span("subject", 0, 3)]),
        "missing span role(s) ['object']; a relation task needs ['subject', 'object']",
        "spans",
    ),
    (
        "two subjects",
        _row("c2", spans=[_span("subject", 0, 3), _span("subject", 12, 16)]),
        "two spans with role 'subject'",
        "spans[1]",
    ),
    ("span not object", _row("c2", spans=["Ann"]), "expected an object", "spans[0]"),
    (
        "span typo key",
        _row("c2", spans=[_span("subject", 0, 3, typ="X"), _span("object", 12, 16)]),
        "unknown key(s) ['typ']",
        "spans[0]",
    ),
    (
        "token text mismatch",
        _row(
            "c2",
            tokens=[
                {"text": "Ann", "start": 0, "end": 3},
                {"text": "found", "start": 4, "end": 11},
            ],
        ),
        "text[4:11] is 'founded', not 'found'",
        "tokens[1]",
    ),
    (
        "tokens overlap",
        _row(
            "c2",
            tokens=[{"text": "Ann", "start": 0, "end": 3}, {"text": "nn", "start": 1, "end": 3}],
        ),
        "in order and not overlap",
        "tokens[1]",
    ),
    (
        "token missing text",
        _row("c2", tokens=[{"start": 0, "end": 3}]),
        "missing field",
        "tokens[0].text",
    ),
    ("metadata not object", _row("c2", metadata=[1]), "expected dict", "metadata"),
]


@pytest.mark.parametrize(
    ("case", "bad", "fragment", "field"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS]
)
def test_bad_candidate_line(tmp_path: Path, case: str, bad: Any, fragment: str, field: str) -> None:
    folder = _dataset(tmp_path / "d", splits={"train": [_row("c1"), "", bad]})
    with pytest.raises(DataFormatError) as info:
        load(folder)
    message = str(info.value)
    assert f"{folder / 'train.jsonl'}:3" in message  # line 3: the blank line 2 still counts
    assert fragment in message
    if field:
        assert f"field {field!r}" in message
        assert info.value.field == field


def test_duplicate_id_across_splits(tmp_path: Path) -> None:
    folder = _dataset(tmp_path / "d", splits={"train": [_row("c1")], "test": [_row("c1")]})
    with pytest.raises(
        DataFormatError, match=r"test\.jsonl:1, field 'id': duplicate .*/train\.jsonl:1"
    ):
        load(folder)


def test_span_type_needed_without_entity_types(tmp_path: Path) -> None:
    task = {"task": "relation", "labels": ["no", "yes"]}
    with pytest.raises(
        DataFormatError, match=r"train\.jsonl:1, field 'spans\[0\]': missing \"type\""
    ):
        load(_dataset(tmp_path / "d", task=task))


def test_text_task_rejects_spans(tmp_path: Path) -> None:
    task = {"task": "text", "labels": ["no", "yes"]}
    with pytest.raises(DataFormatError, match=r"role must be one of \[\] for a text task"):
        load(_dataset(tmp_path / "d", task=task))


BAD_TASKS: list[tuple[str, Any, str, str | None]] = [
    ("not an object", ["labels"], "expected a JSON object, got list", None),
    ("missing task", {"labels": ["no", "yes"]}, "missing field", "task"),
    (
        "unknown task",
        {**TASK, "task": "ner"},
        "expected one of ['relation', 'aspect', 'text']",
        "task",
    ),
    ("missing labels", {"task": "relation"}, "missing field; expected list", "labels"),
    ("one label", {**TASK, "labels": ["yes"]}, "at least two labels", "labels"),
    ("label not str", {**TASK, "labels": ["no", 1]}, "non-empty label names", "labels"),
    ("repeated label", {**TASK, "labels": ["no", "no"]}, "must be unique", "labels"),
    ("unknown metric", {**TASK, "metric": "auc"}, "expected one of ['accuracy', 'f1'", "metric"),
    (
        "alias to nothing",
        {**TASK, "label_aliases": {"t": "maybe"}},
        "unknown labels ['maybe']",
        "label_aliases",
    ),
    (
        "alias to no role",
        {**TASK, "entity_aliases": {"x": "agent"}},
        "unknown roles ['agent']",
        "entity_aliases",
    ),
    ("aliases not object", {**TASK, "label_aliases": ["t"]}, "string -> string", "label_aliases"),
    ("type of no role", {**TASK, "entity_types": {"agent": "X"}}, "got ['agent']", "entity_types"),
    (
        "word list empty",
        {**TASK, "word_lists": {"w": []}},
        "non-empty list of phrases",
        "word_lists",
    ),
    ("typo key", {**TASK, "lables": []}, "unknown key(s) ['lables']", "lables"),
    ("empty name", {**TASK, "name": ""}, "expected a non-empty string", "name"),
]


@pytest.mark.parametrize(
    ("case", "task", "fragment", "field"), BAD_TASKS, ids=[c[0] for c in BAD_TASKS]
)
def test_bad_task_json(
    tmp_path: Path, case: str, task: Any, fragment: str, field: str | None
) -> None:
    folder = _dataset(tmp_path / "d", task=task)
    with pytest.raises(DataFormatError) as info:
        load(folder)
    assert str(folder / "task.json") in str(info.value)
    assert fragment in str(info.value)
    assert info.value.field == field


def test_task_json_syntax_error_has_line(tmp_path: Path) -> None:
    folder = _dataset(tmp_path / "d")
    (folder / "task.json").write_text(
        '{\n  "task": "relation",\n  "labels": [\n}\n', encoding="utf-8"
    )
    with pytest.raises(DataFormatError, match=r"task\.json:4: not valid JSON"):
        load(folder)


BAD_EXPLANATIONS: list[tuple[str, Any, str, str | None]] = [
    ("unknown label", {"text": "t", "label": "maybe"}, "unknown label 'maybe'", "label"),
    ("missing label", {"text": "t"}, "missing field", "label"),
    ("bool label", {"text": "t", "label": True}, "expected str, got bool", "label"),
    ("missing text", {"label": "yes"}, "missing field", "text"),
    ("empty text", {"text": "", "label": "yes"}, "non-empty string", "text"),
    (
        "int candidate id",
        {"text": "t", "label": "yes", "candidate_id": 3},
        "expected str",
        "candidate_id",
    ),
    (
        "typo key",
        {"text": "t", "label": "yes", "candidate": "c1"},
        "unknown key(s) ['candidate']",
        "candidate",
    ),
    (
        "duplicate name",
        {"text": "t", "label": "yes", "name": "lf"},
        "duplicate explanation name 'lf'",
        "name",
    ),
    ("bad json", "{'text': 't'}", "not valid JSON", None),
]


@pytest.mark.parametrize(
    ("case", "bad", "fragment", "field"), BAD_EXPLANATIONS, ids=[c[0] for c in BAD_EXPLANATIONS]
)
def test_bad_explanation_line(
    tmp_path: Path, case: str, bad: Any, fragment: str, field: str | None
) -> None:
    good = {"text": "because", "label": "yes", "candidate_id": "c1", "name": "lf"}
    folder = _dataset(tmp_path / "d", explanations=[good, bad])
    with pytest.raises(DataFormatError) as info:
        load(folder)
    assert f"{folder / 'explanations.jsonl'}:2" in str(info.value)
    assert fragment in str(info.value)
    assert info.value.field == field


@pytest.mark.parametrize("missing", ["folder", "task.json", "splits"])
def test_missing_files(tmp_path: Path, missing: str) -> None:
    folder = _dataset(tmp_path / "d", explanations=[])
    expected = {
        "folder": "dataset folder not found",
        "task.json": "task.json not found",
        "splits": "no split files",
    }
    if missing == "folder":
        folder = tmp_path / "absent"
    elif missing == "task.json":
        (folder / "task.json").unlink()
    else:
        (folder / "train.jsonl").unlink()
    with pytest.raises(DataNotFoundError, match=expected[missing]):
        load(folder)


# --- the shipped demo --------------------------------------------------------------------------


def _line(candidate: Candidate, labels: tuple[str, ...]) -> dict[str, Any]:
    """A candidate written back in the JSONL format, as the demo writes it."""
    return {
        "id": candidate.id,
        "doc_id": candidate.doc_id,
        "text": candidate.text,
        "spans": [
            {"role": s.role, "start": s.start, "end": s.end, "type": s.type}
            for s in candidate.spans
        ],
        "label": None if candidate.label is None else labels[candidate.label],
    }


def test_founders_demo_counts() -> None:
    data = load_dataset("jsonl", DEMO)
    assert (data.name, data.task, data.metric) == ("founders", "relation", "f1")
    assert data.label_space.labels == ("not_founder", "founder")
    counts = {s: Counter(data.label_space.name(int(y)) for y in data.gold(s)) for s in data.splits}
    assert counts == {
        "train": {"not_founder": 112, "founder": 88},
        "dev": {"not_founder": 27, "founder": 23},
        "test": {"not_founder": 27, "founder": 23},
    }
    assert len({c.doc_id for c in data}) == 198
    assert data.word_lists["founding"][0] == "founded"
    assert len(data.explanations) == 24
    assert all(j.joined for j in data.joins)
    train = {c.id: c for c in data.candidates("train")}
    for explanation in data.explanations:
        assert explanation.candidate_id in train  # explanations are written about training data
        gold = train[explanation.candidate_id].label
        assert gold is not None and data.label_space.name(gold) == explanation.label


def test_founders_demo_loads_losslessly() -> None:
    data = load(DEMO)
    for split in data.splits:
        lines = (DEMO / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
        written = [_line(c, data.label_space.labels) for c in data.candidates(split)]
        assert written == [json.loads(line) for line in lines]


def test_founders_demo_is_reproducible(tmp_path: Path) -> None:
    script = DEMO / "make_demo.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, timeout=60)
    for name in ("task.json", "train.jsonl", "dev.jsonl", "test.jsonl", "explanations.jsonl"):
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name
