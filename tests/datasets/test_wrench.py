"""The WRENCH loader: splits, label matrices, the benchmarks' pitfalls, and bad input."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from babble.datasets import load_dataset
from babble.datasets.wrench import load, read_labels
from babble.errors import DataFormatError, DataNotFoundError
from babble.types import Dataset


def _example(label: int = 1, votes: Any = (-1, 1), text: str = "check out my channel") -> Any:
    return {
        "label": label,
        "weak_labels": None if votes is None else list(votes),
        "data": {"text": text},
    }


def _folder(
    folder: Path,
    train: Any = None,
    valid: Any = None,
    test: Any = None,
    labels: Any = None,
    ids: Any = None,
) -> Path:
    """A WRENCH benchmark folder; a ``str`` split is written verbatim (for syntax errors)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "label.json": {"0": "HAM", "1": "SPAM"} if labels is None else labels,
        "train.json": {"0": _example(), "1": _example(0, (0, -1), "nice song")}
        if train is None
        else train,
        "valid.json": {"0": _example(0, (-1, -1), "Nice song")} if valid is None else valid,
        "test.json": {"0": _example()} if test is None else test,
    }
    if ids is not None:
        files["labeled_ids.json"] = ids
    for name, content in files.items():
        text = content if isinstance(content, str) else json.dumps(content)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# --- small files -------------------------------------------------------------------------------


def test_small_folder(tmp_path: Path) -> None:
    ds = load(_folder(tmp_path / "toy", ids={"labeled_ids": ["1"], "lf_exemplar_ids": []}))
    assert ds.name == "wrench_toy" and ds.task == "text" and ds.metric == "accuracy"
    assert ds.label_space.labels == ("HAM", "SPAM")
    assert {k: [c.id for c in v] for k, v in ds.splits.items()} == {
        "train": ["train-0", "train-1"],
        "dev": ["dev-0"],
        "test": ["test-0"],
    }
    np.testing.assert_array_equal(ds.label_matrices["train"], [[-1, 1], [0, -1]])
    assert ds.label_matrices["dev"].dtype == np.int64
    train0, train1 = ds.splits["train"]
    assert train0.spans == () and [t.text for t in train0.tokens] == [
        "check",
        "out",
        "my",
        "channel",
    ]
    assert train0.metadata == {"source_id": "0", "also_in": ("test",)}
    # Texts in two splits are compared without case, and kept.
    assert train1.metadata == {"source_id": "1", "also_in": ("dev",), "labeled": True}
    assert "train and test share 1 distinct texts (1 test rows)" in ds.notes[1]
    assert "train: 1 rows listed as labeled_ids" in ds.notes[2]


def test_relation_spans(tmp_path: Path) -> None:
    text = "The cash was in a suitcase ."
    data = {"text": text, "entity1": "cash", "entity2": "suitcase", "span1": [4, 8]}
    data["span2"] = [18, 26]
    row = {"label": 0, "weak_labels": [-1], "data": data}
    ds = load(_folder(tmp_path / "rel", {"7": row}, {"8": row}, {"9": row}, {"0": "A", "1": "B"}))
    assert ds.task == "relation"
    cand = ds.splits["test"][0]
    assert cand.id == "test-9"
    assert [(s.role, s.type, s.text) for s in cand.spans] == [
        ("subject", "ENTITY", "cash"),
        ("object", "ENTITY", "suitcase"),
    ]
    bad = {**row, "data": {**data, "span2": [17, 26]}}
    (tmp_path / "rel" / "test.json").write_text(json.dumps({"9": bad}), encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"document 9, field 'span2': expected \[start, end"):
        load(tmp_path / "rel")
    (tmp_path / "rel" / "test.json").write_text(json.dumps({"9": _example(0, [-1])}))
    with pytest.raises(
        DataFormatError,
        match=r"field 'data': expected entity spans \(span1, span2\) as in the first example",
    ):
        load(tmp_path / "rel")


