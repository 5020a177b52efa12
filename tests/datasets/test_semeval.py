"""SemEval-2010 Task 8: the shared copy (exact counts, spans, explanation joins) and every
validation error on small files."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from babble.datasets import load_dataset
from babble.datasets.semeval import EXPLANATIONS_FILE, load
from babble.errors import DataFormatError, DataNotFoundError
from babble.types import Dataset

RECORD = '{id}\t"{sentence}"\n{label}\nComment:{comment}\n\n'
TOY = [
    (1, "The <e1>cat</e1> sat in the <e2>box</e2> (a big one).", "Content-Container(e1,e2)", ""),
    (2, "A <e1>letter</e1> from the <e2>bank</e2>.", "Entity-Origin(e1,e2)", " note"),
    (
        3,
        "The <e1>jobs</e1> migrated into the <e2>government</e2>.",
        "Entity-Destination(e1,e2)",
        "",
    ),
    (4, "The <e1>protein</e1> migrated into the <e2>nuclei</e2>.", "Entity-Destination(e1,e2)", ""),
]


def _records(rows: list[tuple[int, str, str, str]]) -> str:
    return "".join(
        RECORD.format(id=i, sentence=s, label=label, comment=c) for i, s, label, c in rows
    )


def _folder(tmp_path: Path, train: str, explanations: Any = None, crlf: bool = False) -> Path:
    """A dataset folder with ``train`` as TRAIN_FILE.TXT and one valid test example."""
    newline = "\r\n" if crlf else "\n"
    (tmp_path / "TRAIN_FILE.TXT").write_bytes(train.replace("\n", newline).encode())
    test = _records([(8001, "The <e1>company</e1> made <e2>chairs</e2>.", "Other", "")])
    (tmp_path / "TEST_FILE_FULL.TXT").write_text(test, encoding="utf-8")
    if explanations is not None:
        (tmp_path / EXPLANATIONS_FILE).write_text(json.dumps(explanations), encoding="utf-8")
    return tmp_path


def _exp(sent: Any, rel: str = "Entity-Destination(e1,e2)", **changes: Any) -> dict[str, Any]:
    obj = {"rel": rel, "exp": "OBJ follows SUBJ", "sent": sent, "pat": ["SUBJ-O x OBJ-O"]}
    obj.update(changes)
    return {k: v for k, v in obj.items() if v is not None}


# --- the shared copy ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def semeval(shared_data: Path) -> Dataset:
    return load(shared_data / "semeval2010_task8")


def test_shared_counts(semeval: Dataset) -> None:
    assert {split: len(c) for split, c in semeval.splits.items()} == {"train": 8000, "test": 2717}
    assert semeval.label_space.k == 19
    assert semeval.task == "relation" and semeval.metric == "semeval_macro_f1"
    assert {c.label for c in semeval.candidates("train")} == set(range(19))
    test_labels = Counter(
        semeval.label_space.name(c.label or 0) for c in semeval.candidates("test")
    )
    assert test_labels["Other"] == 454
    assert semeval.skipped == ()


def test_shared_first_examples(semeval: Dataset) -> None:
    first = semeval.candidates("train")[0]
    assert (first.id, first.doc_id) == ("semeval-train-1", "1")
    assert first.text.startswith("The system as described above") and "<e" not in first.text
    assert [(s.role, s.type, s.text) for s in first.spans] == [
        ("subject", "NOMINAL", "configuration"),
        ("object", "NOMINAL", "elements"),
    ]
    assert semeval.label_space.name(first.label or 0) == "Component-Whole(e2,e1)"
    assert first.metadata["comment"] == "Not a collection: there is structure here, organisation."
    assert semeval.candidates("test")[0].id == "semeval-test-8001"


def test_shared_spans_are_the_marked_nominals(semeval: Dataset, shared_data: Path) -> None:
    for split, name in (("train", "TRAIN_FILE.TXT"), ("test", "TEST_FILE_FULL.TXT")):
        raw = (shared_data / "semeval2010_task8" / name).read_text(encoding="utf-8")
        nominals = re.findall(r"<e1>(.*?)</e1>.*?<e2>(.*?)</e2>", raw)
        candidates = semeval.candidates(split)
        assert [(c.span("subject").text, c.span("object").text) for c in candidates] == nominals
        for c in candidates:  # each nominal is whole tokens ("factory's" -> "factory", "'s")
            starts, ends = {t.start for t in c.tokens}, {t.end for t in c.tokens}
            assert all(s.start in starts and s.end in ends for s in c.spans), c.id


def test_shared_explanations(semeval: Dataset) -> None:
    assert len(semeval.explanations) == len(semeval.joins) == 203
    joined = [j for j in semeval.joins if j.joined]
    assert len(joined) == 201
    train = {c.id: c for c in semeval.candidates("train")}
    for j in joined:
        candidate = train[j.explanation.candidate_id or ""]
        assert semeval.label_space.name(candidate.label or 0) == j.explanation.label
    reasons = {j.explanation.name: j.reason for j in semeval.joins if not j.joined}
    assert set(reasons) == {"semeval-exp-12", "semeval-exp-91"}
    assert reasons["semeval-exp-12"].startswith("no training sentence matches")
    assert reasons["semeval-exp-91"].startswith("ambiguous: 2 training sentences match")
    exp4 = semeval.explanations[4]
    assert (exp4.name, exp4.label, exp4.candidate_id) == (
        "semeval-exp-4",
        "Instrument-Agency(e1,e2)",
        "semeval-train-509",
    )
    assert exp4.source is not None and exp4.source.document == "[4]"


def test_shared_load_dataset_default_path(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BABBLE_DATA", str(shared_data))
    assert len(load_dataset("semeval").candidates("test")) == 2717


# --- small files -------------------------------------------------------------------------------


def test_toy_file_crlf(tmp_path: Path) -> None:
    data = load(_folder(tmp_path, _records(TOY), crlf=True))
    cat = data.candidates("train")[0]
    assert cat.text == "The cat sat in the box (a big one)."
    assert [s.text for s in cat.spans] == ["cat", "box"]
    assert data.candidates("train")[1].metadata["comment"] == "note"
    assert data.explanations == () and data.joins == ()


def test_toy_explanation_joins(tmp_path: Path) -> None:
    explanations = [
        # NExT spacing, PTB brackets, a typed placeholder and no full stop still match
        _exp(
            "The SUBJ-O sat in the OBJ-LOCATION -LRB- a big one -RRB-",
            rel="Content-Container(e1,e2)",
        ),
        _exp("A SUBJ-O from the OBJ-O .", rel="Entity-Origin(e2,e1)"),
        _exp("The SUBJ-O migrated into the OBJ-O ."),
        _exp("A SUBJ-O went nowhere OBJ-O ."),
        _exp("No placeholders here ."),
    ]
    data = load(_folder(tmp_path, _records(TOY), explanations))
    joins = data.joins
    assert joins[0].joined and joins[0].explanation.candidate_id == "semeval-train-1"
    assert not joins[1].joined and "labelled 'Entity-Origin(e1,e2)'" in joins[1].reason
    assert not joins[2].joined and joins[2].reason.startswith("ambiguous: 2 training")
    assert "semeval-train-3, semeval-train-4" in joins[2].reason
    assert not joins[3].joined and joins[3].reason.startswith("no training sentence matches")
    assert not joins[4].joined and "SUBJ-<type> and OBJ-<type> once each" in joins[4].reason
    assert [e.candidate_id for e in data.explanations] == ["semeval-train-1"] + [None] * 4
    assert [e.name for e in data.explanations][:2] == ["semeval-exp-0", "semeval-exp-1"]


GOOD = _records(TOY[:1])


@pytest.mark.parametrize(
    ("train", "line", "fragment"),
    [
        (GOOD.replace('"The', "The"), 1, "expected '<id><TAB>\"<sentence>\"'"),
        (GOOD.replace("1\t", "x\t"), 1, "a number, a tab"),
        (
            GOOD.replace("(e1,e2)", "(e3,e1)"),
            2,
            "unknown relation label 'Content-Container(e3,e1)'",
        ),
        (GOOD.replace("Comment:", "Note:"), 3, "expected the 'Comment:' line"),
        (GOOD.rstrip("\n") + "\nextra\n", 4, "expected a blank line ending the example"),
        (GOOD.split("Comment")[0], 3, "the file ends inside an example; expected the 'Comment:'"),
        ('1\t"The <e1>cat</e1> sat."\n', 2, "expected the relation label line"),
        (GOOD.replace("<e2>box</e2>", "box"), 1, "expected <e1>..</e1> and <e2>..</e2> once"),
        (GOOD.replace("<e1>cat</e1>", "<e1>cat"), 1, "misplaced <e2>"),
        (GOOD.replace("</e1>", "</e2>"), 1, "misplaced </e2>"),
        (GOOD.replace("<e1>cat</e1>", "<e1></e1>cat"), 1, "the <e1> nominal is empty"),
        (GOOD + GOOD, 5, "duplicate example id 1; first used on line 1"),
        (GOOD + "\n\n" + GOOD.replace("1\t", "2\t").replace("sat", "\udcff"), 7, "not UTF-8"),
    ],
)
def test_malformed_examples(tmp_path: Path, train: str, line: int, fragment: str) -> None:
    folder = _folder(tmp_path, "")
    (folder / "TRAIN_FILE.TXT").write_bytes(train.encode("utf-8", "surrogateescape"))
    with pytest.raises(DataFormatError) as err:
        load(folder)
    assert f"TRAIN_FILE.TXT:{line}" in str(err.value) and err.value.line == line
    assert fragment in str(err.value)


@pytest.mark.parametrize(
    ("explanations", "fragment"),
    [
        ({"rel": "Other"}, "expected a JSON list of"),
        ([["Other"]], "document [0]: expected an object"),
        ([_exp("A SUBJ-O OBJ-O", rel="Cause-Effect(e1,e3)")], "field 'rel': unknown label"),
        ([_exp("A SUBJ-O OBJ-O"), _exp("A SUBJ-O OBJ-O", exp=None)], "document [1], field 'exp'"),
        ([_exp("A SUBJ-O OBJ-O", exp="  ")], "field 'exp': expected some text"),
        ([_exp(3)], "field 'sent': expected str, got int"),
    ],
)
def test_malformed_explanations(tmp_path: Path, explanations: Any, fragment: str) -> None:
    with pytest.raises(DataFormatError, match=re.escape(fragment)) as err:
        load(_folder(tmp_path, GOOD, explanations))
    assert EXPLANATIONS_FILE in str(err.value)


def test_missing_split_file(tmp_path: Path) -> None:
    _folder(tmp_path, GOOD)
    (tmp_path / "TEST_FILE_FULL.TXT").unlink()
    with pytest.raises(DataNotFoundError, match="SemEval-2010 Task 8 test file not found"):
        load(tmp_path)