def test_labels_are_ordered_by_their_integer(tmp_path: Path) -> None:
    path = tmp_path / "label.json"
    path.write_text(json.dumps({str(i): f"L{i}" for i in reversed(range(12))}), encoding="utf-8")
    assert read_labels(path) == tuple(f"L{i}" for i in range(12))


def test_trec_prefix_is_stripped_from_test_only(tmp_path: Path) -> None:
    labels = {"0": "DESC", "1": "ENTY", "2": "HUM", "3": "ABBR", "4": "LOC", "5": "NUM"}
    row = _example(5, [-1], "dist How far is it ?")
    ds = load(_folder(tmp_path / "trec", {"0": row}, {"0": row}, {"0": row}, labels))
    assert [c.text for c in ds.candidates()] == ["dist How far is it ?"] * 2 + ["How far is it ?"]
    assert ds.splits["test"][0].metadata["fine_label"] == "dist"
    no_prefix = _example(5, [-1], "How far is it ?")
    with pytest.raises(DataFormatError, match="field 'text': expected the text to start with a"):
        load(_folder(tmp_path / "trec", {"0": row}, {"0": row}, {"0": no_prefix}, labels))


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"train": '{"0": {"label": 1,'}, "train.json:1: not valid JSON"),
        ({"train": []}, "train.json: expected an object of id -> example, got list"),
        ({"train": {"0": 3}}, "train.json, document 0: expected an object with label"),
        ({"test": {"0": _example(votes=[-1, 1, 0])}}, "field 'weak_labels': expected 2 votes (one"),
        ({"test": {"0": _example(votes=[-1, 2])}}, "vote 1 is 2; expected an integer in -1..1"),
        ({"test": {"0": _example(votes=[-1, -2])}}, "vote 1 is -2"),
        ({"test": {"0": _example(votes=[-1, "1"])}}, "vote 1 is '1'"),
        ({"test": {"0": _example(votes=None)}}, "field 'weak_labels': expected list"),
        ({"test": {"0": _example(label=2)}}, "field 'label': expected a label in 0..1, got 2"),
        ({"test": {"0": {"label": 1, "weak_labels": [1, 1], "data": {}}}}, "field 'text'"),
        ({"labels": {"0": "HAM", "2": "SPAM"}}, "label.json: expected the keys 0..1"),
        ({"labels": {"0": "HAM", "1": "HAM"}}, "label.json, field '1': expected a new label"),
        ({"labels": []}, "label.json: expected an object"),
        ({"ids": {"labeled_ids": ["5"]}}, "field 'labeled_ids': id '5' is not in train.json"),
        ({"ids": {"labeled_ids": [5]}}, "field 'labeled_ids': expected a list of id strings"),
    ],
)
def test_malformed_input(tmp_path: Path, changes: dict[str, Any], fragment: str) -> None:
    with pytest.raises(DataFormatError, match="E101") as err:
        load(_folder(tmp_path / "toy", **changes))
    assert fragment in str(err.value)


def test_labels_must_fit_the_task_table(tmp_path: Path) -> None:
    # A folder named youtube gets youtube's table, whose aliases name HAM and SPAM.
    with pytest.raises(DataFormatError, match="do not fit the task table tasks/wrench_youtube"):
        load(_folder(tmp_path / "youtube", labels={"0": "no", "1": "yes"}))


def test_missing_file_says_which(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "toy")
    (folder / "valid.json").unlink()
    with pytest.raises(DataNotFoundError, match=r"WRENCH toy dev split \(valid.json\) not found"):
        load(folder)


# --- the shared data ---------------------------------------------------------------------------

SHARED = {
    # name: (task, metric, k, LFs, {split: rows}, notes (fragments, in order))
    "youtube": (
        "text",
        "accuracy",
        2,
        10,
        {"train": 1686, "dev": 120, "test": 250},
        [
            "train and dev share 7 distinct texts (8 dev rows)",
            "train and test share 8 distinct texts (11 test rows)",
            "dev and test share 15 distinct texts (27 test rows)",
            "train: 100 rows listed as labeled_ids in labeled_ids.json (100 entries, ids 1586..16",
        ],
    ),
    "sms": (
        "text",
        "f1",
        2,
        73,
        {"train": 4571, "dev": 500, "test": 500},
        [
            "train and dev share 40 distinct texts (43 dev rows)",
            "train and test share 56 distinct texts (62 test rows)",
            "dev and test share 7 distinct texts (11 test rows)",
            "train: 69 rows listed as labeled_ids",
            # one exemplar per LF; 4505 and 4511 serve three LFs each
            "train: 69 rows listed as lf_exemplar_ids in labeled_ids.json (73 entries, ids 4502.",
        ],
    ),
    "trec": (
        "text",
        "accuracy",
        6,
        68,
        {"train": 5033, "dev": 500, "test": 500},
        [
            "test: stripped the leading fine-grained label word of 500 texts",
            "train and test share 9 distinct texts (9 test rows)",
            "dev and test share 2 distinct texts (2 test rows)",
            "train: 68 rows listed as labeled_ids",
            "train: 68 rows listed as lf_exemplar_ids",
        ],
    ),
    "semeval": ("relation", "accuracy", 9, 164, {"train": 1749, "dev": 178, "test": 600}, []),
}


@pytest.fixture(scope="module", params=sorted(SHARED))
def benchmark(request: pytest.FixtureRequest, shared_data: Path) -> tuple[str, Dataset]:
    name: str = request.param
    return name, load_dataset("wrench", shared_data / "wrench" / name)


def test_shared_counts_and_matrices(benchmark: tuple[str, Dataset]) -> None:
    name, ds = benchmark
    task, metric, k, lfs, counts, notes = SHARED[name]
    assert (ds.name, ds.task, ds.metric, ds.label_space.k) == (f"wrench_{name}", task, metric, k)
    assert {split: len(cands) for split, cands in ds.splits.items()} == counts
    assert {s: m.shape for s, m in ds.label_matrices.items()} == {
        s: (n, lfs) for s, n in counts.items()
    }
    for split, matrix in ds.label_matrices.items():
        assert matrix.dtype == np.int64 and matrix.min() >= -1 and matrix.max() < k
        assert set(ds.gold(split).tolist()) <= set(range(k))
    assert len(ds.notes) == len(notes)
    for note, fragment in zip(ds.notes, notes, strict=True):
        assert note.startswith(fragment)


def test_shared_details(benchmark: tuple[str, Dataset]) -> None:
    name, ds = benchmark
    flags = Counter(flag for c in ds.splits["train"] for flag in c.metadata if flag != "source_id")
    if name == "youtube":
        assert ds.label_space.labels == ("HAM", "SPAM")
        assert ds.label_matrices["test"][0].tolist() == [-1, -1, -1, -1, -1, 1, -1, -1, -1, -1]
        assert flags["labeled"] == 100
    elif name == "trec":
        test0 = ds.splits["test"][0]
        assert (test0.text, test0.metadata["fine_label"]) == (
            "How far is it from Denver to Aspen ?",
            "dist",
        )
        assert Counter(c.metadata["fine_label"] for c in ds.splits["test"])["def"] == 123
        assert ds.label_space.labels == ("DESC", "ENTY", "HUM", "ABBR", "LOC", "NUM")
    elif name == "semeval":
        train0 = ds.splits["train"][0]
        # SemEval sentence 5516, Member-Collection(e2,e1): entity1 is the member, "canons".
        assert (train0.id, train0.label, ds.label_space.name(6)) == (
            "train-5516",
            6,
            "Member-Collection",
        )
        assert (train0.span("subject").text, train0.span("object").text) == ("canons", "chapter")
        assert all(len(c.spans) == 2 for c in ds.candidates())
    else:
        assert (flags["labeled"], flags["lf_exemplar"]) == (69, 69)
        assert ds.label_space.index("spam") == 1
